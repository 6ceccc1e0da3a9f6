import Foundation
import FreezerLog
import FreezerONNX
import FreezerTestSupport
import Testing
@testable import FreezerExport

/// examples/pytorch-dynamo: the dynamo exporter in eval mode. It needs onnxscript, which the machine's
/// python3 may lack: FREEZER_EXPORT_PYTHON names an interpreter that has it (e.g. a virtual environment).
@Suite("PyTorch dynamo export")
struct DynamoExportTests {
    let example = ExampleProject(name: "pytorch-dynamo", package: "resnet")

    @Test(.enabled(if: TrainingEnvironment.hasDynamo, "an interpreter with torch, onnx and onnxscript is needed: set FREEZER_EXPORT_PYTHON to it"))
    func exportsWithDynamoInEvalMode() throws {
        let path = try example.copy(example.recipe(replacing: "python: python3", with: "python: \(TrainingEnvironment.python)"))
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path) }
        let outcome = try Export.run(recipePath: path, commandLine: ["test"])
        #expect(outcome.framework.equivalent && outcome.framework.samples == 4)
        let export = try #require(outcome.conversion.log.modelConversion.loadingAndConverting.export)
        #expect(export.exporter.exporter == "dynamo" && export.exporter.training == "eval")
        #expect(export.exporter.parameters["dynamo"] == "true" && export.exporter.parameters["optimize"] == "false")
        #expect(export.exporter.heldRunningStatistics.isEmpty)
        #expect(export.parameterCheck.compared == 13 && export.parameterCheck.differences.isEmpty)
        #expect(outcome.conversion.log.modelConversion.loadingAndConverting.frameworkAndVersion.exporter == "torch.onnx.export (dynamo)")
    }

    /// An exporter that writes external data: the data file moves into place beside the kept exported
    /// model under the name the model refers to, so that the kept model loads (and matches the log).
    @Test(.enabled(if: TrainingEnvironment.hasDynamo, "an interpreter with torch, onnx and onnxscript is needed: set FREEZER_EXPORT_PYTHON to it"))
    func externalDataMovesWithTheExportedModel() throws {
        let recipe = example.recipe(replacing: "python: python3", with: "python: \(TrainingEnvironment.python)")
            .replacingOccurrences(of: "  optimize: false", with: "  optimize: false\n  external_data: true")
        let path = try example.copy(recipe)
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path) }
        let outcome = try Export.run(recipePath: path, commandLine: ["test"])
        let kept = try ModelLoader.load(path: outcome.exportedModel)
        let dataFiles = outcome.conversion.log.modelConversion.verifiedLearningModel.dataFiles
        #expect(!kept.source.dataFiles.isEmpty)
        #expect(kept.source.dataFiles.map(\.location) == dataFiles.map(\.location))
        #expect(kept.source.dataFiles.map(\.sha256) == dataFiles.map(\.sha256))
        #expect(kept.source.sha256 == outcome.conversion.log.modelConversion.verifiedLearningModel.sha256)
        // Nothing is left of the work directory.
        let out = Paths.directory(of: outcome.exportedModel)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).allSatisfy { !$0.hasPrefix(".freezer-export") })
    }

    /// The dynamo exporter needs onnxscript: without it the driver names the package to install.
    @Test(.enabled(if: TrainingEnvironment.python3LacksOnnxscript, "python3 has onnxscript (or lacks torch), so its absence cannot be shown with it"))
    func namesTheMissingOnnxscript() throws {
        try example.expectRefusal(example.recipe) { e in
            guard case .packageMissing(let m) = e else { return false }
            return m.contains("'onnxscript' is needed by the dynamo exporter") && m.contains("pip install onnxscript")
        }
    }
}
