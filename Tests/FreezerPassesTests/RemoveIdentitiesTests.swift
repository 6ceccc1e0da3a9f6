import FreezerKernels
import Testing
@testable import FreezerIR
@testable import FreezerPasses

@Suite("RemoveIdentities")
struct RemoveIdentitiesTests {
    @Test(arguments: [ElementType.float, .float16])
    func chainsAreRemovedAndReadersReadTheSource(type: ElementType) throws {
        var s = GraphSketch()
        s.input("x", [2, 3], type: type)
        s.node("Relu", ["x"], ["r"])
        s.node("Identity", ["r"], ["i1"])
        s.node("Identity", ["i1"], ["i2"])
        s.node("Neg", ["i2"], ["n"])
        s.node("Identity", ["n"], ["y"], name: "last") // a graph output computed by a node: X takes Y's name
        s.output("y", type: type)
        let (frozen, context) = try apply(RemoveIdentities(), to: s.model)
        #expect(frozen.graph.ops() == ["Relu", "Neg"])
        #expect(frozen.graph.outputNames() == ["y"])
        #expect(frozen.graph.producer(of: frozen.graph.outputs[0])?.opType == "Neg")
        #expect(context.skips.isEmpty)
        #expect(context.changes.count == 1)
        #expect(context.changes[0].action == "removed" && context.changes[0].graph == "main")
        #expect(Set(context.changes[0].nodes) == ["i1", "i2", "last"])
        #expect(context.changes[0].detail == "3 Identity nodes (clean-up)")
        #expect(Validator.validate(frozen).isEmpty, "\(Validator.validate(frozen))")
        try expectSameOutputs(s.model, frozen, ["x": seededInput([2, 3], seed: 31, type: type)])
    }

    /// An Identity from a graph input, a constant or another output to a graph output carries that output's name.
    @Test func identitiesThatCarryAnOutputNameStay() throws {
        var s = GraphSketch()
        s.input("x", [2, 3])
        s.constant("c", [1, 2, 3], [3])
        s.node("Identity", ["x"], ["from_input"])
        s.node("Identity", ["c"], ["from_constant"])
        s.node("Relu", ["x"], ["r"])
        s.node("Identity", ["r"], ["from_output"])
        s.output("from_input")
        s.output("from_constant")
        s.output("r")
        s.output("from_output")
        let (frozen, context) = try apply(RemoveIdentities(), to: s.model)
        #expect(frozen == s.model)
        #expect(context.changes.isEmpty && context.skips.isEmpty)
        #expect(Validator.validate(frozen).isEmpty, "\(Validator.validate(frozen))")
    }

    /// In If branches: an Identity of a branch-local value goes, one that carries an outer value to the
    /// branch output stays.
    @Test func walksIfBranches() throws {
        var then = GraphSketch(name: "then", outerScope: ["r"], opset: 13)
        then.node("Neg", ["r"], ["n"])
        then.node("Identity", ["n"], ["t1"], name: "local_identity")
        then.node("Abs", ["t1"], ["t"])
        then.output("t")
        var orElse = GraphSketch(name: "else", outerScope: ["r"], opset: 13)
        orElse.node("Identity", ["r"], ["e"], name: "outer_identity")
        orElse.output("e")
        let s = GraphSketch.branching(then: then, else: orElse, opset: 13) { $0.node("Relu", ["x"], ["r"]) }
        let (frozen, context) = try apply(RemoveIdentities(), to: s.model)
        let branches = frozen.graph.nodes[1].attributes.map { $0.subgraphs[0] }
        #expect(branches[0].ops() == ["Neg", "Abs"])
        #expect(branches[1].ops() == ["Identity"])
        #expect(context.changes.map(\.graph) == ["main/if.then_branch"])
        #expect(context.changes.first?.nodes == ["local_identity"])
        #expect(Validator.validate(frozen).isEmpty, "\(Validator.validate(frozen))")
        try expectSameOutputsOnBothBranches(s.model, frozen, seed: 32)
    }

    /// In a Loop body: the Identity passing the condition input through stays (a body input carried to a
    /// body output), the one after the loop's computation goes.
    @Test func walksLoopBodies() throws {
        var body = GraphSketch(name: "body", outerScope: ["x"], opset: 13)
        body.input("iter", [], type: .int64)
        body.input("cond_in", [], type: .bool)
        body.input("v_in", [2, 3])
        body.node("Identity", ["cond_in"], ["cond_out"], name: "carry_cond")
        body.node("Add", ["v_in", "x"], ["a"])
        body.node("Identity", ["a"], ["v_out"], name: "local_identity")
        body.output("cond_out", type: .bool)
        body.output("v_out")
        var s = GraphSketch(opset: 13)
        s.input("x", [2, 3])
        s.constant("trips", [3], [], type: .int64)
        s.constant("go", [1], [], type: .bool)
        s.node("Loop", ["trips", "go", "x"], ["y"], name: "loop", [Attribute(name: "body", value: .graph(body.graph))])
        s.output("y")
        let (frozen, context) = try apply(RemoveIdentities(), to: s.model)
        let newBody = frozen.graph.nodes[0].attribute("body")!.subgraphs[0]
        #expect(newBody.ops() == ["Identity", "Add"])
        #expect(newBody.outputNames() == ["cond_out", "v_out"])
        #expect(context.changes.map(\.graph) == ["main/loop.body"])
        #expect(context.changes.first?.nodes == ["local_identity"])
        #expect(Validator.validate(frozen).isEmpty, "\(Validator.validate(frozen))")
        try expectSameOutputs(s.model, frozen, ["x": seededInput([2, 3], seed: 33)])
    }
}
