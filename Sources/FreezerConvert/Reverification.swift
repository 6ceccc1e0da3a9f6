import Foundation
import FreezerIR
import FreezerLog
import FreezerONNX
import FreezerVerify

/// `freezer verify --reverify`: repeats a conversion's equivalence check from what its log records.
///
/// The inputs are rebuilt exactly as convert built them: the recorded samples, seed, input shapes or
/// inputs directory, and declared tolerances (the default criterion when none were). A log written with
/// `--no-verify` records its options too, so its conversion can be checked afterwards.
public enum Reverification {
    public static func run(log: ConversionLog, original: String, frozen: String, threads: Int = 1) throws -> EquivalenceReport {
        let options = try recordedOptions(log, original: original, frozen: frozen, threads: threads)
        let originalModel = try ModelLoader.load(path: original, options: .init(computeDigests: false)).model
        let frozenModel = try ModelLoader.load(path: frozen, options: .init(computeDigests: false)).model
        let made = try inputs(log, options: options, original: originalModel, frozen: frozenModel)
        var report: EquivalenceReport
        do {
            report = try EquivalenceChecker.checkRecognizingRegularizers(original: originalModel, frozen: frozenModel, samples: made.samples, defaults: made.defaults,
                                                                         options: .init(rtol: options.rtol, atol: options.atol, threads: threads))
        } catch {
            throw ConversionError.evaluation(error.description)
        }
        report.randomIntegerRanges = made.recordedIntegerRanges
        return report
    }

    /// The conversion's samples made again: from its inputs directory, or at random in the shapes the log
    /// records (with the sizes the conversion chose for symbolic dimensions, as it reported them); a log
    /// that does not record the shapes gave every symbolic dimension the size 1. Integer inputs take the
    /// ranges the log records; a log that records none drew every integer from [0, 4).
    static func inputs(_ log: ConversionLog, options: ConversionOptions, original: Model, frozen: Model) throws -> EquivalenceInputs.Made {
        var options = options
        if options.samples == nil, !log.equivalence.samples.isEmpty {
            // The default rule chose how many; the same first samples are checked again, whatever the rule
            // of this version would choose.
            options.samples = log.equivalence.samples.count
        }
        guard options.inputsDirectory == nil else { return try EquivalenceInputs.samples(for: original, frozen: frozen.graph, options: options) }
        let ranges = EquivalenceInputs.ranges(recorded: log.equivalence.inputRanges) ?? [:]
        guard let recorded = log.equivalence.inputShapes else {
            return try EquivalenceInputs.samples(for: original, frozen: frozen.graph, options: options, symbolicDimensions: .ones, integerRanges: ranges)
        }
        var shaped = options
        shaped.inputShapes = recorded
        var made = try EquivalenceInputs.samples(for: original, frozen: frozen.graph, options: shaped, integerRanges: ranges)
        made.defaults = log.equivalence.defaults
        return made
    }

    /// The conversion's options: the log's `recordedOptions`, or in a log written before those were
    /// recorded, the text of its `options` (`LegacyOptionText`). The model paths and threads are this run's.
    static func recordedOptions(_ log: ConversionLog, original: String, frozen: String, threads: Int) throws -> ConversionOptions {
        let converter = log.modelConversion.loadingAndConverting.converter
        var options: ConversionOptions
        if let recorded = converter.recordedOptions {
            options = try ConversionOptions(recorded: recorded)
        } else {
            options = ConversionOptions(input: original, output: frozen, modelID: log.modelConversion.modelID,
                                        modelVersion: log.modelConversion.modelIDVersion, responsible: log.modelConversion.responsible)
            try LegacyOptionText.read(converter.options, into: &options)
        }
        options.input = original
        options.output = frozen
        options.threads = threads
        do { try options.checkVerificationSettings() } catch {
            throw ConversionError.badOption("the log records options under which --reverify cannot repeat the check: \(error)")
        }
        if let directory = options.inputsDirectory {
            // A relative directory was relative to convert's working directory, which the log records.
            let resolved = directory.hasPrefix("/") ? directory : converter.workingDirectory + "/" + directory
            guard FileManager.default.fileExists(atPath: resolved) else {
                throw ConversionError.badOption("the conversion was verified on inputs from '\(resolved)', which does not exist here; --reverify needs that directory")
            }
            options.inputsDirectory = resolved
        }
        return options
    }
}
