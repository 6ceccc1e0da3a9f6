import Foundation
#if canImport(Glibc)
import Glibc
#endif
import FreezerConvert
import FreezerIR
import FreezerKernels
import FreezerLog
import FreezerONNX
import FreezerVerify

/// `freezer export RECIPE`: the framework's model exported by freezer's driver in the training
/// environment, then frozen exactly as `convert` freezes it, and the frozen model compared with the
/// framework's own inference outputs. Nothing is written unless every step and check passes; then the
/// frozen model, its log and the exported model (the intermediate artifact) are written.
public enum Export {
    public struct Outcome: Sendable {
        public var conversion: Conversion.Outcome
        /// Where the exported ONNX model was kept.
        public var exportedModel: String
        public var framework: FrameworkCheck.Report
    }

    public static func run(recipePath: String, output: String? = nil, log: String? = nil, commandLine: [String],
                           progress: Conversion.Progress? = nil) throws -> Outcome {
        let recipe = try Recipe.read(recipePath)
        guard let outputPath = output ?? recipe.output.map(recipe.resolve) else {
            throw ExportError.badRecipe(recipe.path, "no frozen model path: give 'output:' in the recipe or -o")
        }
        let exportedPath = (outputPath.hasSuffix(".onnx") ? String(outputPath.dropLast(5)) : outputPath) + ".exported.onnx"
        let interpreter = try DriverProcess.locate(recipe.python, recipe: recipe)
        guard Paths.canonicalTarget(outputPath) != nil else { throw ModelSaveError.missingDirectory(Paths.directory(of: outputPath)) }
        // The work directory sits beside the output, so the exported model is renamed into place, not copied.
        let work = try WorkDirectory(beside: outputPath)
        defer { work.remove() }
        // Named as it will be kept, so that external data an exporter writes beside it ("<name>.data") keeps
        // the name the model refers to when both move into place.
        let exported = work.path(Paths.fileName(of: exportedPath))
        let options = try recipe.conversionOptions(input: exported, output: outputPath, log: log)
        for path in [options.logPath, outputPath] where Paths.canonicalTarget(path) == Paths.canonicalTarget(exportedPath) {
            throw ExportError.badRecipe(recipe.path, "'\(path)' is where the exported model is kept; choose another output or log path")
        }
        let driver = try work.write(DriverSource.text, named: "freezer_export_driver.py")
        let process = DriverProcess(interpreter: interpreter, timeoutSeconds: recipe.timeoutSeconds)

        var request = DriverRequest(mode: "export", recipe: recipe, resultPath: work.path("export.result.json"))
        request.exported_path = exported
        let (exportReport, exportRun) = try call(process, driver: driver, request: request, work: work, recipe: recipe, progress: progress)

        // The framework runs on the same inputs as the equivalence check.
        let loaded = try ModelLoader.load(path: exported, options: .init(computeDigests: false))
        let dataFiles = try keptDataFiles(of: loaded.source, besides: exportedPath, avoiding: [outputPath, outputPath + ".data", options.logPath, recipe.path])
        let samples = try Conversion.equivalenceSamples(for: loaded.model, options: options)
        var infer = DriverRequest(mode: "infer", recipe: recipe, resultPath: work.path("infer.result.json"))
        infer.feeds = try work.writeFeeds(samples, inputs: recipe.inputs.map(\.name), recipe: recipe.path)
        infer.outputs_dir = work.url.path
        let (inferReport, inferRun) = try call(process, driver: driver, request: infer, work: work, recipe: recipe, progress: progress)
        // The framework's j-th output is the exported model's j-th output (the exporter's order).
        let outputNames = loaded.model.graph.outputs.map { loaded.model.graph.value($0).name }
        let frameworkOutputs = try (inferReport.outputs ?? []).map { paths in
            guard paths.count == outputNames.count else {
                throw ExportError.frameworkNotEquivalent("the framework's model returns \(paths.count) tensors, the exported model has \(outputNames.count) outputs (\(outputNames.joined(separator: ", "))); nothing was written")
            }
            return Dictionary(uniqueKeysWithValues: try zip(outputNames, paths).map { name, path in (name, try NDArray(NumpyFile.read(path: path))) })
        }

        var frameworkReport: FrameworkCheck.Report?
        let record = ExportRecordBuilder(recipe: recipe, interpreter: interpreter, export: exportReport, infer: inferReport,
                                         runs: [exportRun, inferRun], exportedPath: exportedPath)
        let outcome = try Conversion.run(options, commandLine: commandLine, progress: progress) { frozen, equivalence in
            guard let equivalence else { throw ExportError.driverFailed("the equivalence check did not run") }
            let report = try FrameworkCheck.check(frozen: frozen, samples: samples, framework: frameworkOutputs, equivalence: equivalence,
                                                  threads: options.threads)
            guard report.equivalent else {
                throw ExportError.frameworkNotEquivalent("the frozen model does not compute what the model computes in \(exportReport.exporter?.framework ?? "its framework") in inference mode:\n"
                    + report.outputs.map { "  \($0.name): \($0.reason)" }.joined(separator: "\n")
                    + "\nThe exported ONNX model is not the framework's model; nothing was written.")
            }
            frameworkReport = report
            return { log in record.amend(&log, framework: report, exportedSHA256: log.modelConversion.verifiedLearningModel.sha256,
                                         exportedSize: log.modelConversion.verifiedLearningModel.size) }
        }
        // rename(2) replaces an earlier export atomically; all paths are in the output's directory. The data
        // files first, so that the model never names data that is not there.
        for (from, to) in dataFiles where rename(from, to) != 0 {
            throw ExportError.cannotWrite(to, String(cString: strerror(errno)) + "; the frozen model and its log were written")
        }
        guard rename(exported, exportedPath) == 0 else {
            throw ExportError.cannotWrite(exportedPath, String(cString: strerror(errno)) + "; the frozen model and its log were written")
        }
        guard let frameworkReport else { throw ExportError.driverFailed("the framework check did not run") }
        return Outcome(conversion: outcome, exportedModel: exportedPath, framework: frameworkReport)
    }

