import FreezerKernels
import Testing
@testable import FreezerIR
@testable import FreezerPasses

@Suite("DisableTrainingSwitches")
struct DisableTrainingSwitchesTests {
    /// x → Relu → Dropout(ratio, is_training) → y, and with `twice` a second Dropout on the same switch.
    static func model(opset: Int64, type: ElementType = .float, twice: Bool = false) -> Model {
        var s = GraphSketch(opset: opset)
        s.input("x", [2, 3], type: type)
        s.input("is_training", [], type: .bool)
        s.constant("ratio", [0.5], [], type: type)
        s.node("Relu", ["x"], ["r"])
        s.node("Dropout", ["r", "ratio", "is_training"], ["y"], name: "drop")
        s.output("y", type: type)
        if twice {
            s.node("Dropout", ["r", "ratio", "is_training"], ["z"], name: "drop2")
            s.output("z", type: type)
        }
        return s.model
    }

    static func feeds(type: ElementType = .float) -> [String: NDArray] {
        ["x": seededInput([2, 3], seed: 21, type: type), "is_training": NDArray(bools: [true], shape: [])]
    }

    @Test(arguments: [Int64(12), 13, 22])
    func switchFedByAGraphInputBecomesConstantFalse(opset: Int64) throws {
        let original = Self.model(opset: opset)
        let (frozen, context) = try apply(DisableTrainingSwitches(), to: original)
        // structure: the input is gone, Dropout reads a constant false, nothing else changed
        #expect(frozen.graph.inputs.map { frozen.graph.value($0).name } == ["x"])
        #expect(frozen.graph.ops() == ["Relu", "Dropout"])
        let flag = frozen.graph.nodes[1].inputs[2]!
        #expect(frozen.graph.value(flag).name == "is_training_frozen_false")
        #expect(frozen.graph.initializer(flag)?.elementType == .bool)
        #expect(try frozen.graph.initializer(flag)?.doubles() == [0])
        #expect(context.skips.isEmpty)
        #expect(context.changes.map(\.action) == ["training switch set to false"])
        #expect(context.changes[0].category == .dropout && context.changes[0].nodes == ["drop"])
        #expect(context.changes[0].detail.contains("graph input 'is_training' (read by drop)"))
        #expect(Validator.validate(frozen).isEmpty, "\(Validator.validate(frozen))")
        // numbers: the original with is_training = true, evaluated with inference semantics
        try expectSameOutputs(original, frozen, Self.feeds())
    }

    @Test func oneSwitchReadByTwoDropoutsIsOneChange() throws {
        let original = Self.model(opset: 13, twice: true)
        let (frozen, context) = try apply(DisableTrainingSwitches(), to: original)
        #expect(frozen.graph.inputs.count == 1)
        #expect(frozen.graph.initializers.count == 2)
        #expect(frozen.graph.nodes[1].inputs[2] == frozen.graph.nodes[2].inputs[2])
        #expect(context.changes.count == 1)
        #expect(context.changes[0].nodes == ["drop", "drop2"])
        #expect(Validator.validate(frozen).isEmpty, "\(Validator.validate(frozen))")
        try expectSameOutputs(original, frozen, Self.feeds())
    }

    @Test func float16Dropout() throws {
        let original = Self.model(opset: 13, type: .float16)
        let (frozen, context) = try apply(DisableTrainingSwitches(), to: original)
        #expect(frozen.graph.inputs.count == 1)
        #expect(context.changes.count == 1)
        #expect(Validator.validate(frozen).isEmpty, "\(Validator.validate(frozen))")
        try expectSameOutputs(original, frozen, Self.feeds(type: .float16))
    }

    /// A constant switch and the switchless Dropouts of opsets 7 and 10 are left to RemoveDropout.
    @Test(arguments: [Int64(7), 10, 13])
    func leavesDropoutsWithoutAnInputSwitchAlone(opset: Int64) throws {
        var s = GraphSketch(opset: opset)
        s.input("x", [2, 3])
        if opset >= 12 {
            s.constant("ratio", [0.5], [])
            s.constant("training", [1], [], type: .bool)
            s.node("Dropout", ["x", "ratio", "training"], ["y"], name: "drop")
        } else {
            s.node("Dropout", ["x"], ["y"], name: "drop", [Attribute(name: "ratio", value: .float(0.5))])
        }
        s.output("y")
        let (frozen, context) = try apply(DisableTrainingSwitches(), to: s.model)
        #expect(frozen == s.model)
        #expect(context.changes.isEmpty && context.skips.isEmpty)
        #expect(Validator.validate(frozen).isEmpty)
    }

    /// A switch read by a Dropout in the main graph and by one in an If branch: both read the constant
    /// false afterwards, and the branch does not lose the value it captured.
    @Test func switchAlsoReadInsideABranch() throws {
        var then = GraphSketch(name: "then", outerScope: ["r", "ratio", "is_training"], opset: 13)
        then.node("Dropout", ["r", "ratio", "is_training"], ["t"], name: "inner_drop")
        then.output("t")
        var orElse = GraphSketch(name: "else", outerScope: ["r"], opset: 13)
        orElse.node("Neg", ["r"], ["e"])
        orElse.output("e")
        var s = GraphSketch.branching(then: then, else: orElse, opset: 13) {
            $0.input("is_training", [], type: .bool)
            $0.constant("ratio", [0.5], [])
            $0.node("Dropout", ["x", "ratio", "is_training"], ["r"], name: "drop")
        }
        s.output("r")
        let (frozen, context) = try apply(DisableTrainingSwitches(), to: s.model)
        #expect(context.changes.count == 1)
        #expect(Validator.validate(frozen).isEmpty, "\(Validator.validate(frozen))")
        let inner = frozen.graph.nodes.first { $0.opType == "If" }!.attribute("then_branch")!.subgraphs[0].nodes[0]
        #expect(inner.inputs.count == 3)
        for cond in [true, false] {
            try expectSameOutputs(s.model, frozen, ["x": seededInput([2, 3], seed: 22), "c": NDArray(bools: [cond], shape: []),
                                                    "is_training": NDArray(bools: [true], shape: [])])
        }
    }
}
