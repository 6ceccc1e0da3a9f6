import Foundation
import FreezerIR
import FreezerInspect
import FreezerKernels
import FreezerLog
import FreezerONNX
import FreezerPasses
import FreezerVerify
import CBLAS

/// Turns what a conversion measured into the Model Conversion Log. Only formats facts: every value
/// comes from the loaded files, the passes' records, the equivalence report or the running machine.
struct RecordBuilder {
    let options: ConversionOptions
    let commandLine: [String]
    let clock: Date
    let conversionID: String
    let loaded: LoadedModel
    let inspection: InspectReport
    let pipeline: Pipeline
    let result: Pipeline.Result
    let saved: ModelSaver.Saved
    let equivalence: EquivalenceReport?
    let metadata: [String: String]

    func build() -> ConversionLog {
        let date = ISO8601DateFormatter().string(from: clock)
        let original = loaded.model
        let frozen = result.model
        let conversion = ModelConversion(
            modelConversionID: conversionID, date: date, responsible: options.responsible,
            verifiedLearningModel: fileInfo(original, path: loaded.source.path, sha256: loaded.source.sha256, size: loaded.source.size,
                                             dataFiles: loaded.source.dataFiles.map { DataFileInfo(location: $0.location, sha256: $0.sha256, size: $0.size) }),
            modelID: options.modelID, modelIDVersion: options.modelVersion,
            eliminationOfTrainingSpecificOperations: FindingCategory.allCases.map(elimination),
            loadingAndConverting: LoadingAndConverting(
                frameworkAndVersion: FrameworkDetector.detect(original),
                packagesAndVersion: packages(original: original, frozen: frozen),
                converter: converter(),
                environmentInformation: EnvironmentProbe.measure(recordHost: options.recordHost)))
        let frozenInfo = FrozenModelInfo(
            file: fileInfo(frozen, path: saved.path, sha256: saved.sha256, size: saved.size,
                           dataFiles: saved.dataFile.map { [DataFileInfo(location: $0.location, sha256: $0.sha256, size: $0.size)] } ?? []),
            nodeCountsBefore: NodeCounts.byOperator(original), nodeCountsAfter: NodeCounts.byOperator(frozen),
            storage: saved.dataFile == nil ? "all tensors inline" : "external data file '\(saved.dataFile!.location)'",
            metadata: metadata)
        let history = [HistoryEntry(version: "0.1", date: date, description: "First draft",
                                    change: "Created by freezer convert (conversion \(conversionID))", author: options.responsible)]
        return ConversionLog(document: DocumentInfo(), history: history, modelConversion: conversion, frozenModel: frozenInfo,
                             equivalence: equivalenceResult(), warnings: warnings())
    }

    func fileInfo(_ model: Model, path: String, sha256: String, size: Int, dataFiles: [DataFileInfo]) -> ModelFileInfo {
        let g = model.graph
        func signature(_ id: ValueID) -> FreezerLog.TensorSignature { FreezerLog.TensorSignature(name: g.value(id).name, type: g.value(id).type?.description ?? "untyped") }
        let counts = NodeCounts.byOperator(model)
        return ModelFileInfo(fileName: Paths.fileName(of: path), path: path, sha256: sha256, size: size, dataFiles: dataFiles,
                             producerName: model.producerName, producerVersion: model.producerVersion, irVersion: model.irVersion,
                             opsets: model.opsetImports.map { OpsetInfo(domain: $0.domainName, version: $0.version) },
                             inputs: g.runtimeInputs.map { signature($0) }, outputs: g.outputs.map { signature($0) },
                             nodeCounts: counts, nodeCount: counts.values.reduce(0, +),
                             parameterCount: g.initializers.reduce(0) { $0 + ($1.tensor.elementCount ?? 0) })
    }