    /// Where each external data file of the exported model goes: beside the kept exported model, under the
    /// location the model names. Refused before anything is written when a location is not a plain file
    /// name or would replace the frozen model, its data, the log or the recipe.
    static func keptDataFiles(of source: ModelSource, besides exportedPath: String, avoiding protected: [String]) throws(ExportError) -> [(String, String)] {
        let directory = Paths.directory(of: exportedPath)
        let avoided = Set(protected.compactMap(Paths.canonicalTarget))
        var moves: [(String, String)] = []
        for file in source.dataFiles {
            let target = directory + "/" + file.location
            guard !file.location.contains("/"), file.location != "..", !file.location.isEmpty else {
                throw .cannotWrite(target, "the exported model keeps data at '\(file.location)', which is not a plain file name beside it; nothing was written")
            }
            if let canonical = Paths.canonicalTarget(target), avoided.contains(canonical) {
                throw .cannotWrite(target, "the exported model's data file '\(file.location)' would replace the frozen model, its log or the recipe; choose another output path; nothing was written")
            }
            moves.append((file.canonicalPath, target))
        }
        return moves
    }

    /// One run of the driver: its report, or its refusal as freezer's error.
    static func call(_ process: DriverProcess, driver: String, request: DriverRequest, work: WorkDirectory,
                     recipe: Recipe, progress: Conversion.Progress?) throws -> (DriverReport, DriverRun) {
        var request = request
        request.events_path = work.path("\(request.mode).events")
        let requestPath = try work.write(String(decoding: try JSONEncoder().encode(request), as: UTF8.self), named: "\(request.mode).request.json")
        let show = progress.map { report in
            { (step: String) in report(ProgressEvent(phase: .external(program: "export driver", step: step))) }
        }
        show?(request.mode == "export" ? "starting Python" : "starting Python for inference")
        let finished = try process.run([driver, requestPath], workDirectory: work.url, label: request.mode,
                                       events: request.events_path ?? "", onPhase: show.map { show in { show($0.description) } })
        let run = DriverRun(mode: request.mode, arguments: [Paths.fileName(of: driver), Paths.fileName(of: requestPath)],
                            exitStatus: finished.status, seconds: finished.seconds,
                            standardOutput: finished.standardOutput, standardError: finished.standardError)
        guard let data = FileManager.default.contents(atPath: request.result_path) else {
            // A driver that reported a step ran in a usable Python: it was stopped in that step.
            if let phase = finished.lastPhase {
                throw ExportError.driverStopped(phase: phase, status: finished.status, signaled: finished.signaled, standardError: finished.standardError)
            }
            throw ExportError.interpreterFailed(interpreter: process.interpreter, status: finished.status, standardError: finished.standardError)
        }
        let report: DriverReport
        do { report = try JSONDecoder().decode(DriverReport.self, from: data) } catch {
            throw ExportError.driverFailed("its result cannot be read: \(error)")
        }
        if let refusal = report.refusal(recipe: recipe) { throw refusal }
        return (report, run)
    }
}
