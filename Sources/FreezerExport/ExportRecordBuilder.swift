import Crypto
import Foundation
import FreezerLog
import FreezerONNX
import FreezerVerify

/// Puts what the driver measured into the log: the "Loading and Converting" rows come from the export,
/// not from the exported file's producer fields.
struct ExportRecordBuilder {
    var recipe: Recipe
    var interpreter: String
    var export: DriverReport
    var infer: DriverReport
    var runs: [DriverRun]
    var exportedPath: String

    func amend(_ log: inout ConversionLog, framework: FrameworkCheck.Report, exportedSHA256: String, exportedSize: Int) {
        let environment = export.environment
        let call = export.exporter
        let packages = (environment?.packages ?? [:]).keys.sorted().map { name in
            PackageVersion(name: name, version: (environment?.packages[name] ?? nil) ?? "not installed")
        }
        let frameworkName = call?.framework ?? "PyTorch"
        let frameworkVersion = call?.framework_version ?? "unknown"
        let record = FrameworkExport(
            framework: frameworkName, frameworkVersion: frameworkVersion,
            recipe: ConfigurationFile(path: recipe.path, sha256: Self.sha256(recipe.text), content: recipe.text),
            driver: ExportDriverInfo(sha256: DriverSource.sha256, interpreter: interpreter, timeoutSeconds: recipe.timeoutSeconds, runs: runs),
            python: PythonInfo(version: environment?.python_version ?? "", implementation: environment?.python_implementation ?? "",
                               executable: environment?.python_executable ?? interpreter, build: environment?.python_build ?? "",
                               platform: environment?.platform ?? "", machine: environment?.machine ?? ""),
            packages: packages,
            pipFreeze: PipFreeze(sha256: environment?.pip_freeze_sha256 ?? Self.sha256(""), content: environment?.pip_freeze ?? "",
                                 problem: environment?.pip_freeze_problem),
            checkpointFiles: (export.files_read ?? []).map { DataFileInfo(location: $0.path, sha256: $0.sha256, size: $0.size) },
            exporter: ExporterCall(exporter: call?.exporter ?? "", training: call?.training ?? "", call: call?.call ?? "",
                                   parameters: (call?.parameters ?? [:]).mapValues(\.text),
                                   arguments: (call?.args ?? []).map { "\($0.name): \($0.dtype)[\($0.shape.map(String.init).joined(separator: ","))]" },
                                   heldRunningStatistics: call?.held_running_statistics ?? [], warnings: call?.warnings ?? []),
            exportedModel: DataFileInfo(location: exportedPath, sha256: exportedSHA256, size: exportedSize),
            parameterCheck: ParameterCheck(
                compared: export.parameter_check?.compared.count ?? 0,
                differences: (export.parameter_check?.differences ?? []).map {
                    ParameterDifference(name: $0.name, maxAbsDifference: $0.max_abs_difference, detail: $0.detail)
                },
                differencesAccepted: recipe.acceptParameterDifferences && !(export.parameter_check?.differences.isEmpty ?? true),
                notInCheckpoint: export.parameter_check?.not_in_checkpoint ?? [], notExported: export.parameter_check?.not_exported ?? [],
                matches: export.parameter_check?.matches?.map { ParameterMatch(tensor: $0.tensor, initializer: $0.initializer, transform: $0.transform) }),
            frameworkEquivalence: FrameworkEquivalence(
                verdict: framework.equivalent ? "equivalent" : "notEquivalent", frameworkInference: infer.inference ?? "",
                criterion: "max and rms of |frozen − framework| within the bound of the default criterion measured on the exported model (k × the original's own error against the exact reference + floor); under a declared or per-type tolerance, elementwise; integer and boolean outputs equal",
                samples: framework.samples,
                outputs: framework.outputs.map {
                    FrameworkOutputComparison(name: $0.name, elementsCompared: $0.elementsCompared, maxAbsError: $0.maxAbsError, rmsError: $0.rmsError,
                                              boundMaxAbs: $0.bound?.maxAbs, boundRMS: $0.bound?.rms, passed: $0.passed, reason: $0.reason)
                }))

        var lc = log.modelConversion.loadingAndConverting
        let exporterName = switch call?.exporter {
        case "dynamo": "torch.onnx.export (dynamo)"
        case "tf2onnx": "tf2onnx \((environment?.packages["tf2onnx"] ?? nil) ?? "") (tf2onnx.convert.from_keras)"
        default: "torch.onnx.export (TorchScript)"
        }
        lc.frameworkAndVersion.framework = frameworkName
        lc.frameworkAndVersion.frameworkVersion = frameworkVersion
        lc.frameworkAndVersion.exporter = exporterName
        lc.frameworkAndVersion.evidence = "measured by freezer export's driver (SHA-256 \(DriverSource.sha256.prefix(16))…) in \(interpreter): "
            + packages.filter { $0.version != "not installed" }.map { "\($0.name) \($0.version)" }.joined(separator: ", ")
        lc.export = record
        lc.packagesAndVersion.libraries.append(PackageVersion(name: "Yams", version: "6.2.2 ..< 7.0.0",
                                                              detail: "the export recipe's YAML; version range of Package.swift"))
        // The exported model is kept beside the frozen model: the log names it where it stays.
        log.modelConversion.verifiedLearningModel.path = exportedPath
        log.modelConversion.verifiedLearningModel.fileName = Paths.fileName(of: exportedPath)
        lc.converter.recordedOptions?.input = exportedPath
        for k in lc.converter.options.indices where lc.converter.options[k].name == "MODEL" || lc.converter.options[k].name == "input" {
            lc.converter.options[k].value = exportedPath
        }
        lc.converter.configurationFile = record.recipe
        log.modelConversion.loadingAndConverting = lc
    }

    static func sha256(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
