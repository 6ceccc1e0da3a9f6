import Foundation
import FreezerLog
import FreezerONNX
import FreezerTestSupport
import Testing
@testable import FreezerExport

/// `freezer export` end to end on examples/pytorch-cnn, in the machine's python3. Needs torch and onnx
/// there; without them these tests are skipped (the message says what to install).
@Suite("PyTorch export", .enabled(if: TrainingEnvironment.hasTorch, "python3 with torch and onnx is needed: pip install torch onnx"))
struct PyTorchExportTests {
    let example = ExampleProject(name: "pytorch-cnn", package: "cnn")
    static var recipe: String { ExampleProject(name: "pytorch-cnn", package: "cnn").recipe }
    func project(_ recipe: String, extraModules: [String: String] = [:]) throws -> String { try example.copy(recipe, extraModules: extraModules) }
    func recipe(replacing old: String, with new: String) -> String { example.recipe(replacing: old, with: new) }
    func expectRefusal(_ recipe: String, modules: [String: String] = [:], _ check: (ExportError) -> Bool) throws {
        try example.expectRefusal(recipe, modules: modules, check)
    }

    @Test func exportsFreezesAndMatchesTheFramework() throws {
        let path = try project(Self.recipe)
        defer { try? FileManager.default.removeItem(atPath: Paths.directory(of: path)) }
        let outcome = try Export.run(recipePath: path, commandLine: ["freezer", "export", path])
        let dir = Paths.directory(of: path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/out").sorted()
                == ["frozen.conversion-log.json", "frozen.exported.onnx", "frozen.onnx"])
        #expect(outcome.framework.equivalent && outcome.framework.samples == 8)
        let log = try ConversionLog.decode(Data(contentsOf: URL(fileURLWithPath: dir + "/out/frozen.conversion-log.json")))
        let lc = log.modelConversion.loadingAndConverting
        let export = try #require(lc.export)
        #expect(lc.frameworkAndVersion.framework == "PyTorch")
        #expect(lc.frameworkAndVersion.frameworkVersion == export.packages.first { $0.name == "torch" }?.version)
        #expect(lc.frameworkAndVersion.evidence.hasPrefix("measured by freezer export's driver"))
        #expect(lc.converter.configurationFile?.content == Self.recipe)
        #expect(export.driver.sha256 == DriverSource.sha256 && export.driver.runs.map(\.mode) == ["export", "infer"])
        #expect(export.checkpointFiles.map(\.sha256) == [try FileDigest.sha256(ofFile: dir + "/checkpoint.pt").sha256])
        #expect(export.exportedModel.sha256 == (try FileDigest.sha256(ofFile: dir + "/out/frozen.exported.onnx").sha256))
        #expect(log.modelConversion.verifiedLearningModel.sha256 == export.exportedModel.sha256)
        #expect(export.exporter.parameters["opset_version"] == "17" && export.exporter.parameters["do_constant_folding"] == "false")
        #expect(export.exporter.heldRunningStatistics == ["1", "5"])
        #expect(export.parameterCheck.compared == 13 && export.parameterCheck.differences.isEmpty)
        #expect(export.frameworkEquivalence.verdict == "equivalent" && export.frameworkEquivalence.outputs.map(\.name) == ["logits"])
        #expect(!export.pipFreeze.content.isEmpty && export.pipFreeze.sha256.count == 64)
        #expect(!export.python.version.isEmpty)
        // The same recipe and checkpoint give the same exported and frozen models, byte for byte.
        let before = try [FileDigest.sha256(ofFile: dir + "/out/frozen.onnx"), FileDigest.sha256(ofFile: dir + "/out/frozen.exported.onnx")]
        _ = try Export.run(recipePath: path, commandLine: ["freezer", "export", path])
        #expect(try [FileDigest.sha256(ofFile: dir + "/out/frozen.onnx"), FileDigest.sha256(ofFile: dir + "/out/frozen.exported.onnx")] == before)
    }

    /// A .safetensors checkpoint is read as well as a torch.save'd state_dict.
    @Test(.enabled(if: TrainingEnvironment.imports("safetensors"), "python3 lacks safetensors: pip install safetensors"))
    func readsSafetensors() throws {
        let path = try project(recipe(replacing: "checkpoint: checkpoint.pt", with: "checkpoint: checkpoint.safetensors"))
        let dir = Paths.directory(of: path)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let convert = Process()
        convert.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        convert.arguments = ["python3", "-c", "import torch, safetensors.torch as s; s.save_file(torch.load('checkpoint.pt'), 'checkpoint.safetensors')"]
        convert.currentDirectoryURL = URL(fileURLWithPath: dir)
        try convert.run()
        convert.waitUntilExit()
        let outcome = try Export.run(recipePath: path, commandLine: ["test"])
        let export = try #require(outcome.conversion.log.modelConversion.loadingAndConverting.export)
        #expect(export.checkpointFiles.map { Paths.fileName(of: $0.location) } == ["checkpoint.safetensors"])
        #expect(export.parameterCheck.compared == 13 && outcome.framework.equivalent)
    }

