import Testing
@testable import FreezerIR

@Suite("Graph construction and def-use chains")
struct GraphBuildTests {
    @Test func producersAndUsesAreLinked() {
        let g = chainGraph()
        #expect(g.defects.isEmpty)
        #expect(g.value(g.id("x")).producer == .graphInput)
        #expect(g.value(g.id("w")).producer == .initializer)
        #expect(g.producer(of: g.id("r"))?.name == "relu")
        #expect(g.consumers(of: g.id("r")).map { g.node($0).name } == ["add", "neg"])
        #expect(g.value(g.id("w")).uses == [Use(node: g.nodeID("add"), input: 1)])
        #expect(g.isGraphOutput(g.id("y")))
        #expect(g.isConstant(g.id("w")))
        #expect(!g.isConstant(g.id("x")))
    }

    @Test func nodesOutOfOrderStillResolve() throws {
        let g = Graph(inputs: [f32("x", [1])], outputs: [f32("y", [1])],
                      nodes: [node("Neg", ["t"], ["y"]), node("Relu", ["x"], ["t"])])
        #expect(g.defects.isEmpty)
        #expect(g.producer(of: g.id("t"))?.opType == "Relu")
        #expect(try g.topologicalOrder().map { g.node($0).opType } == ["Relu", "Neg"])
    }

    @Test func danglingInputIsADefectNamingNodeAndSlot() {
        let g = Graph(inputs: [f32("x", [1])], outputs: [f32("y", [1])],
                      nodes: [node("Add", ["x", "ghost"], ["y"], name: "add")])
        #expect(g.defects == [.danglingInput(node: "add", opType: "Add", input: 1, name: "ghost")])
        #expect(g.value(g.id("ghost")).producer == .missing)
        #expect(g.defects[0].description.contains("'ghost'"))
    }

    @Test func duplicateOutputIsADefectAndBothValuesExist() {
        let g = Graph(inputs: [f32("x", [1])], outputs: [f32("y", [1])],
                      nodes: [node("Relu", ["x"], ["y"], name: "a"), node("Neg", ["x"], ["y"], name: "b")])
        #expect(g.defects.count == 1)
        guard case .duplicateDefinition(let name, let first, let second) = g.defects[0] else {
            Issue.record("expected a duplicate definition"); return
        }
        #expect(name == "y")
        #expect(first.contains("'a'") && second.contains("'b'"))
        #expect(g.node(g.nodeID("b")).outputs[0] != g.id("y"))
    }

    @Test func initializerListedAsInputIsAnOverridableParameter() {
        let g = Graph(inputs: [f32("x", [2]), f32("w", [2])], outputs: [f32("y", [2])],
                      initializers: [weights("w", [1, 2])], nodes: [node("Add", ["x", "w"], ["y"])])
        #expect(g.initializersAsInputs == [g.id("w")])
        #expect(g.runtimeInputs == [g.id("x")])
        #expect(!g.isConstant(g.id("w")))
    }

    @Test func subgraphReadsOfOuterValuesAreImplicitUses() throws {
        let body = Graph(name: "then", outputs: [f32("o", [2])], nodes: [node("Add", ["r", "w"], ["o"])],
                         outerScope: ["r", "w", "x"])
        let ifNode = NodeSpec(name: "if", opType: "If", opsetVersion: 17, inputs: ["c"], outputs: ["y"],
                              attributes: [Attribute(name: "then_branch", value: .graph(body)),
                                           Attribute(name: "else_branch", value: .graph(body))])
        let g = Graph(inputs: [f32("x", [2]), ValueInfo(name: "c", type: ValueType(tensor: TensorType(elementType: .bool, shape: [])))],
                      outputs: [f32("y", [2])], initializers: [weights("w", [1, 2])],
                      nodes: [node("Relu", ["x"], ["r"]), ifNode])
        #expect(g.defects.isEmpty)
        let ifID = g.nodeID("if")
        #expect(Set(g.node(ifID).captures) == [g.id("r"), g.id("w")])
        #expect(g.value(g.id("r")).uses == [Use(node: ifID, input: nil)])
        #expect(body.value(body.id("r")).producer == .outerScope)
        // The If depends on Relu through its branch, so Relu must come first.
        #expect(try g.topologicalOrder().map { g.node($0).opType } == ["Relu", "If"])
        #expect(g.subgraphs().map(\.path) == [["if.then_branch"], ["if.else_branch"]])
    }

    @Test func subgraphNameUnknownEverywhereIsDangling() {
        let body = Graph(name: "b", outputs: [f32("o", [1])], nodes: [node("Neg", ["nowhere"], ["o"])], outerScope: ["x"])
        #expect(body.defects == [.danglingInput(node: "#0 Neg", opType: "Neg", input: 0, name: "nowhere")])
    }
}
