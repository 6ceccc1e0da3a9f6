import Testing
@testable import FreezerIR

@Suite("Graph mutations keep use lists right")
struct GraphMutationTests {
    /// Recomputes all use lists from scratch and compares with the incrementally maintained ones.
    func expectConsistentUses(_ g: Graph, sourceLocation: SourceLocation = #_sourceLocation) {
        var rebuilt = g
        rebuilt.rebuildUses()
        for v in g.values {
            #expect(Set(v.uses) == Set(rebuilt.values[v.id.index].uses), "uses of \(v.name)", sourceLocation: sourceLocation)
        }
    }

    @Test func replaceAllUsesRewiresNodesButNotOutputsUnlessAsked() {
        var g = chainGraph()
        g.replaceAllUses(of: g.id("r"), with: g.id("x"))
        #expect(g.value(g.id("r")).uses.isEmpty)
        #expect(g.node(g.nodeID("add")).inputs[0] == g.id("x"))
        #expect(g.node(g.nodeID("neg")).inputs[0] == g.id("x"))
        expectConsistentUses(g)

        var h = chainGraph()
        h.replaceAllUses(of: h.id("y"), with: h.id("x"))
        #expect(h.outputs[0] == h.id("y"))
        h.replaceAllUses(of: h.id("y"), with: h.id("x"), includingGraphOutputs: true)
        #expect(h.outputs[0] == h.id("x"))
    }

    @Test func removeNodeRefusesWhileOutputIsRead() throws {
        var g = chainGraph()
        #expect(throws: GraphError.self) { try g.removeNode(g.nodeID("relu")) }
        let error = #expect(throws: GraphError.self) { try g.removeNode(g.nodeID("add")) }
        #expect(error?.description.contains("graph outputs") == true)
        // After rewiring, removal succeeds and the removed node's inputs lose the use.
        g.setOutputs([g.id("z")])
        try g.removeNode(g.nodeID("add"))
        #expect(g.value(g.id("w")).uses.isEmpty)
        #expect(g.nodes.map(\.name) == ["relu", "neg"])
        expectConsistentUses(g)
    }

    @Test func addNodeCreatesUniqueOutputsAndUses() {
        var g = chainGraph()
        let id = g.addNode(opType: "Mul", opsetVersion: 17, inputs: [g.id("r"), g.id("w")], outputNames: ["y"], after: g.nodeID("relu"))
        let out = g.node(id).outputs[0]!
        #expect(g.value(out).name == "y_1")
        #expect(g.nodes.map(\.opType) == ["Relu", "Mul", "Add", "Neg"])
        #expect(g.consumers(of: g.id("r")).count == 3)
        expectConsistentUses(g)
    }

    /// Node names are their own namespace: a name is made unique among the nodes (the values are not
    /// asked), an empty one is taken from the first output, and names the graph repeats stay.
    @Test func addNodeNamesTheNodeUniquely() throws {
        var g = Graph(name: "g", inputs: [f32("x", [2])], outputs: [f32("y", [2])],
                      nodes: [node("Relu", ["x"], ["r"], name: "n"), node("Neg", ["r"], ["y"], name: "n")])
        let named = g.addNode(opType: "Abs", opsetVersion: 17, name: "n", inputs: [g.id("x")], outputNames: ["x_abs"])
        let again = g.addNode(opType: "Abs", opsetVersion: 17, name: "n", inputs: [g.id("x")], outputNames: ["x_abs"])
        let unnamed = g.addNode(opType: "Abs", opsetVersion: 17, inputs: [g.id("x")], outputNames: ["r"])
        #expect([named, again, unnamed].map { g.node($0).name } == ["n_1", "n_2", "r_1"])
        #expect(g.nodes.prefix(2).map(\.name) == ["n", "n"])
        #expect(g.repeatedNodeNames == ["n"])
        // A removed node's name is free again; renaming keeps the count.
        try g.removeNode(again)
        #expect(g.uniqueNodeName("n") == "n_2")
        g.updateNode(named) { $0.name = "m" }
        #expect(g.uniqueNodeName("n") == "n_1" && g.uniqueNodeName("m") == "m_1")
    }

    @Test func initializersAddRemoveAndReplace() throws {
        var g = chainGraph()
        let b = g.addInitializer(weights("w", [5, 6]))
        #expect(g.value(b).name == "w_1")
        #expect(throws: GraphError.self) { try g.removeInitializer(g.id("w")) }
        try g.removeInitializer(b)
        #expect(g.value(named: "w_1") == nil)
        try g.setInitializer(g.id("w"), weights("other", [7, 8]))
        #expect(try g.initializer(g.id("w"))!.doubles() == [7, 8])
        #expect(g.initializer(g.id("w"))!.name == "w")
        #expect(throws: GraphError.self) { try g.setInitializer(g.id("x"), weights("x", [1])) }
    }

