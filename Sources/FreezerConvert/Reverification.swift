import Foundation
import FreezerLog
import FreezerONNX
import FreezerVerify

/// `freezer verify --reverify`: repeats a conversion's equivalence check from what its log records.
///
/// The inputs are rebuilt exactly as convert built them: the recorded `--seed`, `--samples`,
/// `--input-shape` and `--inputs`, and the recorded `--rtol`/`--atol` (per-type defaults when the log
/// says they were not given). A log written with `--no-verify` still records these options with their
/// defaults, so its conversion can be checked afterwards too.
public enum Reverification {
    public static func run(log: ConversionLog, original: String, frozen: String, threads: Int = 1) throws -> EquivalenceReport {
        let options = try recordedOptions(log, original: original, frozen: frozen, threads: threads)
        let originalModel = try ModelLoader.load(path: original, options: .init(computeDigests: false)).model
        let frozenModel = try ModelLoader.load(path: frozen, options: .init(computeDigests: false)).model
        let (samples, defaults) = try EquivalenceInputs.samples(for: originalModel, frozen: frozenModel.graph, options: options)
        do {
            return try EquivalenceChecker.check(original: originalModel, frozen: frozenModel, samples: samples, defaults: defaults,
                                                options: .init(rtol: options.rtol, atol: options.atol, threads: threads))
        } catch {
            throw ConversionError.evaluation(error.description)
        }
    }

    /// The conversion's options, read back from `modelConversion.loadingAndConverting.converter.options`.
    static func recordedOptions(_ log: ConversionLog, original: String, frozen: String, threads: Int) throws -> ConversionOptions {
        let recorded = log.modelConversion.loadingAndConverting.converter
        func value(_ name: String) -> OptionValue? { recorded.options.first { $0.name == name } }
        func bad(_ name: String, _ v: String) -> ConversionError {
            .badOption("the log records \(name) as '\(v)', which --reverify cannot read back; it cannot repeat this check")
        }
        var options = ConversionOptions(input: original, output: frozen, modelID: log.modelConversion.modelID,
                                        modelVersion: log.modelConversion.modelIDVersion, responsible: log.modelConversion.responsible,
                                        threads: threads)
        if let v = value("--samples"), !v.isDefault {
            guard let n = Int(v.value), n >= 1 else { throw bad("--samples", v.value) }
            options.samples = n
        }
        if let v = value("--seed"), !v.isDefault {
            guard let n = UInt64(v.value) else { throw bad("--seed", v.value) }
            options.seed = n
        }
        for (name, path) in [("--rtol", \ConversionOptions.rtol), ("--atol", \ConversionOptions.atol)] {
            if let v = value(name), !v.isDefault {
                guard let x = Double(v.value) else { throw bad(name, v.value) }
                options[keyPath: path] = x
            }
        }
        if let v = value("--input-shape"), !v.isDefault {
            for item in v.value.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                let parts = item.split(separator: "=", maxSplits: 1)
                let dims = parts.count == 2 ? parts[1].split(separator: "x").compactMap { Int($0) } : []
                guard parts.count == 2, !dims.isEmpty, dims.count == parts[1].split(separator: "x").count else { throw bad("--input-shape", v.value) }
                options.inputShapes[String(parts[0])] = dims
            }
        }
        if let v = value("--inputs"), !v.isDefault {
            // A relative directory was relative to convert's working directory, which the log records.
            let directory = v.value.hasPrefix("/") ? v.value : recorded.workingDirectory + "/" + v.value
            guard FileManager.default.fileExists(atPath: directory) else {
                throw ConversionError.badOption("the conversion was verified on inputs from '\(directory)', which does not exist here; --reverify needs that directory")
            }
            options.inputsDirectory = directory
        }
        return options
    }
}
