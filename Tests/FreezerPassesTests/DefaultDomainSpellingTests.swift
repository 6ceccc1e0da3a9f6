import Testing
@testable import FreezerIR
@testable import FreezerInspect
@testable import FreezerKernels
@testable import FreezerPasses

/// ONNX lets a file write the default domain "" or `ai.onnx`; freezer treats both spellings alike.
@Suite("The default domain spelled ai.onnx")
struct DefaultDomainSpellingTests {
    static let stats = BatchNormStats.random(3, seed: 5)

    /// x → Gemm → BatchNormalization (training_mode 1) → Dropout (training_mode from a Constant node) → Identity
    /// → Relu → y, at opset 17, with every node and the opset import in `domain`.
    static func model(domain: String) -> Model {
        var r = SeededNumbers(seed: 11)
        var g = GraphSketch()
        g.input("x", [2, 4])
        g.constant("W", r.values(12, -1...1), [4, 3])
        g.constant("C", r.values(3, -1...1), [3])
        g.constant("ratio", [0.25], [])
        g.statistics(stats)
        g.node("Gemm", ["x", "W", "C"], ["g"], name: "gemm")
        g.batchNorm("g", "b", stats: nil, [Attribute(name: "training_mode", value: .int(1))])
        g.node("Constant", [], ["train"], name: "train",
               [Attribute(name: "value", value: .tensor(.make(name: "", type: .bool, dims: [], values: [1])))])
        g.node("Dropout", ["b", "ratio", "train"], ["d", "mask"], name: "dropout")
        g.node("Identity", ["d"], ["i"], name: "identity")
        g.node("Relu", ["i"], ["y"], name: "relu")
        g.output("y")
        g.nodes = g.nodes.map { var n = $0; n.domain = domain; return n }
        var m = g.model
        m.opsetImports = [OpsetImport(domain: domain, version: g.opset)]
        return m
    }

    static let plain = model(domain: ""), spelled = model(domain: "ai.onnx")

    @Test func bothSpellingsAreTheDefaultDomain() {
        #expect(Self.spelled.graph.nodes.allSatisfy { $0.isDefaultDomain })
        #expect(Self.spelled.opsetImports.allSatisfy { $0.isDefaultDomain })
        #expect(Self.spelled.opsetVersion(for: "") == 17 && Self.plain.opsetVersion(for: "ai.onnx") == 17)
        #expect(Validator.validate(Self.spelled).isEmpty, "\(Validator.validate(Self.spelled))")
    }

    @Test func inspectedAlike() {
        let plain = Inspector.inspect(Self.plain).findings, spelled = Inspector.inspect(Self.spelled).findings
        #expect(plain.contains { $0.kind == .dropout } && plain.contains { $0.kind == .batchNormalization })
        #expect(spelled == plain)
        #expect(spelled.first { $0.kind == .dropout }?.dropout?.trainingMode == .constantTrue)
    }

    @Test func frozenAlike() throws {
        let plain = try Pipeline.standard().run(Self.plain), spelled = try Pipeline.standard().run(Self.spelled)
        #expect(spelled.context.changes == plain.context.changes)
        #expect(spelled.context.skips == plain.context.skips)
        #expect(spelled.model.graph.ops() == plain.model.graph.ops())
        #expect(plain.model.graph.ops() == ["Gemm", "Relu"])
        // The file's spelling is kept: the saver writes back what it read.
        #expect(spelled.model.opsetImports.map(\.domain) == ["ai.onnx"])
    }

    @Test func evaluatedAlike() throws {
        var r = SeededNumbers(seed: 2)
        let feeds = ["x": NDArray(floats: r.values(8, -2...2).map { Float($0) }, shape: [2, 4])]
        let inference = Interpreter.Options(inferenceSemantics: true)
        let plain = try Interpreter(model: Self.plain, options: inference).run(feeds)["y"]!.floats
        #expect(try Interpreter(model: Self.spelled, options: inference).run(feeds)["y"]!.floats == plain)
        let frozenPlain = try Interpreter(model: try Pipeline.standard().run(Self.plain).model).run(feeds)["y"]!.floats
        let frozenSpelled = try Interpreter(model: try Pipeline.standard().run(Self.spelled).model).run(feeds)["y"]!.floats
        #expect(frozenSpelled == frozenPlain)
        // Without inference semantics both refuse the training-mode Dropout alike.
        #expect(throws: EvaluationError.self) { try Interpreter(model: Self.spelled).run(feeds) }
    }
}
