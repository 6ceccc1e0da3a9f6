import Foundation
import FreezerTestSupport
import Testing
@testable import FreezerExport

/// A Keras model with a custom layer: its module is imported as model.imports lists it, and the layer's
/// own exception while Keras loads the model is the model's code failing, named by its file and line.
@Suite("Keras custom layer", .enabled(if: TrainingEnvironment.hasKeras,
                                      "an interpreter with tensorflow-cpu, keras, tf2onnx and onnx is needed: set FREEZER_EXPORT_PYTHON to it"))
struct KerasCustomLayerTests {
    static let layer = """
        import keras


        @keras.saving.register_keras_serializable(package="mylayers")
        class Scale(keras.layers.Layer):
            def call(self, x):
                return x * 2.0

        """

    /// A project with src/mylayers.py, model.keras (Dense then Scale) and a recipe with `imports`.
    func project(imports: String = "  imports: [mylayers]\n") throws -> String {
        let dir = Fixtures.temporaryDirectory("freezer-keras-layer")
        try FileManager.default.createDirectory(atPath: dir + "/src", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/out", withIntermediateDirectories: true)
        try Self.layer.write(toFile: dir + "/src/mylayers.py", atomically: true, encoding: .utf8)
        let make = Process()
        make.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        make.arguments = [TrainingEnvironment.python, "-c", """
            import sys; sys.path.insert(0, "src")
            import keras, mylayers
            keras.utils.set_random_seed(0)
            i = keras.Input((4,), name="x")
            keras.Model(i, mylayers.Scale()(keras.layers.Dense(3)(i))).save("model.keras")
            """]
        make.currentDirectoryURL = URL(fileURLWithPath: dir)
        make.standardError = FileHandle.nullDevice
        try make.run()
        make.waitUntilExit()
        try #require(make.terminationStatus == 0, "the Keras model could not be made")
        let recipe = """
            framework: keras
            python: \(TrainingEnvironment.python)
            model:
              checkpoint: model.keras
              python_path: [src]
            \(imports)inputs:
              - {name: x, shape: [2, 4], dtype: float32}
            export: {exporter: tf2onnx, opset: 17}
            model_id: K
            model_version: "1"
            responsible: J
            output: out/frozen.onnx
            convert: {samples: 2}

            """
        try recipe.write(toFile: dir + "/recipe.yaml", atomically: true, encoding: .utf8)
        return dir + "/recipe.yaml"
    }

    func expectRefusal(_ recipe: String, _ check: (ExportError) -> Bool) {
        #expect { try Export.run(recipePath: recipe, commandLine: ["test"]) } throws: { error in
            guard let e = error as? ExportError else { return false }
            return check(e)
        }
        let out = URL(fileURLWithPath: recipe).deletingLastPathComponent().path + "/out"
        #expect((try? FileManager.default.contentsOfDirectory(atPath: out)) == [])
    }

    @Test func aCustomLayerLoadsWhenItsModuleIsImportedAndItsFailureIsTheModels() throws {
        let recipe = try project()
        let dir = URL(fileURLWithPath: recipe).deletingLastPathComponent().path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let outcome = try Export.run(recipePath: recipe, commandLine: ["test"])
        #expect(outcome.framework.equivalent)
        try FileManager.default.removeItem(atPath: dir + "/out")
        try FileManager.default.createDirectory(atPath: dir + "/out", withIntermediateDirectories: false)

        // The layer's own bug, met while Keras rebuilds the model.
        try Self.layer.replacingOccurrences(of: "return x * 2.0", with: "raise ValueError(\"scale is broken\")")
            .write(toFile: dir + "/src/mylayers.py", atomically: true, encoding: .utf8)
        expectRefusal(recipe) { e in
            guard case .modelCodeFailed(let f) = e else { return false }
            return f.phase == .checkpoint && f.file == "src/mylayers.py" && f.line == 7 && f.exception.contains("scale is broken")
                && !f.exception.contains("\u{1B}")
        }
    }

    @Test func withoutItsModuleTheRefusalSaysHowToImportIt() throws {
        let recipe = try project(imports: "")
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: recipe).deletingLastPathComponent().path) }
        expectRefusal(recipe) { e in
            guard case .checkpointMismatch(let m) = e else { return false }
            return m.contains("Scale") && m.contains("listing it in model.imports")
        }
    }
}
