import Foundation
import FreezerTestSupport
import Testing
@testable import FreezerIR
@testable import FreezerInspect
@testable import FreezerONNX
@testable import FreezerPasses

@Suite("The standard pipeline on fixture models")
struct PipelineTests {
    static let trainingModels = ["torch_cnn_train", "torch_mlp_train_opset12", "training_info_adam", "training_info_momentum",
                                 "training_info_adagrad", "training_main_graph", "dropout_opset7", "dropout_opset10", "dropout_opset12",
                                 "batchnorm_opset7", "batchnorm_opset9", "batchnorm_opset14_training", "float16_convbn",
                                 "external_data_single", "if_loop_subgraphs", "shared_weights", "initializers_as_inputs"]

    @Test(arguments: trainingModels)
    func freezesToAValidModelWithoutTrainingConstructs(name: String) throws {
        let loaded = try ModelLoader.load(path: Fixtures.model(name))
        let result = try Pipeline.standard().run(loaded.model)
        let issues = Validator.validate(result.model, derivedFrom: loaded.model)
        #expect(issues.isEmpty, "\(issues)")
        let violations = TrainingAudit.violations(in: result.model)
        #expect(violations.isEmpty, "\(violations.map(\.detail))")
        #expect(result.model.trainingInfo.isEmpty)
        func count(_ g: Graph, _ op: String) -> Int {
            g.nodes.filter { $0.opType == op }.count + g.nodes.flatMap { $0.attributes.flatMap(\.subgraphs) }.map { count($0, op) }.reduce(0, +)
        }
        #expect(count(result.model.graph, "Dropout") == 0)
        #expect(!result.context.changes.isEmpty)
        // The original is untouched (value semantics).
        #expect(loaded.model == (try ModelLoader.load(path: Fixtures.model(name))).model)
        let dir = Fixtures.temporaryDirectory()
        try ModelSaver.save(result.model, to: dir + "/frozen.onnx")
        print("FROZEN \(name) \(dir)/frozen.onnx")
    }
}

@Suite("Pass order")
struct PassOrderTests {
    /// IR 3 exports list every initializer as a graph input; the weights must become constants before
    /// FoldBatchNorm looks at them, or nothing folds.
    @Test func batchNormFoldsWhenWeightsWereGraphInputs() throws {
        let loaded = try ModelLoader.load(path: Fixtures.model("batchnorm_opset1"))
        #expect(!loaded.model.graph.initializersAsInputs.isEmpty)
        let result = try Pipeline.standard().run(loaded.model)
        #expect(!result.model.graph.nodes.contains { $0.opType == "BatchNormalization" })
        #expect(result.model.graph.initializersAsInputs.isEmpty)
    }
}
