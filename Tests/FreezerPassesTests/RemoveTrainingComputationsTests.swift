import FreezerKernels
import Testing
@testable import FreezerIR
@testable import FreezerPasses

@Suite("RemoveTrainingComputations")
struct RemoveTrainingComputationsTests {
    /// y = MatMul(x, W) is the only output; loss, an L2 term on W, a gradient and the label hang off it.
    static func trainingModel() -> Model {
        var s = GraphSketch(opset: 15)
        s.imports = [OpsetImport(domain: "com.microsoft", version: 1)]
        s.input("x", [2, 3])
        s.input("label", [2], type: .int64)
        s.constant("W", seededValues(12, -1...1, seed: 61), [3, 4])
        s.constant("lambda", [0.01], [])
        s.node("MatMul", ["x", "W"], ["y"])
        s.node("SoftmaxCrossEntropyLoss", ["y", "label"], ["loss"], name: "sce")
        s.node("ReduceSumSquare", ["W"], ["l2"], [Attribute(name: "keepdims", value: .int(0))])
        s.node("Mul", ["l2", "lambda"], ["reg"])
        s.node("Add", ["loss", "reg"], ["total"])
        s.node("ReluGrad", ["y", "y"], ["dy"], name: "relu_grad", domain: "com.microsoft")
        s.output("y")
        return s.model
    }

    static let feeds = ["x": seededInput([2, 3], seed: 62), "label": NDArray(ints: [0, 2], shape: [2])]

    @Test func removesWhatTheInferenceOutputsDoNotNeedAndTheLabelInput() throws {
        let original = Self.trainingModel()
        let (frozen, context) = try apply(RemoveTrainingComputations(), to: original)
        #expect(frozen.graph.ops() == ["MatMul"])
        #expect(frozen.graph.inputs.map { frozen.graph.value($0).name } == ["x"])
        #expect(context.skips.isEmpty)
        let removed = context.changes("removed")
        #expect(Set(removed.flatMap(\.nodes)) == ["sce", "l2", "reg", "total", "relu_grad"])
        #expect(removed.allSatisfy { $0.graph == "main" })
        #expect(removed.first { $0.nodes.contains("relu_grad") }?.category == .gradientAndOptimizer)
        #expect(removed.first { $0.nodes.contains("sce") }?.category == .loss)
        let inputs = context.changes("input removed")
        #expect(inputs.map(\.nodes) == [["label"]])
        #expect(inputs.first?.detail.contains("graph input 'label' is read by no inference computation") == true)
        #expect(Validator.validate(frozen).isEmpty, "\(Validator.validate(frozen))")
        try expectSameOutputs(original, frozen, Self.feeds)
    }

    @Test func changesNothingInAnInferenceGraph() throws {
        var s = GraphSketch()
        s.input("x", [2])
        s.node("Relu", ["x"], ["y"])
        s.output("y")
        let (frozen, context) = try apply(RemoveTrainingComputations(), to: s.model)
        #expect(frozen == s.model)
        #expect(context.changes.isEmpty && context.skips.isEmpty)
    }

    /// A main-graph node read only by a branch (a capture) stays; a dead node inside a branch goes.
    @Test func keepsCapturesAndCleansBranches() throws {
        var then = GraphSketch(name: "then", outerScope: ["r"], opset: 15)
        then.node("Neg", ["r"], ["t"])
        then.node("Abs", ["r"], ["unused"], name: "dead_in_branch")
        then.output("t")
        var orElse = GraphSketch(name: "else", outerScope: ["x"], opset: 15)
        orElse.node("Sigmoid", ["x"], ["e"])
        orElse.output("e")
        var s = GraphSketch.branching(then: then, else: orElse) { $0.node("Relu", ["x"], ["r"]) }
        s.node("Exp", ["x"], ["dead"], name: "dead_in_main")
        let (frozen, context) = try apply(RemoveTrainingComputations(), to: s.model)
        #expect(frozen.graph.ops() == ["Relu", "If"])
        #expect(frozen.graph.nodes[1].attribute("then_branch")!.subgraphs[0].ops() == ["Neg"])
        #expect(Set(context.changes.map(\.graph)) == ["main", "main/if.then_branch"])
        #expect(context.changes.first { $0.graph == "main/if.then_branch" }?.nodes == ["dead_in_branch"])
        #expect(Validator.validate(frozen).isEmpty, "\(Validator.validate(frozen))")
        try expectSameOutputsOnBothBranches(s.model, frozen, seed: 63)
    }
}
