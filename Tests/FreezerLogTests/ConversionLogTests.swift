import Foundation
import Testing
@testable import FreezerLog

/// A small but complete log, for format tests.
func sampleLog() -> ConversionLog {
    let file = ModelFileInfo(fileName: "m.onnx", path: "/tmp/m.onnx", sha256: String(repeating: "a", count: 64), size: 10, dataFiles: [],
                             producerName: "pytorch", producerVersion: "2.13.0", irVersion: 8, opsets: [OpsetInfo(domain: "ai.onnx", version: 17)],
                             inputs: [TensorSignature(name: "x", type: "float32[1,3]")], outputs: [TensorSignature(name: "y", type: "float32[1,2]")],
                             nodeCounts: ["Gemm": 1], nodeCount: 1, parameterCount: 8)
    let conversion = ModelConversion(
        modelConversionID: "MC-0123456789abcdef", date: "2026-11-29T10:00:00Z", responsible: "Jane Doe", verifiedLearningModel: file,
        modelID: "M", modelIDVersion: "1",
        eliminationOfTrainingSpecificOperations: [EliminationEntry(category: "dropout", name: "Dropout", inTemplate: true, status: "not present",
                                                                   summary: "Not present.", nodesSearched: 1, graphsSearched: 1, found: [], changes: [], skips: [])],
        loadingAndConverting: LoadingAndConverting(
            frameworkAndVersion: FrameworkInfo(framework: "PyTorch", frameworkVersion: "2.13.0", exporter: "torch.onnx.export", producerName: "pytorch",
                                               producerVersion: "2.13.0", irVersion: 8, opsets: [], evidence: "producer"),
            packagesAndVersion: PackagesInfo(converter: PackageVersion(name: "freezer", version: "0.1.0"), libraries: [], onnxRead: "IR 8", onnxWritten: "IR 8"),
            converter: ConverterInfo(commandLine: ["freezer", "convert"], workingDirectory: "/", options: [], pipeline: [], configurationFile: nil),
            environmentInformation: EnvironmentInfo(operatingSystem: "Debian", kernel: "Linux", architecture: "x86_64", cpuModel: "cpu", cpuFeaturesUsed: [],
                                                    cores: 2, memoryBytes: 1, swiftRuntime: "6.3", locale: "en", timeZone: "UTC", hostName: nil)))
    return ConversionLog(document: DocumentInfo(), history: [HistoryEntry(version: "0.1", date: "2026-11-29T10:00:00Z", description: "First draft", change: "created", author: "Jane Doe")],
                         modelConversion: conversion,
                         frozenModel: FrozenModelInfo(file: file, nodeCountsBefore: ["Gemm": 1], nodeCountsAfter: ["Gemm": 1], storage: "inline", metadata: [:]),
                         equivalence: EquivalenceResult(verdict: "skipped", statement: "skipped", method: "none", samples: [], outputs: [], defaults: []),
                         warnings: [])
}

@Suite("Conversion log format")
struct ConversionLogTests {
    @Test func roundTripsThroughJSON() throws {
        let log = sampleLog()
        #expect(try ConversionLog.decode(log.encoded()) == log)
        #expect(log.modelConversion.verifiedLearningModelID == "M_1")
        #expect(log.modelConversion.phaseOfTheLifecycle == "Inference Management")
    }

    @Test func readersCheckTheSchemaFirst() throws {
        #expect(throws: ConversionLog.ReadError.self) { try ConversionLog.decode(Data("not json".utf8)) }
        #expect(throws: ConversionLog.ReadError.notALog) { try ConversionLog.decode(Data(#"{"a": 1}"#.utf8)) }
        var object = try JSONSerialization.jsonObject(with: sampleLog().encoded()) as! [String: Any]
        object["schemaVersion"] = 99
        #expect(throws: ConversionLog.ReadError.unsupportedSchemaVersion(99)) {
            try ConversionLog.decode(JSONSerialization.data(withJSONObject: object))
        }
        object["schemaVersion"] = 1
        var conversion = object["modelConversion"] as! [String: Any]
        conversion.removeValue(forKey: "responsible")
        object["modelConversion"] = conversion
        #expect(throws: ConversionLog.ReadError.missingField("modelConversion.responsible")) {
            try ConversionLog.decode(JSONSerialization.data(withJSONObject: object))
        }
    }

    @Test func canonicalFormExcludesDigestAndSignaturesOnly() throws {
        var log = sampleLog()
        let before = try log.canonicalForm()
        log.recordDigest = "x"
        log.signatures = [Signature(signer: "a", publicKey: "k", keyFingerprint: "f", recordDigest: "x", signature: "s", date: "d")]
        #expect(try log.canonicalForm() == before)
        log.modelConversion.responsible = "Someone Else"
        #expect(try log.canonicalForm() != before)
        // Sorted keys, no whitespace: stable across encoder runs.
        #expect(String(decoding: before, as: UTF8.self).hasPrefix("{\"document\":"))
    }
}
