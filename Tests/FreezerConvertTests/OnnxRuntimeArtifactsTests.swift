import FreezerConvert
import FreezerIR
import FreezerLog
import FreezerONNX
import FreezerTestSupport
import Foundation
import Testing

/// onnxruntime-training artifacts (Tests/Fixtures/ort_artifacts, scripts/make_ort_artifacts.py): a small CNN
/// with BatchNorm and Dropout as generate_artifacts writes it, its checkpoint, and onnxruntime-training's own
/// export_model_for_inferencing of them.
@Suite("onnxruntime-training artifacts")
struct OnnxRuntimeArtifactsTests {
    static func file(_ name: String) -> String { Fixtures.path("ort_artifacts/\(name)") }

    func convert(_ model: String, in dir: String, checkpoint: String? = Self.file("checkpoint")) throws -> Conversion.Outcome {
        try Conversion.run(ConversionOptions(input: Self.file(model), output: dir + "/frozen.onnx", modelID: "ORT", modelVersion: "1",
                                             responsible: "Test", checkpoint: checkpoint), commandLine: [])
    }

    @Test(arguments: ["training_model.onnx", "eval_model.onnx"])
    func freezesWithTheCheckpointAndMatchesOnnxruntimesInferenceExport(model: String) throws {
        let dir = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let outcome = try convert(model, in: dir)
        let frozen = try ModelLoader.load(path: dir + "/frozen.onnx").model
        #expect(frozen.graph.nodes.map(\.opType) == ["Conv", "Relu", "Flatten", "Gemm"])
        #expect(frozen.graph.outputs.map { frozen.graph.value($0).name } == ["logits"])
        // Declared with the element type and rank the graph proves (ONNX's checker wants a shape on outputs).
        #expect(frozen.graph.value(frozen.graph.outputs[0]).type?.tensor == TensorType(elementType: .float, shape: [.unknown, .unknown]))
        #expect(frozen.graph.runtimeInputs.map { frozen.graph.value($0).name } == ["input"])
        #expect(frozen.opsetImports.map(\.domain) == [""])
        // The checkpoint is a data file of the verified learning model, with its digest.
        let checkpoint = try OnnxRuntimeCheckpoint.load(path: Self.file("checkpoint"))
        #expect(outcome.log.modelConversion.verifiedLearningModel.dataFiles.map(\.sha256) == [checkpoint.sha256])
        #expect(outcome.log.modelConversion.loadingAndConverting.converter.recordedOptions?.checkpoint == Self.file("checkpoint"))
        // onnxruntime-training's own inference export (Dropout and BatchNormalization still in it) computes the same.
        let comparison = try Comparison.run(.init(a: Self.file("inference_model.onnx"), b: dir + "/frozen.onnx"))
        #expect(comparison.report.verdict == .equivalent)
    }

    @Test func withoutTheCheckpointTheRefusalSaysHowToGiveTheValues() throws {
        let dir = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect {
            try convert("training_model.onnx", in: dir, checkpoint: nil)
        } throws: { error in
            "\(error)".contains("pass the checkpoint with --checkpoint")
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/frozen.onnx"))
    }

    @Test func checkpointOfOtherParametersIsRefused() throws {
        let dir = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect {
            try convert("inference_model.onnx", in: dir)
        } throws: { error in
            guard case CheckpointError.parameterMismatch(_, let problems)? = error as? CheckpointError else { return false }
            return problems.contains { $0.contains("already has a value in the model") }
        }
    }
}

@Suite("onnxruntime checkpoint reader")
struct OnnxRuntimeCheckpointTests {
    static let path = Fixtures.path("ort_artifacts/checkpoint")

    @Test func readsTrainableAndFrozenParameters() throws {
        let checkpoint = try OnnxRuntimeCheckpoint.load(path: Self.path)
        #expect(checkpoint.trainable.map(\.name).sorted() == ["bn.bias", "bn.weight", "conv.bias", "conv.weight", "fc.bias", "fc.weight"])
        #expect(checkpoint.frozen.map(\.name).sorted() == ["bn.running_mean", "bn.running_var"])
        let weight = try #require(checkpoint.trainable.first { $0.name == "conv.weight" })
        #expect(weight.dims == [8, 3, 3, 3] && weight.elementType == .float)
        #expect(try weight.doubles().count == 216)
        let variance = try #require(checkpoint.frozen.first { $0.name == "bn.running_var" })
        #expect(try variance.doubles().allSatisfy { $0 > 0 })
    }

    /// Every truncation of the file and every corrupted identifier is an error naming the file, never a crash.
    @Test func truncatedOrForeignFilesAreRefused() throws {
        let bytes = try #require(FileManager.default.contents(atPath: Self.path))
        let dir = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cut = dir + "/cut"
        for length in stride(from: 0, to: bytes.count, by: 97) {
            FileManager.default.createFile(atPath: cut, contents: bytes.prefix(length))
            #expect(throws: CheckpointError.self) { try OnnxRuntimeCheckpoint.load(path: cut) }
        }
        var foreign = bytes
        foreign[4] = UInt8(ascii: "X")
        FileManager.default.createFile(atPath: cut, contents: foreign)
        #expect { try OnnxRuntimeCheckpoint.load(path: cut) } throws: { error in "\(error)".contains("expected 'ODTC'") }
        #expect { try OnnxRuntimeCheckpoint.load(path: dir + "/missing") } throws: { error in "\(error)".contains("does not exist") }
    }
}