    func elimination(_ category: FindingCategory) -> EliminationEntry {
        let report = inspection.category(category)
        let found = report.findings.map { FoundItem(graph: $0.graphPath, node: $0.node ?? $0.value, opType: $0.opType, state: $0.state.rawValue, detail: $0.detail) }
        let changes = result.context.changes.filter { $0.category == category }
            .map { ChangeItem(pass: $0.pass, graph: $0.graph, nodes: $0.nodes, action: $0.action, detail: $0.detail, evidence: $0.evidence) }
        let passSkips = result.context.skips.filter { $0.category == category }
        let skips = passSkips.map { SkipItem(pass: $0.pass, graph: $0.graph, node: $0.node, reason: $0.reason) }
        let inTemplate: Set<FindingCategory> = [.dropout, .batchNormalization, .gradientClipping, .learningRateScheduling, .weightRegularization]
        let searched = "searched \(report.nodesSearched) nodes in \(report.graphsSearched) graph\(report.graphsSearched == 1 ? "" : "s")"
        let status: String
        let summary: String
        let kept = zip(skips, passSkips).filter { !$0.1.nothingToDo }.map(\.0)
        if found.isEmpty && changes.isEmpty {
            status = "not present"
            summary = "Not present in the verified learning model (\(searched))."
        } else {
            // Name the nodes an action touched; for actions on the model itself (no nodes), say what they did.
            let actions = Dictionary(grouping: changes, by: \.action).sorted { $0.key < $1.key }.map { action, items -> String in
                let nodes = items.flatMap(\.nodes)
                if nodes.isEmpty { return "\(action): " + items.map(\.detail).joined(separator: "; ") }
                return "\(action): " + nodes.prefix(6).joined(separator: ", ") + (nodes.count > 6 ? ", … (\(nodes.count) in all)" : "")
            }
            // Clean-up passes record under a category even when nothing training-specific was found there.
            status = found.isEmpty ? "not present" : kept.isEmpty ? (changes.isEmpty ? "nothing to change" : "eliminated") : "partially kept"
            summary = (found.isEmpty ? "Not present in the verified learning model (\(searched)). Clean-up: " : "Found \(found.count) (\(searched)). ")
                + (actions.isEmpty ? "" : actions.joined(separator: "; ") + ".")
                + (kept.isEmpty ? "" : " Kept: " + kept.map { "\($0.node) (\($0.reason))" }.joined(separator: "; ") + ".")
        }
        return EliminationEntry(category: category.rawValue, name: category == .parameters ? "Parameters (freezing and clean-up)" : category.displayName,
                                inTemplate: inTemplate.contains(category), status: status, summary: summary,
                                nodesSearched: report.nodesSearched, graphsSearched: report.graphsSearched,
                                found: found, changes: changes, skips: skips)
    }

    func packages(original: Model, frozen: Model) -> PackagesInfo {
        func describe(_ m: Model) -> String {
            "IR \(m.irVersion); opsets " + m.opsetImports.map { "\($0.domainName) \($0.version)" }.joined(separator: ", ")
        }
        return PackagesInfo(
            converter: PackageVersion(name: "freezer", version: FreezerBuild.version, detail: "\(FreezerBuild.configuration) build"),
            libraries: [
                PackageVersion(name: "swift-protobuf", version: ModelIOLibraries.swiftProtobufVersion, detail: "ONNX protobuf types generated from onnx \(ModelIOLibraries.onnxSchemaVersion) (onnx-ml.proto)"),
                PackageVersion(name: "swift-crypto", version: "3.12.3 ..< 5.0.0", detail: "SHA-256 digests; version range of Package.swift"),
                PackageVersion(name: "OpenBLAS", version: OpenBLASInfo.config, detail: Interpreter.usesNativeKernels
                    ? "double-precision and matrix-vector products of the reference evaluator"
                    : "matrix products of the reference evaluator"),
                PackageVersion(name: "Swift", version: EnvironmentProbe.swiftVersion, detail: "compiler and runtime"),
            ],
            onnxRead: describe(original), onnxWritten: describe(frozen))
    }

