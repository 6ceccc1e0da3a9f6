import Foundation
import FreezerIR
import FreezerTestSupport
import Testing
@testable import FreezerConvert
@testable import FreezerLog
@testable import FreezerONNX

@Suite("Conversion end to end (library)")
struct ConversionTests {
    func options(_ model: String, _ dir: String, verify: Bool = true) -> ConversionOptions {
        ConversionOptions(input: Fixtures.model(model), output: dir + "/frozen.onnx", modelID: "MODEL", modelVersion: "7",
                          responsible: "Jane Doe", samples: 2, verify: verify)
    }

    @Test(arguments: ["torch_cnn_train", "torch_mlp_train_opset12", "training_info_momentum", "training_main_graph",
                      "if_loop_subgraphs", "float16_convbn", "batchnorm_opset6", "dropout_opset1", "shared_weights"])
    func convertsProvesEquivalenceAndLogsEveryCategory(model: String) throws {
        let dir = Fixtures.temporaryDirectory()
        let outcome = try Conversion.run(options(model, dir), commandLine: ["freezer", "convert"])
        let log = try ConversionLog.decode(Data(contentsOf: URL(fileURLWithPath: outcome.logPath)))
        #expect(log == outcome.log)
        #expect(log.equivalence.verdict == "equivalent")
        #expect(log.equivalence.outputs.allSatisfy { $0.outsideTolerance == 0 && $0.elementsCompared > 0 })
        let table = log.modelConversion
        #expect(table.verifiedLearningModelID == "MODEL_7")
        #expect(table.phaseOfTheLifecycle == "Inference Management")
        #expect(table.verifiedLearningModel.sha256 == (try FileDigest.sha256(ofFile: Fixtures.model(model))).sha256)
        #expect(log.frozenModel.file.sha256 == (try FileDigest.sha256(ofFile: dir + "/frozen.onnx")).sha256)
        #expect(table.eliminationOfTrainingSpecificOperations.map(\.category)
                == ["dropout", "batchNormalization", "gradientClipping", "learningRateScheduling", "weightRegularization",
                    "gradientAndOptimizer", "loss", "trainingInfo", "parameters"])
        for entry in table.eliminationOfTrainingSpecificOperations {
            #expect(!entry.summary.isEmpty && !entry.status.isEmpty)
            if entry.status == "not present" { #expect(entry.found.isEmpty && entry.nodesSearched > 0) }
        }
        #expect(log.recordDigest == (try ConversionIdentity.recordDigest(log)))
        // The frozen model leads back to its log.
        let frozen = try ModelLoader.load(path: dir + "/frozen.onnx").model
        let metadata = Dictionary(uniqueKeysWithValues: frozen.metadataProps.map { ($0.key, $0.value) })
        #expect(metadata["freezer.conversion_id"] == table.modelConversionID)
        #expect(metadata["freezer.verified_learning_model_sha256"] == table.verifiedLearningModel.sha256)
        #expect(frozen.graph.repeatedNodeNames.isEmpty)
    }

    @Test func trainingInfoIsRecordedWithItsOptimizerAndSchedule() throws {
        let dir = Fixtures.temporaryDirectory()
        let outcome = try Conversion.run(options("training_info_adam", dir), commandLine: [])
        let entries = Dictionary(uniqueKeysWithValues: outcome.log.modelConversion.eliminationOfTrainingSpecificOperations.map { ($0.category, $0) })
        #expect(entries["trainingInfo"]?.status == "eliminated")
        #expect(entries["learningRateScheduling"]?.status != "not present")
        #expect(entries["gradientClipping"]?.status != "not present")
        #expect(entries["weightRegularization"]?.status != "not present")
        #expect(entries["trainingInfo"]!.changes.first!.detail.contains("Adam"))
    }

    @Test func sameInputAndOptionsGiveTheSameFrozenBytesAndID() throws {
        let a = Fixtures.temporaryDirectory(), b = Fixtures.temporaryDirectory()
        let first = try Conversion.run(options("torch_cnn_train", a), commandLine: [])
        let second = try Conversion.run(options("torch_cnn_train", b), commandLine: [])
        #expect(first.saved.sha256 == second.saved.sha256)
        #expect(first.log.modelConversion.modelConversionID == second.log.modelConversion.modelConversionID)
        var other = options("torch_cnn_train", b)
        other.modelVersion = "8"
        other.output = b + "/other.onnx"
        #expect(try Conversion.run(other, commandLine: []).log.modelConversion.modelConversionID != first.log.modelConversion.modelConversionID)
    }

    @Test func noVerifyIsStatedInTheLog() throws {
        let dir = Fixtures.temporaryDirectory()
        let outcome = try Conversion.run(options("torch_cnn_train", dir, verify: false), commandLine: [])
        #expect(outcome.log.equivalence.verdict == "skipped")
        #expect(outcome.log.equivalence.statement.contains("--no-verify"))
        #expect(outcome.log.warnings.contains { $0.contains("not verified") })
    }

    @Test func userInputsFromTestDataAreUsedAndDigested() throws {
        let dir = Fixtures.temporaryDirectory()
        var o = options("torch_cnn_train", dir)
        o.inputsDirectory = Fixtures.path("torch_cnn_train")
        let outcome = try Conversion.run(o, commandLine: [])
        #expect(outcome.log.equivalence.verdict == "equivalent")
        #expect(outcome.log.equivalence.samples.first?.source.contains("test_data_set_0") == true)
        #expect(outcome.log.equivalence.samples.first?.inputs.first?.contains("sha256") == true)
    }