    @Test func removingAnInputThatHasAnInitializerFreezesIt() throws {
        var g = Graph(inputs: [f32("x", [2]), f32("w", [2])], outputs: [f32("y", [2])],
                      initializers: [weights("w", [1, 2])], nodes: [node("Add", ["x", "w"], ["y"])])
        try g.removeInput(g.id("w"))
        #expect(g.isConstant(g.id("w")))
        #expect(g.inputs == [g.id("x")])
        #expect(throws: GraphError.self) { try g.removeInput(g.id("x")) }
    }

    @Test func renameValueUpdatesSubgraphCaptures() throws {
        let body = Graph(name: "body", outputs: [f32("o", [2])], nodes: [node("Neg", ["r"], ["o"])], outerScope: ["r"])
        var g = Graph(inputs: [f32("x", [2])], outputs: [f32("y", [2])],
                      nodes: [node("Relu", ["x"], ["r"]),
                              NodeSpec(name: "if", opType: "If", opsetVersion: 17, inputs: ["x"], outputs: ["y"],
                                       attributes: [Attribute(name: "then_branch", value: .graph(body)),
                                                    Attribute(name: "else_branch", value: .graph(body))])])
        try g.renameValue(g.id("r"), to: "relu_out")
        let ifNode = g.node(g.nodeID("if"))
        let branch = ifNode.attribute("then_branch")!.subgraphs[0]
        #expect(branch.value(named: "relu_out") != nil)
        #expect(branch.value(named: "r") == nil)
        #expect(ifNode.captures == [g.id("relu_out")])
        #expect(throws: GraphError.self) { try g.renameValue(g.id("x"), to: "relu_out") }
        expectConsistentUses(g)
    }

    @Test func replaceAllUsesReachesIntoSubgraphs() {
        let body = Graph(name: "body", outputs: [f32("o", [2])], nodes: [node("Neg", ["r"], ["o"])], outerScope: ["r", "x"])
        var g = Graph(inputs: [f32("x", [2])], outputs: [f32("y", [2])],
                      nodes: [node("Relu", ["x"], ["r"], name: "relu"),
                              NodeSpec(name: "if", opType: "If", opsetVersion: 17, inputs: ["x"], outputs: ["y"],
                                       attributes: [Attribute(name: "then_branch", value: .graph(body)),
                                                    Attribute(name: "else_branch", value: .graph(body))])])
        g.replaceAllUses(of: g.id("r"), with: g.id("x"))
        #expect(g.value(g.id("r")).uses.isEmpty)
        let branch = g.node(g.nodeID("if")).attribute("then_branch")!.subgraphs[0]
        #expect(branch.producer(of: branch.id("o"))!.inputs[0] == branch.id("x"))
        // Relu is now dead and can go.
        #expect((try? g.removeNode(g.nodeID("relu"))) != nil)
        expectConsistentUses(g)
    }

    @Test func dropOutputRefusesWhenUsed() throws {
        var g = Graph(inputs: [f32("x", [2])], outputs: [f32("y", [2])],
                      nodes: [node("Dropout", ["x"], ["y", "mask"], name: "d")])
        try g.dropOutput(g.nodeID("d"), 1)
        #expect(g.node(g.nodeID("d")).outputs.count == 1)
        #expect(throws: GraphError.self) { try g.dropOutput(g.nodeID("d"), 0) }
    }

    /// Dropping outputs from the last slot down, with an absent output in the middle: the trailing trim
    /// after the last slot leaves the middle slot past the end, which is already absent (this crashed on
    /// onnxruntime training artifacts, whose BatchNormInternal has an absent output between present ones).
    @Test func droppingEveryOutputFromTheEndPassesAbsentSlots() throws {
        var g = Graph(inputs: [f32("x", [2])], outputs: [f32("y", [2])],
                      nodes: [node("Split", ["x"], ["a", "", "c"], name: "s"), node("Relu", ["x"], ["y"], name: "r")])
        let id = g.nodeID("s")
        for slot in g.node(id).outputs.indices.reversed() { try g.dropOutput(id, slot) }
        #expect(g.node(id).outputs.isEmpty)
        try g.removeNode(id)
        expectConsistentUses(g)
    }

    @Test func snapshotIsIndependentOfLaterRewrites() throws {
        var g = chainGraph()
        let original = g
        g.setOutputs([g.id("z")])
        try g.removeNode(g.nodeID("add"))
        #expect(original.nodes.count == 3)
        #expect(g.nodes.count == 2)
        #expect(original != g)
    }
}
