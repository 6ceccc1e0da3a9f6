import Testing
@testable import FreezerIR

@Suite("Topological order and cycles")
struct TopologicalOrderTests {
    @Test func cycleIsReportedWithItsNodes() {
        let g = Graph(name: "main", inputs: [f32("x", [1])], outputs: [f32("y", [1])],
                      nodes: [node("Add", ["x", "b"], ["a"], name: "first"), node("Neg", ["a"], ["b"], name: "second"),
                              node("Relu", ["a"], ["y"], name: "tail")])
        let error = #expect(throws: GraphError.self) { try g.topologicalOrder() }
        guard case .cycle(_, let nodes) = error else { Issue.record("expected a cycle"); return }
        #expect(Set(nodes) == ["first", "second"])
        #expect(error!.description.contains("first → second → first") || error!.description.contains("second → first → second"))
    }

    @Test func orderIsStableAmongIndependentNodes() throws {
        let g = Graph(inputs: [f32("x", [1])], outputs: [f32("a", [1]), f32("b", [1]), f32("c", [1])],
                      nodes: [node("Relu", ["x"], ["a"]), node("Neg", ["x"], ["b"]), node("Abs", ["x"], ["c"])])
        #expect(try g.topologicalOrder().map { g.node($0).opType } == ["Relu", "Neg", "Abs"])
    }
}