    /// Given inputs need not include training-only inputs (labels): the frozen model has none, and the
    /// original computes the inference outputs without them.
    @Test func givenInputsNeedOnlyWhatTheFrozenModelReads() throws {
        func float2(_ name: String) -> ValueInfo {
            ValueInfo(name: name, type: ValueType(tensor: TensorType(elementType: .float, shape: [.value(2)])))
        }
        let graph = Graph(name: "with_labels", inputs: [float2("x"), float2("labels")], outputs: [float2("y"), float2("loss")],
                          nodes: [NodeSpec(name: "relu", opType: "Relu", opsetVersion: 17, inputs: ["x"], outputs: ["y"]),
                                  NodeSpec(name: "error", opType: "Sub", opsetVersion: 17, inputs: ["y", "labels"], outputs: ["loss"])])
        let dir = Fixtures.temporaryDirectory()
        try ModelSaver.save(Model(irVersion: 8, opsetImports: [OpsetImport(domain: "", version: 17)], graph: graph), to: dir + "/model.onnx")
        try FileManager.default.createDirectory(atPath: dir + "/data", withIntermediateDirectories: false)
        try TensorFile.write(Tensor.make(name: "", type: .float, dims: [2], values: [-1, 2]), to: dir + "/data/input_0.pb")
        var o = options("torch_cnn_train", dir)
        o.input = dir + "/model.onnx"
        o.inputsDirectory = dir + "/data"
        let outcome = try Conversion.run(o, commandLine: [])
        #expect(outcome.log.equivalence.verdict == "equivalent")
        #expect(outcome.log.equivalence.samples.first?.inputs.map { $0.prefix { $0 != ":" } } == ["x"])
    }

    /// Two BatchNormalizations without names folded into MatMuls: each gets its own bias Add, and the saved
    /// model has no two nodes of one name (onnxruntime refuses to load such a model).
    /// The log warns when the input itself repeats node names: freezer keeps the user's names, repeats too.
    @Test(arguments: [nil, "mm"])
    func theSavedModelHasNoRepeatedNodeName(repeatName: String?) throws {
        func float(_ name: String) -> ValueInfo {
            ValueInfo(name: name, type: ValueType(tensor: TensorType(elementType: .float, shape: [.value(4), .value(2)])))
        }
        var initializers: [Tensor] = [], nodes: [NodeSpec] = []
        for i in 0..<2 {
            initializers.append(Tensor.make(name: "W\(i)", type: .float, dims: [2, 2], values: [1, -2, 0.5, 3]))
            for (role, v) in [("s", 1.5), ("b", 0.25), ("m", -0.5), ("v", 2)] {
                initializers.append(Tensor.make(name: "bn\(i).\(role)", type: .float, dims: [2], values: [v, v / 2]))
            }
            nodes.append(NodeSpec(name: repeatName ?? "", opType: "MatMul", opsetVersion: 17, inputs: [i == 0 ? "x" : "y0", "W\(i)"], outputs: ["m\(i)"]))
            nodes.append(NodeSpec(opType: "BatchNormalization", opsetVersion: 17, inputs: ["m\(i)"] + ["s", "b", "m", "v"].map { "bn\(i).\($0)" },
                                  outputs: ["y\(i)", "rm\(i)", "rv\(i)"], attributes: [Attribute(name: "training_mode", value: .int(1))]))
        }
        let graph = Graph(name: "unnamed", inputs: [float("x")], outputs: [float("y1")], initializers: initializers, nodes: nodes)
        let dir = Fixtures.temporaryDirectory()
        try ModelSaver.save(Model(irVersion: 8, opsetImports: [OpsetImport(domain: "", version: 17)], graph: graph), to: dir + "/model.onnx")
        var o = options("torch_cnn_train", dir)
        o.input = dir + "/model.onnx"
        let log = try Conversion.run(o, commandLine: []).log
        let frozen = try ModelLoader.load(path: dir + "/frozen.onnx").model
        #expect(frozen.graph.nodes.map(\.opType) == ["MatMul", "Add", "MatMul", "Add"])
        #expect(frozen.graph.nodes.filter { $0.opType == "Add" }.map(\.name) == ["m0_biased", "m1_biased"])
        #expect(frozen.graph.repeatedNodeNames == (repeatName.map { [$0] } ?? []))
        #expect(log.warnings.contains { $0.contains("repeats node names ('mm')") } == (repeatName != nil))
    }

    @Test func badOptionsAreRefusedBeforeAnythingIsRead() {
        let dir = Fixtures.temporaryDirectory()
        var o = options("torch_cnn_train", dir)
        o.samples = 0
        #expect(throws: ConversionError.self) { try Conversion.run(o, commandLine: []) }
        o = options("torch_cnn_train", dir)
        o.expectSHA256 = "xyz"
        #expect(throws: ConversionError.self) { try Conversion.run(o, commandLine: []) }
        o = options("torch_cnn_train", dir)
        o.inputShapes = ["nonexistent": [1]]
        #expect(throws: ConversionError.self) { try Conversion.run(o, commandLine: []) }
        #expect((try? FileManager.default.contentsOfDirectory(atPath: dir))?.isEmpty == true)
    }
}
