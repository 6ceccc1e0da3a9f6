import FreezerTestSupport
import Testing
@testable import FreezerIR
@testable import FreezerONNX

@Suite("Bad input gives a clear error")
struct BadInputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var file: String
        var check: @Sendable (ModelLoadError) -> Bool
        var mentions: String
        var testDescription: String { file }
    }

    static let loadFailures: [Case] = [
        Case(file: "bad/not_a_model.onnx", check: { if case .malformed = $0 { true } else { false } }, mentions: "not a valid ONNX model"),
        Case(file: "bad/empty.onnx", check: { $0 == .empty(path: Fixtures.path("bad/empty.onnx")) }, mentions: "empty"),
        Case(file: "bad/truncated.onnx", check: { if case .malformed = $0 { true } else { false } }, mentions: "truncated"),
        Case(file: "bad/graph_proto.onnx", check: { if case .notAModel(_, let kind) = $0 { kind?.contains("GraphProto") == true } else { false } }, mentions: "GraphProto"),
        Case(file: "bad/tensor_proto.onnx", check: { if case .notAModel(_, let kind) = $0 { kind?.contains("TensorProto") == true } else { false } }, mentions: "TensorProto"),
        Case(file: "bad/no_graph.onnx", check: { if case .missingGraph = $0 { true } else { false } }, mentions: "without a graph"),
        Case(file: "bad/no_opset.onnx", check: { if case .missingOpsetImport = $0 { true } else { false } }, mentions: "opset_import"),
        Case(file: "bad/external_absolute/model.onnx", check: { if case .externalData(_, _, _, let p) = $0 { p == .absoluteLocation } else { false } }, mentions: "'/etc/hosts'"),
        Case(file: "bad/external_escape/model.onnx", check: { if case .externalData(_, _, _, let p) = $0 { p == .climbsOut } else { false } }, mentions: "tensor 'W'"),
        Case(file: "bad/external_missing/model.onnx", check: { if case .externalData(_, _, _, .missingFile) = $0 { true } else { false } }, mentions: "missing.bin"),
        Case(file: "bad/external_out_of_range/model.onnx", check: { if case .externalData(_, _, _, .rangePastEnd(offset: 512, length: 1024, fileSize: _)) = $0 { true } else { false } }, mentions: "offset 512"),
        Case(file: "does-not-exist.onnx", check: { if case .notFound = $0 { true } else { false } }, mentions: "does not exist"),
        Case(file: "bad", check: { if case .isDirectory = $0 { true } else { false } }, mentions: "directory"),
    ]

    @Test(arguments: loadFailures)
    func loadFails(_ c: Case) {
        let error = #expect(throws: ModelLoadError.self) { try ModelLoader.load(path: Fixtures.path(c.file)) }
        guard let error else { return }
        #expect(c.check(error), "unexpected error: \(error)")
        #expect(error.description.contains(c.mentions), "\(error.description)")
    }

    @Test(arguments: [("bad/cycle.onnx", ValidationIssue.Kind.cycle), ("bad/dangling.onnx", .danglingInput),
                      ("bad/duplicate_output.onnx", .duplicateDefinition),
                      ("bad/initializer_shape_mismatch.onnx", .tensorSizeMismatch), ("bad/untyped_io.onnx", .untypedGraphIO),
                      ("bad/external_length_mismatch/model.onnx", .tensorSizeMismatch)])
    func loadsButFailsValidation(file: String, kind: ValidationIssue.Kind) throws {
        let model = try ModelLoader.load(path: Fixtures.path(file)).model
        let issues = Validator.validate(model)
        #expect(issues.map(\.kind).contains(kind), "\(issues)")
    }

    @Test func wireReaderRejectsEveryTruncationOfAValidModel() throws {
        // Every prefix of a valid model must fail cleanly (never crash), or load as a different valid model.
        let path = Fixtures.model("dropout_opset12")
        let bytes = try [UInt8](Foundation.Data(contentsOf: Foundation.URL(fileURLWithPath: path)))
        let dir = Fixtures.temporaryDirectory()
        var failures = 0
        for cut in stride(from: 1, to: bytes.count, by: 7) {
            let p = "\(dir)/cut.onnx"
            try Foundation.Data(bytes[0..<cut]).write(to: Foundation.URL(fileURLWithPath: p))
            do { _ = try ModelLoader.load(path: p, options: .init(computeDigests: false)) } catch { failures += 1 }
        }
        #expect(failures > 0)
    }
}

import Foundation
