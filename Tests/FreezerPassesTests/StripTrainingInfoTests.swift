import FreezerONNX
import FreezerTestSupport
import Testing
@testable import FreezerIR
@testable import FreezerPasses

@Suite("StripTrainingInfo")
struct StripTrainingInfoTests {
    /// x → MatMul(W) → y, with `infos` training_info entries whose algorithm is one Adam step on W.
    static func trainingModel(infos: Int) -> Model {
        var s = GraphSketch()
        s.input("x", [2, 3])
        s.constant("W", seededValues(12, -1...1, seed: 1), [3, 4])
        s.node("MatMul", ["x", "W"], ["y"])
        s.output("y")
        var m = s.model
        var algorithm = GraphSketch(name: "algorithm")
        for name in ["R", "T", "W_in", "G", "V", "H"] { algorithm.input(name, [3, 4]) }
        algorithm.node("Adam", ["R", "T", "W_in", "G", "V", "H"], ["W_new", "V_new", "H_new"], name: "adam",
                       domain: "ai.onnx.preview.training")
        algorithm.node("Neg", ["W_new"], ["W_neg"])
        algorithm.output("W_neg")
        var initialization = GraphSketch(name: "initialization")
        initialization.constant("W0", Array(repeating: 0, count: 12), [3, 4])
        initialization.node("Identity", ["W0"], ["W_init"])
        initialization.output("W_init")
        m.opsetImports.append(OpsetImport(domain: "ai.onnx.preview.training", version: 1))
        m.trainingInfo = (0..<infos).map { _ in
            TrainingInfo(initialization: initialization.graph, algorithm: algorithm.graph,
                         initializationBinding: [.init(key: "W", value: "W_init")],
                         updateBinding: [.init(key: "W", value: "W_neg")])
        }
        return m
    }

    @Test(arguments: [1, 2])
    func removesEveryTrainingInfoAndRecordsWhatItHeld(infos: Int) throws {
        let original = Self.trainingModel(infos: infos)
        let (frozen, context) = try apply(StripTrainingInfo(), to: original)
        // structure
        #expect(frozen.trainingInfo.isEmpty)
        #expect(frozen.graph == original.graph)
        #expect(context.skips.isEmpty)
        let removed = context.changes("removed")
        #expect(removed.map(\.graph) == (0..<infos).map { "training_info[\($0)]" })
        #expect(removed.allSatisfy { $0.category == .trainingInfo })
        for change in removed {
            #expect(change.detail.contains("algorithm: 2 nodes ("), "\(change.detail)")
            #expect(change.detail.contains("Adam ×1") && change.detail.contains("Neg ×1"), "\(change.detail)")
            #expect(change.detail.contains("initialization: 1 nodes"))
            #expect(change.detail.contains("update_binding: W ← W_neg"))
            #expect(change.detail.contains("initialization_binding: W ← W_init"))
        }
        // What inspect found inside the algorithm (the optimizer) is recorded as removed with it.
        let inner = context.changes.filter { $0.action.hasPrefix("removed with training_info[") }
        #expect(!inner.isEmpty, "\(context.changes)")
        #expect(inner.allSatisfy { $0.category != .trainingInfo })
        // validity and numbers: the main graph is untouched
        #expect(Validator.validate(frozen).isEmpty, "\(Validator.validate(frozen))")
        try expectSameOutputs(original, frozen, ["x": seededInput([2, 3], seed: 7)])
    }

    @Test func skipsAModelWithoutTrainingInfo() throws {
        var original = Self.trainingModel(infos: 0)
        original.opsetImports.removeLast()
        let (frozen, context) = try apply(StripTrainingInfo(), to: original)
        #expect(frozen == original)
        #expect(context.changes.isEmpty)
        #expect(context.skips.map(\.reason) == ["not present in the model"])
        #expect(context.skips.first?.category == .trainingInfo)
        #expect(Validator.validate(frozen).isEmpty)
    }

    /// The exported training_info fixtures: what inspect finds in each algorithm (optimizer, clipping,
    /// schedule, regularization) is recorded as removed with it.
    @Test(arguments: ["training_info_adam", "training_info_momentum", "training_info_adagrad"])
    func fixturesRecordEveryTrainingConstructTheyHeld(name: String) throws {
        let original = try ModelLoader.load(path: Fixtures.model(name)).model
        let (frozen, context) = try apply(StripTrainingInfo(), to: original)
        #expect(frozen.trainingInfo.isEmpty)
        #expect(frozen.graph == original.graph)
        #expect(context.changes("removed").map(\.graph) == ["training_info[0]"])
        let categories = Set(context.changes("removed with training_info[0]").map(\.category))
        #expect(categories.isSuperset(of: [.gradientAndOptimizer, .gradientClipping, .learningRateScheduling, .weightRegularization]),
                "\(categories)")
        #expect(Validator.validate(frozen).isEmpty, "\(Validator.validate(frozen))")
    }
}
