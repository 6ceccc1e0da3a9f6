import Foundation
import FreezerIntegrity
import FreezerLog
import FreezerTestSupport

/// A small complete log, written with a valid record digest to a fresh directory.
enum SampleLog {
    static func make() -> ConversionLog {
        let file = ModelFileInfo(fileName: "m.onnx", path: "m.onnx", sha256: String(repeating: "a", count: 64), size: 10, dataFiles: [],
                                 producerName: "pytorch", producerVersion: "2.3", irVersion: 8, opsets: [OpsetInfo(domain: "ai.onnx", version: 17)],
                                 inputs: [TensorSignature(name: "x", type: "float32[1,3]")], outputs: [TensorSignature(name: "y", type: "float32[1,2]")],
                                 nodeCounts: ["Gemm": 1], nodeCount: 1, parameterCount: 8)
        let conversion = ModelConversion(
            modelConversionID: "MC-0123456789abcdef", date: "2026-01-01T00:00:00Z", responsible: "Jane Doe", verifiedLearningModel: file,
            modelID: "M", modelIDVersion: "1", eliminationOfTrainingSpecificOperations: [],
            loadingAndConverting: LoadingAndConverting(
                frameworkAndVersion: FrameworkInfo(framework: "PyTorch", frameworkVersion: "2.3", exporter: "torch.onnx.export", producerName: "pytorch",
                                                   producerVersion: "2.3", irVersion: 8, opsets: [], evidence: "producer"),
                packagesAndVersion: PackagesInfo(converter: PackageVersion(name: "freezer", version: "0.1.0"), libraries: [], onnxRead: "IR 8", onnxWritten: "IR 8"),
                converter: ConverterInfo(commandLine: ["freezer"], workingDirectory: "/", options: [], pipeline: [], configurationFile: nil),
                environmentInformation: EnvironmentInfo(operatingSystem: "Linux", kernel: "6", architecture: "x86_64", cpuModel: "cpu", cpuFeaturesUsed: [],
                                                        cores: 2, memoryBytes: 1, swiftRuntime: "6", locale: "en", timeZone: "UTC", hostName: nil)))
        return ConversionLog(document: DocumentInfo(), history: [HistoryEntry(version: "0.1", date: "2026-01-01T00:00:00Z", description: "First draft", change: "created", author: "Jane Doe")],
                             modelConversion: conversion,
                             frozenModel: FrozenModelInfo(file: file, nodeCountsBefore: [:], nodeCountsAfter: [:], storage: "inline", metadata: [:]),
                             equivalence: EquivalenceResult(verdict: "skipped", statement: "skipped", method: "none", samples: [], outputs: [], defaults: []),
                             warnings: [])
    }

    /// Writes the sample log (digest set) and returns its path.
    static func write(_ log: ConversionLog = make()) throws -> String {
        var log = log
        let path = Fixtures.temporaryDirectory("freezer-integrity") + "/m.conversion-log.json"
        try LogFile.write(&log, to: path)
        return path
    }
}