    /// The hazard: a training-mode trace moves BatchNorm running statistics. Without holding them the
    /// exported values differ from the checkpoint's and the export is refused, naming them; accepted, the
    /// framework check still catches that the frozen model is not the framework's model.
    @Test func catchesMovedRunningStatistics() throws {
        let unheld = recipe(replacing: "  opset: 17", with: "  opset: 17\n  hold_running_statistics: false")
        try expectRefusal(unheld) { e in
            guard case .parameterDifferences(let m) = e else { return false }
            return m.contains("4 of 13 exported initializers differ") && m.contains("1.running_mean") && m.contains("largest difference")
        }
        try expectRefusal(unheld + "accept_parameter_differences: true\n") { e in
            guard case .frameworkNotEquivalent(let m) = e else { return false }
            return m.contains("logits: NOT within the bound")
        }
    }

    @Test func refusesAMissingInterpreterOrPackage() throws {
        try expectRefusal(recipe(replacing: "python: python3", with: "python: .venv/bin/python")) { e in
            guard case .interpreterNotFound(let p) = e else { return false }
            return p.hasSuffix("/.venv/bin/python")
        }
        // An environment without torch: a venv that does not see the system's packages.
        let venv = Fixtures.temporaryDirectory("freezer-venv")
        defer { try? FileManager.default.removeItem(atPath: venv) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-m", "venv", "--without-pip", venv + "/env"]
        try p.run()
        p.waitUntilExit()
        try expectRefusal(recipe(replacing: "python: python3", with: "python: \(venv)/env/bin/python")) { e in
            guard case .packageMissing(let m) = e else { return false }
            return m.contains("'torch' is needed") && m.contains("pip install torch")
        }
    }

    @Test func refusesABadFactory() throws {
        try expectRefusal(recipe(replacing: "cnn.nets:build", with: "cnn.nosuch:build")) { e in
            guard case .factoryInvalid(let m) = e else { return false }
            return m.contains("cannot import 'cnn.nosuch'")
        }
        try expectRefusal(recipe(replacing: "cnn.nets:build", with: "cnn.other:build"), modules: ["other": "def build():\n    return 42\n"]) { e in
            guard case .factoryInvalid(let m) = e else { return false }
            return m.contains("returned int, not a torch.nn.Module")
        }
    }

    @Test func refusesAMissingOrMismatchedCheckpoint() throws {
        try expectRefusal(recipe(replacing: "checkpoint: checkpoint.pt", with: "checkpoint: nothing.pt")) { e in
            guard case .checkpointMissing(let m) = e else { return false }
            return m.contains("nothing.pt' does not exist")
        }
        let wider = "import torch\nfrom cnn.nets import build as base\n\ndef build():\n    m = base()\n    m[10] = torch.nn.Identity()\n    m.append(torch.nn.Linear(16, 10))\n    return m\n"
        try expectRefusal(recipe(replacing: "cnn.nets:build", with: "cnn.wider:build"), modules: ["wider": wider]) { e in
            guard case .checkpointMismatch(let m) = e else { return false }
            return m.contains("missing keys (in the model, not in the checkpoint): 11.bias, 11.weight")
                && m.contains("unexpected keys (in the checkpoint, not in the model): 10.bias, 10.weight")
        }
    }

    @Test func refusesInputsTheModelRejects() throws {
        try expectRefusal(recipe(replacing: "shape: [2, 3, 16, 16]", with: "shape: [2, 4, 16, 16]")) { e in
            guard case .inputRejected(let m) = e else { return false }
            return m.contains("the model rejects the recipe's inputs ([2, 4, 16, 16])")
        }
    }

    @Test func showsTheExportersFailure() throws {
        try expectRefusal(recipe(replacing: "  opset: 17", with: "  opset: 17\n  no_such_parameter: 1")) { e in
            guard case .exporterFailed(let m) = e else { return false }
            return m.contains("no_such_parameter")
        }
    }

    @Test func namesAnOperatorTheExporterCannotWriteInTrainingMode() throws {
        // AlphaDropout has no parameters, so the checkpoint still matches the model.
        let alpha = "import torch\nfrom cnn.nets import build as base\n\ndef build():\n    m = base()\n    m.append(torch.nn.AlphaDropout(0.1))\n    return m\n"
        try expectRefusal(recipe(replacing: "cnn.nets:build", with: "cnn.alpha:build"), modules: ["alpha": alpha]) { e in
            guard case .exporterFailed(let m) = e else { return false }
            return m.contains("cannot write aten::alpha_dropout in training mode") && m.contains("training: eval")
                && !m.contains("Inputs:")
        }
    }

    @Test func stopsADriverThatRunsTooLong() throws {
        let slow = "import time\n\ndef build():\n    time.sleep(60)\n"
        let start = Date()
        try expectRefusal(recipe(replacing: "cnn.nets:build", with: "cnn.slow:build") + "timeout_seconds: 3\n", modules: ["slow": slow]) { e in
            guard case .timedOut(let seconds, let mode, _) = e else { return false }
            return seconds == 3 && mode == "export"
        }
        #expect(Date().timeIntervalSince(start) < 30)
    }
}
