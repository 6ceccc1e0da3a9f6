import Foundation
import FreezerTestSupport
import Testing
@testable import FreezerExport

/// Reading the recipe: what is accepted, and that each mistake is named with what to write instead.
@Suite("Export recipe")
struct RecipeTests {
    static let valid = """
        framework: pytorch
        python: .venv/bin/python
        model:
          factory: mypkg.nets:build
          python_path: [src]
          imports: [mypkg.layers]
          checkpoint: ckpt/best.pt
        inputs:
          - {name: input, shape: [2, 3, 224, 224], dtype: float32}
        export:
          exporter: torchscript
          opset: 17
          training: train
          dynamic_axes: {input: {0: batch}}
        model_id: RESNET
        model_version: "3"
        responsible: Jane Doe
        output: out/frozen.onnx
        convert: {samples: 3, seed: 7, rtol: 0.001}
        timeout_seconds: 90
        """

    @Test func readsEveryKey() throws {
        let r = try Recipe.parse(Self.valid, path: "/work/project/recipe.yaml")
        #expect(r.framework == .pytorch)
        #expect(r.factory == "mypkg.nets:build")
        #expect(r.pythonPath.map(r.resolve) == ["/work/project/src"])
        #expect(r.imports == ["mypkg.layers"])
        #expect(r.resolve(r.checkpoint) == "/work/project/ckpt/best.pt")
        #expect(r.inputs == [Recipe.Input(name: "input", shape: [2, 3, 224, 224], dtype: "float32")])
        #expect(r.export["opset"] == .int(17))
        #expect(r.export["dynamic_axes"] == .object(["input": .object(["0": .string("batch")])]))
        #expect((r.modelID, r.modelVersion, r.responsible) == ("RESNET", "3", "Jane Doe"))
        #expect(r.timeoutSeconds == 90)
        let o = try r.conversionOptions(input: "/tmp/e.onnx", output: "/tmp/f.onnx", log: nil)
        #expect((o.samples, o.seed, o.rtol, o.atol) == (3, 7, 0.001, nil))
        #expect(o.modelID == "RESNET" && o.input == "/tmp/e.onnx")
    }

    @Test(arguments: [
        ("framework: pytorch\n", "framework: tensorflow\n", "'framework' must be one of pytorch, keras"),
        ("  factory: mypkg.nets:build\n", "", "'model.factory' is missing"),
        ("  checkpoint: ckpt/best.pt", "  checkpoint: ckpt/best.pt\n  weights: x", "unknown key 'model.weights'"),
        ("shape: [2, 3, 224, 224]", "shape: [2, 0, 224, 224]", "inputs[0] must have a name and a shape of positive integers"),
        ("dtype: float32", "dtype: complex64", "inputs[0].dtype 'complex64' is not one of"),
        ("responsible: Jane Doe", "responsibel: Jane Doe", "unknown key(s) responsibel"),
        ("imports: [mypkg.layers]", "imports: mypkg.layers", "'model.imports' must be a list of module names"),
        ("imports: [mypkg.layers]", "imports: [src/layers.py]", "'model.imports' must be a list of module names"),
        ("timeout_seconds: 90", "timeout_seconds: -1", "'timeout_seconds' must be a positive number"),
        ("framework: pytorch", "framework: pytorch\naccept_parameter_differences: yes please", "'accept_parameter_differences' must be true or false"),
    ])
    func refusesWithTheKeyNamed(_ change: (String, String, String)) throws {
        let text = Self.valid.replacingOccurrences(of: change.0, with: change.1)
        #expect(text != Self.valid)
        #expect { try Recipe.parse(text, path: "r.yaml") } throws: { error in
            "\(error)".contains(change.2) && "\(error)".contains("the recipe 'r.yaml' is not usable")
        }
    }

    @Test func refusesConvertOptionsItDoesNotPass() throws {
        for (section, message) in [("{verify: false}", "'convert.verify' is not an option export passes to convert"),
                                   ("{samples: 0}", "--samples must be at least 1"),
                                   ("{seed: -1}", "'convert.seed' must not be negative")] {
            let r = try Recipe.parse(Self.valid.replacingOccurrences(of: "{samples: 3, seed: 7, rtol: 0.001}", with: section), path: "r.yaml")
            #expect { try r.conversionOptions(input: "a", output: "b", log: nil) } throws: { "\($0)".contains(message) }
        }
    }

    @Test func refusesWhatIsNotARecipe() throws {
        #expect { try Recipe.parse("- a\n- b", path: "r.yaml") } throws: { "\($0)".contains("must be a mapping") }
        #expect { try Recipe.parse("framework: [", path: "r.yaml") } throws: { "\($0)".contains("not valid YAML") }
        #expect(throws: ExportError.recipeMissing("/nonexistent/recipe.yaml")) { try Recipe.read("/nonexistent/recipe.yaml") }
    }

    /// The driver is built into the binary; its digest is the SHA-256 of exactly the text that runs.
    @Test func driverDigestIsItsText() {
        #expect(DriverSource.sha256.count == 64)
        #expect(DriverSource.text.contains("def export_pytorch"))
        #expect(ExportRecordBuilder.sha256(DriverSource.text) == DriverSource.sha256)
    }
}

/// docs/export-recipe.schema.json lists exactly the keys the reader accepts.
@Suite("Export recipe schema")
struct RecipeSchemaTests {
    @Test func listsTheKeysTheReaderAccepts() throws {
        let url = Fixtures.root.appendingPathComponent("docs/export-recipe.schema.json")
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let properties = try #require(schema["properties"] as? [String: [String: Any]])
        #expect(Set(properties.keys) == Recipe.keys)
        let convert = try #require(properties["convert"]?["properties"] as? [String: Any])
        #expect(Set(convert.keys) == Recipe.convertKeys)
        let model = try #require(properties["model"]?["properties"] as? [String: Any])
        #expect(Set(model.keys) == Recipe.modelKeys)
        let dtypes = (((properties["inputs"]?["items"] as? [String: Any])?["properties"] as? [String: Any])?["dtype"] as? [String: Any])?["enum"] as? [String]
        #expect(Set(dtypes ?? []) == Recipe.dtypes)
    }
}
