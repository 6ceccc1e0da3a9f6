import Testing
@testable import FreezerIR
@testable import FreezerInspect
@testable import FreezerKernels
@testable import FreezerPasses

/// A BatchNormalization in an If branch whose weight and statistics are constants of the main graph.
@Suite("FoldBatchNorm in a branch reading outer constants")
struct FoldInBranchTests {
    static let stats = BatchNormStats.random(5, seed: 41)

    /// main: If(cond) then Gemm(x, W, C) → BatchNormalization → t, else Gemm(x, W, C) → e. W, C and the
    /// statistics are initializers of main. `takenName`: main also holds a `W_folded`, read by the else branch.
    static func model(takenName: Bool = false) -> Model {
        var r = SeededNumbers(seed: 9)
        var then = GraphSketch(name: "then", outerScope: ["x", "W", "C", "bn_scale", "bn_bias", "bn_mean", "bn_var"])
        then.node("Gemm", ["x", "W", "C"], ["g"], name: "then_gemm", [Attribute(name: "beta", value: .float(0.5))])
        then.batchNorm("g", "t", name: "bn", stats: nil)
        then.output("t")
        var otherwise = GraphSketch(name: "else", outerScope: ["x", "W", "C", "W_folded"])
        otherwise.node("Gemm", ["x", takenName ? "W_folded" : "W", "C"], ["e"], name: "else_gemm")
        otherwise.output("e")
        var main = GraphSketch()
        main.input("cond", [], type: .bool)
        main.input("x", [4, 6])
        main.constant("W", r.values(30, -2...2), [6, 5])
        main.constant("C", r.values(5, -1...1), [5])
        if takenName { main.constant("W_folded", r.values(30, -2...2), [6, 5]) }
        main.statistics(stats)
        main.node("If", ["cond"], ["y"], name: "if", [Attribute(name: "then_branch", value: .graph(then.graph)),
                                                       Attribute(name: "else_branch", value: .graph(otherwise.graph))])
        main.output("y")
        return main.model
    }

    static func branch(_ m: Model, _ attribute: String) throws -> Graph {
        let ifNode = try #require(m.graph.nodes.first { $0.opType == "If" })
        return try #require(ifNode.attribute(attribute)?.subgraphs.first)
    }

    @Test func inspectPromisesTheFoldThePassMakes() throws {
        let finding = try #require(Inspector.inspect(Self.model()).findings.first { $0.node == "bn" })
        #expect(finding.graphPath == "main/if.then_branch")
        #expect(finding.batchNormalization?.foldTarget == "then_gemm")
        let (_, context) = try apply(FoldBatchNorm(), to: Self.model())
        #expect(context.skips.isEmpty, "\(context.skips)")
        let change = try #require(context.changes.first)
        #expect(change.graph == "main/if.then_branch")
        #expect(change.action == "folded into Gemm 'then_gemm'")
    }

    @Test func theBranchGetsTheFoldedTensorsAndTheOuterOnesStay() throws {
        let original = Self.model()
        let (frozen, context) = try apply(FoldBatchNorm(), to: original)
        #expect(Validator.validate(frozen).isEmpty, "\(Validator.validate(frozen))")
        #expect(frozen.graph.tensor("W") == original.graph.tensor("W"))
        #expect(frozen.graph.tensor("C") == original.graph.tensor("C"))
        let then = try Self.branch(frozen, "then_branch")
        #expect(then.ops() == ["Gemm"])
        let gemm = then.nodes[0]
        #expect(gemm.inputs.compactMap { $0.map { then.value($0).name } } == ["x", "W_folded", "C_folded"])
        #expect(then.tensor("W_folded") != nil && then.tensor("C_folded") != nil)
        #expect(context.changes.first?.evidence["weight 'W'"] == "read from an enclosing graph: cloned into this graph as 'W_folded'")
        let otherwise = try Self.branch(frozen, "else_branch")
        #expect(otherwise.nodes[0].inputs.compactMap { $0.map { otherwise.value($0).name } } == ["x", "W", "C"])
        var r = SeededNumbers(seed: 3)
        let x = NDArray(floats: r.values(24, -1...1).map { Float($0) }, shape: [4, 6])
        for cond in [true, false] {
            let feeds = ["cond": NDArray(bools: [cond], shape: []), "x": x]
            let before = try Interpreter(model: original).run(feeds)["y"]!.floats.map(Double.init)
            let after = try Interpreter(model: frozen).run(feeds)["y"]!.floats.map(Double.init)
            for (b, a) in zip(before, after) { #expect(abs(a - b) <= 1e-5 * max(1, abs(b)), "cond \(cond)") }
        }
    }

    @Test func newNamesDoNotShadowTheEnclosingGraphs() throws {
        let (frozen, _) = try apply(FoldBatchNorm(), to: Self.model(takenName: true))
        let then = try Self.branch(frozen, "then_branch")
        #expect(then.tensor("W_folded_1") != nil)
        #expect(then.tensor("W_folded") == nil)
        #expect(Validator.validate(frozen).isEmpty, "\(Validator.validate(frozen))")
    }

    @Test func theStandardPipelineFreezesIt() throws {
        let result = try Pipeline.standard().run(Self.model())
        #expect(Validator.validate(result.model).isEmpty, "\(Validator.validate(result.model))")
        #expect(TrainingAudit.violations(in: result.model).isEmpty)
        #expect(try Self.branch(result.model, "then_branch").ops() == ["Gemm"])
        #expect(result.context.changes.contains { $0.pass == FoldBatchNorm.name && $0.graph == "main/if.then_branch" })
    }
}