    func converter() -> ConverterInfo {
        let o = options
        func opt(_ name: String, _ value: String, _ isDefault: Bool) -> OptionValue { OptionValue(name: name, value: value, isDefault: isDefault) }
        let options: [OptionValue] = [
            opt("MODEL", o.input, false), opt("--checkpoint", o.checkpoint ?? "(not given)", o.checkpoint == nil), opt("-o", o.output, false), opt("--log", o.logPath, o.log == nil),
            opt("--model-id", o.modelID, false), opt("--model-version", o.modelVersion, false), opt("--responsible", o.responsible, false),
            opt("--output", o.outputs.isEmpty ? "(automatic: inference outputs)" : o.outputs.joined(separator: ", "), o.outputs.isEmpty),
            opt("--input-shape", o.inputShapes.isEmpty ? "(declared shapes; symbolic dims: batch 1, others \(SymbolicDimensionRule.size))" : InputShapeOption.text(o.inputShapes), o.inputShapes.isEmpty),
            opt("--inputs", o.inputsDirectory ?? "(none: random inputs)", o.inputsDirectory == nil),
            opt("--samples", o.samples.map(String.init) ?? "(automatic: up to \(ConversionOptions.defaultSamples), as few as give every output \(SampleRule.valuesPerOutput) values)", o.samples == nil),
            opt("--seed", String(o.seed), o.seed == ConversionOptions.defaultSeed),
            opt("--rtol", o.rtol.map { String($0) } ?? (o.atol == nil ? Self.criterionDecides : "per type (float32 1e-4, float16 1e-2, bfloat16 2e-2, float64 1e-7)"), o.rtol == nil),
            opt("--atol", o.atol.map { String($0) } ?? (o.rtol == nil ? Self.criterionDecides : "per type (float32 1e-5, float16 1e-3, bfloat16 1e-2, float64 1e-9)"), o.atol == nil),
            opt("--external-data", o.externalData.rawValue, o.externalData == ConversionOptions.defaultExternalData),
            opt("--expect-sha256", o.expectSHA256 ?? "(not given)", o.expectSHA256 == nil),
            opt("--verify", o.verify ? "yes" : "no (--no-verify)", o.verify == ConversionOptions.defaultVerify),
            opt("--keep-failed", o.keepFailed ? "yes" : "no", o.keepFailed == ConversionOptions.defaultKeepFailed),
            opt("--threads", String(o.threads), o.threads == ConversionOptions.defaultThreads),
            opt("--record-host", o.recordHost ? "yes" : "no", o.recordHost == ConversionOptions.defaultRecordHost),
        ]
        let steps = pipeline.passes.map { pass -> PipelineStep in
            var parameters: [String: String] = [:]
            if let select = pass as? SelectInferenceOutputs { parameters["requested outputs"] = select.requested?.joined(separator: ", ") ?? "automatic" }
            return PipelineStep(pass: pass.name, summary: type(of: pass).documentation.summary, parameters: parameters)
        }
        return ConverterInfo(commandLine: commandLine, workingDirectory: FileManager.default.currentDirectoryPath,
                             options: options, recordedOptions: o.recorded, pipeline: steps, configurationFile: nil)
    }

    /// The readable value of `--rtol`/`--atol` when neither is given.
    static let criterionDecides = "not given: the default criterion (as exact as the original) decides"

    func equivalenceResult() -> EquivalenceResult {
        guard let report = equivalence else {
            return EquivalenceResult(verdict: "skipped", statement: "Verification was skipped at the user's request (--no-verify): no evidence of equivalence is recorded for this conversion.",
                                     method: "none", samples: [], outputs: [], defaults: [])
        }
        return EquivalenceRecord.make(report)
    }

    func warnings() -> [String] {
        var w: [String] = []
        if equivalence == nil { w.append("Equivalence was not verified (--no-verify).") }
        for s in result.context.skips where s.category == .batchNormalization && !s.nothingToDo {
            w.append("BatchNormalization '\(s.node)' in \(s.graph) was not folded: \(s.reason).")
        }
        // freezer renames no node of the user's; a runtime that requires unique names refuses both models.
        let repeated = result.model.graph.repeatedNodeNames
        if !repeated.isEmpty {
            w.append("The verified learning model repeats node names (\(repeated.prefix(5).map { "'\($0)'" }.joined(separator: ", "))\(repeated.count > 5 ? ", …" : "")), and so does the frozen model, which keeps the names as they are: onnxruntime refuses to load a model whose nodes share a name.")
        }
        return w
    }
}

/// Node counts by operator, including nodes in subgraphs, keyed `OpType` or `domain::OpType`.
enum NodeCounts {
    static func byOperator(_ model: Model) -> [String: Int] {
        var counts: [String: Int] = [:]
        func visit(_ g: Graph) {
            for n in g.nodes {
                counts[n.qualifiedOpType, default: 0] += 1
                for a in n.attributes { for sub in a.subgraphs { visit(sub) } }
            }
        }
        visit(model.graph)
        return counts
    }
}

/// OpenBLAS's build configuration, as the library reports it.
enum OpenBLASInfo {
    static var config: String { openblas_get_config().map { String(cString: $0) } ?? "unknown" }
}
