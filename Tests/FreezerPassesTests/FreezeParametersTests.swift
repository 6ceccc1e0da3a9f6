import Testing
@testable import FreezerIR
@testable import FreezerPasses

@Suite("FreezeParameters")
struct FreezeParametersTests {
    /// x → MatMul(W) → Add(b) → y; `listed` names the initializers that are also graph inputs.
    static func model(listed: [String], ir: Int64 = 8, opset: Int64 = 13) -> Model {
        var s = GraphSketch(opset: opset)
        s.input("x", [2, 3])
        s.constant("W", seededValues(12, -1...1, seed: 2), [3, 4])
        s.constant("b", seededValues(4, -1...1, seed: 3), [4])
        for name in listed { s.input(name, name == "W" ? [3, 4] : [4]) }
        s.node("MatMul", ["x", "W"], ["m"])
        s.node("Add", ["m", "b"], ["y"], opset < 7 ? [Attribute(name: "broadcast", value: .int(1))] : [])
        s.output("y")
        var m = s.model
        m.irVersion = ir
        return m
    }

    @Test func initializersListedAsInputsBecomeConstants() throws {
        let original = Self.model(listed: ["W", "b"])
        #expect(original.graph.initializersAsInputs.count == 2)
        let (frozen, context) = try apply(FreezeParameters(), to: original)
        #expect(frozen.graph.inputs.map { frozen.graph.value($0).name } == ["x"])
        #expect(frozen.graph.tensor("W") != nil && frozen.graph.tensor("b") != nil)
        #expect(frozen.graph.ops() == ["MatMul", "Add"])
        #expect(frozen.irVersion == 8)
        #expect(context.skips.isEmpty)
        #expect(context.changes.map(\.action) == ["made constant"])
        #expect(context.changes[0].category == .parameters)
        #expect(context.changes[0].detail == "2 initializers are no longer graph inputs: W, b")
        #expect(Validator.validate(frozen).isEmpty, "\(Validator.validate(frozen))")
        try expectSameOutputs(original, frozen, ["x": seededInput([2, 3], seed: 11)])
    }

    @Test func skipsAModelWhoseParametersAreAlreadyConstants() throws {
        let original = Self.model(listed: [])
        let (frozen, context) = try apply(FreezeParameters(), to: original)
        #expect(frozen == original)
        #expect(context.changes.isEmpty)
        #expect(context.skips.map(\.reason) == ["no initializer is listed as a graph input"])
        #expect(Validator.validate(frozen).isEmpty)
    }

    /// Before IR 4 every initializer had to be a graph input: the pass raises the IR version.
    @Test func raisesIRVersionBelowFour() throws {
        let original = Self.model(listed: ["W", "b"], ir: 3, opset: 6)
        let (frozen, context) = try apply(FreezeParameters(), to: original)
        #expect(frozen.irVersion == 4)
        #expect(frozen.graph.inputs.count == 1)
        #expect(context.changes.map(\.action) == ["made constant", "ir_version raised"])
        #expect(context.changes[1].detail.contains("ir_version 3 → 4"))
        #expect(Validator.validate(frozen).isEmpty, "\(Validator.validate(frozen))")
        try expectSameOutputs(original, frozen, ["x": seededInput([2, 3], seed: 12)])
    }

    @Test func refusesAWeightWithoutValueNamingIt() throws {
        var s = GraphSketch()
        s.input("x", [2, 3])
        s.input("W", [3, 4])
        s.node("MatMul", ["x", "W"], ["y"])
        s.output("y")
        #expect {
            try apply(FreezeParameters(), to: s.model)
        } throws: { error in
            let message = (error as? PassError)?.message ?? ""
            return message.contains("'W'") && message.contains("have no values")
        }
    }

    @Test func freezesFloat16Parameters() throws {
        var s = GraphSketch()
        s.input("x", [2, 3], type: .float16)
        s.constant("W", seededValues(12, -1...1, seed: 4), [3, 4], type: .float16)
        s.input("W", [3, 4], type: .float16)
        s.node("MatMul", ["x", "W"], ["y"])
        s.output("y", type: .float16)
        let (frozen, context) = try apply(FreezeParameters(), to: s.model)
        #expect(frozen.graph.inputs.count == 1)
        #expect(frozen.graph.tensor("W")?.elementType == .float16)
        #expect(context.changes.count == 1)
        #expect(Validator.validate(frozen).isEmpty, "\(Validator.validate(frozen))")
        try expectSameOutputs(s.model, frozen, ["x": seededInput([2, 3], seed: 13, type: .float16)])
    }
}
