import Testing
@testable import FreezerIR

@Suite("Validator")
struct ValidatorTests {
    func model(_ g: Graph, opsets: [OpsetImport] = [OpsetImport(domain: "", version: 17)]) -> Model {
        Model(irVersion: 8, opsetImports: opsets, graph: g)
    }

    @Test func validGraphHasNoIssues() {
        #expect(Validator.validate(model(chainGraph())).isEmpty)
    }

    @Test func reportsEveryKindWithNames() {
        var bad = chainGraph()
        bad = Graph(name: "g", inputs: [ValueInfo(name: "x", type: nil)], outputs: [f32("y", [2])],
                    initializers: [Tensor(name: "w", elementType: .float, dims: [3], payload: .raw(Bytes([0, 0, 0, 0])))],
                    nodes: [NodeSpec(name: "custom", opType: "Foo", domain: "com.example", inputs: ["x"], outputs: ["t"]),
                            node("Add", ["t", "w"], ["y"]), node("Neg", ["missing"], ["unused"])])
        let issues = Validator.validate(model(bad))
        let kinds = Set(issues.map(\.kind))
        #expect(kinds == [.untypedGraphIO, .tensorSizeMismatch, .missingOpsetImport, .danglingInput])
        #expect(issues.first { $0.kind == .missingOpsetImport }!.message.contains("'com.example'"))
        #expect(issues.first { $0.kind == .untypedGraphIO }!.message.contains("'x'"))
        #expect(issues.first { $0.kind == .tensorSizeMismatch }!.message.contains("'w'"))
    }

    /// Judged against the model it was made from, a node name repeated in one graph is an issue unless
    /// the original repeated it too (the user's names stay as they are).
    @Test func repeatedNodeNamesAgainstTheOriginal() {
        let original = model(chainGraph())
        var g = chainGraph()
        g.updateNode(g.nodeID("neg")) { $0.name = "add" }
        let made = model(g)
        #expect(Validator.validate(made).isEmpty, "without an original, names are not checked")
        let issues = Validator.validate(made, derivedFrom: original)
        #expect(issues.map(\.kind) == [.duplicateNodeName])
        #expect(issues.first?.message.contains("'add'") == true)
        #expect(Validator.validate(made, derivedFrom: made).isEmpty)
    }

    @Test func findsCyclesInsideSubgraphsWithTheirPath() {
        let body = Graph(name: "body", outputs: [f32("o", [1])],
                         nodes: [node("Add", ["x", "b"], ["a"], name: "p"), node("Neg", ["a"], ["b"], name: "q"),
                                 node("Relu", ["a"], ["o"])], outerScope: ["x"])
        let g = Graph(name: "main", inputs: [f32("x", [1])], outputs: [f32("y", [1])],
                      nodes: [NodeSpec(name: "if", opType: "If", opsetVersion: 17, inputs: ["x"], outputs: ["y"],
                                       attributes: [Attribute(name: "then_branch", value: .graph(body)),
                                                    Attribute(name: "else_branch", value: .graph(body))])])
        let issues = Validator.validate(model(g))
        #expect(issues.count == 2)
        #expect(issues.allSatisfy { $0.kind == .cycle })
        #expect(issues.map(\.graph) == ["main/if.then_branch", "main/if.else_branch"])
    }
}
