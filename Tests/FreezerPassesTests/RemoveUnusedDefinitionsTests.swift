import FreezerKernels
import Testing
@testable import FreezerIR
@testable import FreezerPasses

@Suite("RemoveUnusedDefinitions")
struct RemoveUnusedDefinitionsTests {
    @Test(arguments: [ElementType.float, .float16])
    func removesDeadNodesUnusedInitializersImportsAndFunctions(type: ElementType) throws {
        var s = GraphSketch(opset: 15)
        s.imports = [OpsetImport(domain: "ai.onnx.preview.training", version: 1), OpsetImport(domain: "local", version: 1)]
        s.input("x", [2, 3], type: type)
        s.constant("b", [1, 2, 3], [3], type: type)
        s.constant("W_old", [1, 2], [2], type: type)
        s.node("Add", ["x", "b"], ["y"])
        s.node("Neg", ["x"], ["n"], name: "dead1")
        s.node("Abs", ["n"], ["a"], name: "dead2")
        s.output("y", type: type)
        var original = s.model
        original.functions = [Function(domain: "local", name: "unused_fn", overload: "",
                                       nodes: [NodeSpec(name: "f0", opType: "Relu", inputs: ["i"], outputs: ["o"])], encoding: [])]
        let (frozen, context) = try apply(RemoveUnusedDefinitions(), to: original)
        #expect(frozen.graph.ops() == ["Add"])
        #expect(frozen.graph.tensor("W_old") == nil && frozen.graph.tensor("b") != nil)
        #expect(frozen.opsetImports == [OpsetImport(domain: "", version: 15)])
        #expect(frozen.functions.isEmpty)
        #expect(context.skips.isEmpty)
        #expect(context.changes("removed").map(\.nodes) == [["dead2", "dead1"]])
        #expect(context.changes("removed").first?.detail == "2 node(s) whose outputs nothing reads")
        #expect(context.changes("initializers removed").map(\.detail) == ["1 unused: W_old"])
        #expect(context.changes("function removed").map(\.detail) == ["model-local function local::unused_fn is not called"])
        let imports = context.changes("opset import removed")
        #expect(imports.map(\.detail) == ["domain 'ai.onnx.preview.training' version 1 is no longer used",
                                          "domain 'local' version 1 is no longer used"])
        #expect(imports.map(\.category) == [.gradientAndOptimizer, .parameters])
        #expect(Validator.validate(frozen).isEmpty, "\(Validator.validate(frozen))")
        try expectSameOutputs(original, frozen, ["x": seededInput([2, 3], seed: 71, type: type)])
    }

    /// A called function and its domain stay, and so does the default domain's import.
    @Test func keepsWhatIsUsed() throws {
        var s = GraphSketch(opset: 15)
        s.imports = [OpsetImport(domain: "local", version: 1)]
        s.input("x", [2])
        s.node("twice", ["x"], ["y"], domain: "local")
        s.output("y")
        var original = s.model
        original.functions = [Function(domain: "local", name: "twice", overload: "",
                                       nodes: [NodeSpec(name: "f0", opType: "Add", inputs: ["i", "i"], outputs: ["o"])], encoding: [])]
        let (frozen, context) = try apply(RemoveUnusedDefinitions(), to: original)
        #expect(frozen == original)
        #expect(context.changes.isEmpty && context.skips.isEmpty)
    }

    @Test func cleansIfBranches() throws {
        var then = GraphSketch(name: "then", outerScope: ["x"], opset: 15)
        then.constant("unused_const", [1], [1])
        then.node("Neg", ["x"], ["t"])
        then.node("Abs", ["x"], ["dead"], name: "dead_in_branch")
        then.output("t")
        var orElse = GraphSketch(name: "else", outerScope: ["x"], opset: 15)
        orElse.node("Sigmoid", ["x"], ["e"])
        orElse.output("e")
        let s = GraphSketch.branching(then: then, else: orElse)
        let (frozen, context) = try apply(RemoveUnusedDefinitions(), to: s.model)
        let branch = frozen.graph.nodes[0].attribute("then_branch")!.subgraphs[0]
        #expect(branch.ops() == ["Neg"])
        #expect(branch.tensor("unused_const") == nil)
        #expect(context.changes.map(\.graph) == ["main/if.then_branch", "main/if.then_branch"])
        #expect(Validator.validate(frozen).isEmpty, "\(Validator.validate(frozen))")
        try expectSameOutputsOnBothBranches(s.model, frozen, seed: 72)
    }
}
