import Foundation
import FreezerLog
import FreezerTestSupport
import Testing
@testable import FreezerExport

/// examples/keras-cnn: a `.keras` file exported with tf2onnx. The interpreter FREEZER_EXPORT_PYTHON names
/// (default python3) needs tensorflow-cpu, keras and tf2onnx.
@Suite("Keras export", .enabled(if: TrainingEnvironment.hasKeras,
                                "an interpreter with tensorflow-cpu, keras, tf2onnx and onnx is needed: set FREEZER_EXPORT_PYTHON to it"))
struct KerasExportTests {
    let example = ExampleProject(name: "keras-cnn", files: ["model.keras"])

    func recipe(_ old: String = "python: python3", _ new: String? = nil) -> String {
        example.recipe(replacing: "python: python3", with: "python: \(TrainingEnvironment.python)")
            .replacingOccurrences(of: old, with: new ?? old)
    }

    @Test func exportsWithTf2onnxAndMatchesKeras() throws {
        let path = try example.copy(recipe())
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path) }
        let outcome = try Export.run(recipePath: path, commandLine: ["test"])
        #expect(outcome.framework.equivalent && outcome.framework.samples == 4)
        let lc = outcome.conversion.log.modelConversion.loadingAndConverting
        let export = try #require(lc.export)
        #expect(lc.frameworkAndVersion.framework == "Keras" && lc.frameworkAndVersion.frameworkVersion.contains("TensorFlow"))
        #expect(lc.frameworkAndVersion.exporter.hasPrefix("tf2onnx "))
        #expect(export.exporter.call.hasPrefix("tf2onnx.convert.from_keras(model, input_signature=[tf.TensorSpec([2, 12, 12, 3], tf.float32, name='image')], opset=17"))
        #expect(export.frameworkEquivalence.frameworkInference == "model(inputs, training=False)")
        #expect(export.frameworkEquivalence.outputs.count == 1 && export.frameworkEquivalence.outputs[0].passed)
        // tf2onnx folds BatchNormalization into the convolutions: those weights are named as not exported as they are.
        #expect(export.parameterCheck.notExported.contains("batch_normalization/moving_mean"))
        // The others are found with exactly their values, the convolution's kernel transposed from HWIO to OIHW.
        let matches = try #require(export.parameterCheck.matches)
        #expect(matches.count == export.parameterCheck.compared && matches.count == 4)
        #expect(matches.contains { $0.tensor == "conv2d_1/kernel" && $0.transform == "transposed [3, 2, 0, 1]" })
        #expect(export.packages.contains { $0.name == "tf2onnx" && $0.version != "not installed" })
    }

    @Test func refusesTrainingModeAndAMissingModelFile() throws {
        try example.expectRefusal(recipe("  opset: 17", "  opset: 17\n  training: train")) { e in
            guard case .badRecipe(_, let m) = e else { return false }
            return m.contains("tf2onnx exports the Keras model in inference mode only")
        }
        try example.expectRefusal(recipe("checkpoint: model.keras", "checkpoint: missing.keras")) { e in
            guard case .checkpointMissing(let m) = e else { return false }
            return m.contains("missing.keras' does not exist")
        }
        try example.expectRefusal(recipe("shape: [2, 12, 12, 3]", "shape: [2, 12, 12, 5]")) { e in
            guard case .inputRejected(let m) = e else { return false }
            return m.contains("the model rejects the recipe's inputs ([2, 12, 12, 5])")
        }
    }
}
