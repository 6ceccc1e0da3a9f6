import FreezerLog

/// Logs for the rendering tests, built in a few lines.
enum SampleLog {
    static let sha = String(repeating: "0123456789abcdef", count: 4)

    static func file(_ name: String) -> ModelFileInfo {
        ModelFileInfo(fileName: name, path: "/data/models/very/long/directory/name/for/wrapping/\(name)", sha256: sha, size: 11_510,
                      dataFiles: [DataFileInfo(location: "\(name).data", sha256: sha, size: 4_194_304)],
                      producerName: "pytorch", producerVersion: "2.13.0", irVersion: 8, opsets: [OpsetInfo(domain: "ai.onnx", version: 17)],
                      inputs: [TensorSignature(name: "input", type: "float32[1,3,224,224]")], outputs: [TensorSignature(name: "logits", type: "float32[1,10]")],
                      nodeCounts: ["Conv": 2, "BatchNormalization": 2], nodeCount: 4, parameterCount: 1_921)
    }

    static let templateCategories = [("dropout", "Dropout"), ("batchNormalization", "Batch Normalization"), ("gradientClipping", "Gradient Clipping"),
                                     ("learningRateScheduling", "Learning Rate Scheduling"), ("weightRegularization", "Weight Regularization (L1, L2)")]

    /// A log with every section filled; `findings` Dropout nodes make the found table as long as wanted.
    static func make(responsible: String = "Jane Doe", findings: Int = 2, verified: Bool = true, signed: Bool = false) -> ConversionLog {
        var entries = templateCategories.map { key, name in
            EliminationEntry(category: key, name: name, inTemplate: true, status: "not present",
                             summary: "Not present in the verified learning model (searched 21 nodes in 1 graph).", nodesSearched: 21, graphsSearched: 1,
                             found: [], changes: [], skips: [])
        }
        entries[0].status = "eliminated"
        entries[0].summary = "Found \(findings) (searched 21 nodes in 1 graph). removed: node_0, …"
        entries[0].found = (0..<findings).map { FoundItem(graph: "main", node: "node_\($0)", opType: "Dropout", state: "training", detail: "ratio 0.5; training_mode true") }
        entries[0].changes = (0..<findings).map { ChangeItem(pass: "RemoveDropout", graph: "main", nodes: ["node_\($0)"], action: "removed", detail: "ratio 0.5", evidence: [:]) }
        entries[1].status = "eliminated"
        entries[1].changes = [ChangeItem(pass: "FoldBatchNorm", graph: "main", nodes: ["/bn1/BatchNormalization", "/conv1/Conv"], action: "folded into Conv '/conv1/Conv'",
                                         detail: "8 channels, ε = 1e-05; training_mode 1 → 0; |Δ| ≤ 1e-6 × √n",
                                         evidence: ["weight 'conv1.weight': largest change": "0.111559", "bias 'conv1.bias': largest change": "0.714422"])]
        entries.append(EliminationEntry(category: "trainingInfo", name: "training_info", inTemplate: false, status: "not present", summary: "Not present.",
                                        nodesSearched: 21, graphsSearched: 1, found: [], changes: [],
                                        skips: [SkipItem(pass: "StripTrainingInfo", graph: "model", node: "training_info", reason: "not present in the model")]))
        let options = [OptionValue(name: "--responsible", value: responsible, isDefault: false), OptionValue(name: "--seed", value: "0", isDefault: true)]
        let conversion = ModelConversion(
            modelConversionID: "MC-20261129T104836Z-54978965-0a1b2c3d", date: "2026-11-29T10:48:36Z", responsible: responsible,
            verifiedLearningModel: file("model.onnx"), modelID: "CNN", modelIDVersion: "1", eliminationOfTrainingSpecificOperations: entries,
            loadingAndConverting: LoadingAndConverting(
                frameworkAndVersion: FrameworkInfo(framework: "PyTorch", frameworkVersion: "2.13.0", exporter: "torch.onnx.export", producerName: "pytorch",
                                                   producerVersion: "2.13.0", irVersion: 8, opsets: [OpsetInfo(domain: "ai.onnx", version: 17)], evidence: "producer_name 'pytorch'"),
                packagesAndVersion: PackagesInfo(converter: PackageVersion(name: "freezer", version: "0.1.0", detail: "release build"),
                                                 libraries: [PackageVersion(name: "swift-protobuf", version: "1.39.0")], onnxRead: "IR 8; opsets ai.onnx 17", onnxWritten: "IR 8; opsets ai.onnx 17"),
                converter: ConverterInfo(commandLine: ["freezer", "convert", "model.onnx", "-o", "frozen.onnx", "--responsible", responsible], workingDirectory: "/work",
                                         options: options, pipeline: [PipelineStep(pass: "RemoveDropout", summary: "Remove Dropout.", parameters: [:])], configurationFile: nil),
                environmentInformation: EnvironmentInfo(operatingSystem: "Debian GNU/Linux 12 (bookworm)", kernel: "Linux 6.1", architecture: "x86_64", cpuModel: "Xeon",
                                                        cpuFeaturesUsed: ["avx2"], cores: 2, memoryBytes: 25_325_268_992, swiftRuntime: "Swift 6.3", locale: "en_001",
                                                        timeZone: "Etc/UTC", hostName: nil)))
        let equivalence = verified
            ? EquivalenceResult(verdict: "equivalent", statement: "On 8 input sample(s) every output is within tolerance.", method: "|frozen − original| ≤ atol + rtol·|original|",
                                samples: [EquivalenceSample(source: "random, seed 0, sample 1 of 8", inputs: ["input: float32[1, 3, 224, 224] sha256 \(sha)"])],
                                outputs: [OutputComparison(name: "logits", type: "float32[1, 10]", rtol: 1e-4, atol: 1e-5, elementsCompared: 80, maxAbsError: 5.960464477539063e-08,
                                                           maxRelError: 8.130555032339283e-07, meanAbsError: 1.080334186553955e-08, outsideTolerance: 0)],
                                defaults: [])
            : EquivalenceResult(verdict: "skipped", statement: "Verification was skipped at the user's request (--no-verify).", method: "none", samples: [], outputs: [], defaults: [])
        var history = [HistoryEntry(version: "0.1", date: "2026-11-29T10:48:36Z", description: "First draft", change: "Created by freezer convert\nsecond line", author: responsible)]
        var log = ConversionLog(document: DocumentInfo(), history: history, modelConversion: conversion,
                                frozenModel: FrozenModelInfo(file: file("frozen.onnx"), nodeCountsBefore: ["Conv": 2, "BatchNormalization": 2, "Dropout": findings],
                                                             nodeCountsAfter: ["Conv": 2], storage: "all tensors inline", metadata: ["freezer.version": "0.1.0"]),
                                equivalence: equivalence, warnings: verified ? [] : ["Equivalence was not verified (--no-verify)."])
        log.recordDigest = sha
        if signed {
            let signature = Signature(signer: "Rita Reviewer", publicKey: "MCowBQYDK2VwAyEA" + String(repeating: "A", count: 28), keyFingerprint: sha,
                                      recordDigest: sha, signature: String(repeating: "QUJD", count: 22), date: "2026-12-01T09:00:00Z")
            history.append(HistoryEntry(version: "1.0", date: "2026-12-01T09:00:00Z", description: "Approved", change: "Approved after review", author: "Rita Reviewer",
                                        selfApproval: false, signature: signature))
            log.history = history
            log.signatures = [signature]
            log.document.version = "1.0"
            log.document.status = "approved"
        }
        return log
    }
}
