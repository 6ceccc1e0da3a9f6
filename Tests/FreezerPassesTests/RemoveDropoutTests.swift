import Testing
@testable import FreezerIR
@testable import FreezerPasses

@Suite("RemoveDropout")
struct RemoveDropoutTests {
    /// x → Relu → r → Dropout → y (graph output), with the opset's own way of setting training mode.
    func dropoutModel(opset: Int64, maskUsed: Bool = false) -> Model {
        var attributes: [Attribute] = []
        var inputs = ["r"]
        var initializers: [Tensor] = []
        switch opset {
        case ..<7: attributes = [Attribute(name: "is_test", value: .int(0)), Attribute(name: "ratio", value: .float(0.5))]
        case 7..<12: attributes = [Attribute(name: "ratio", value: .float(0.5))]
        default:
            inputs = ["r", "ratio", "training"]
            initializers = [constant("ratio", [0.5], []), constant("training", [1], [], type: .bool)]
        }
        var nodes = [NodeSpec(name: "relu", opType: "Relu", opsetVersion: opset, inputs: ["x"], outputs: ["r"]),
                     NodeSpec(name: "drop", opType: "Dropout", opsetVersion: opset, inputs: inputs, outputs: maskUsed ? ["y", "mask"] : ["y"], attributes: attributes)]
        var outputs = [f32("y", [2, 3])]
        if maskUsed {
            nodes.append(NodeSpec(name: "use_mask", opType: "Cast", opsetVersion: opset, inputs: ["mask"], outputs: ["m"], attributes: [Attribute(name: "to", value: .int(1))]))
            outputs.append(f32("m", [2, 3]))
        }
        return model(Graph(name: "g", inputs: [f32("x", [2, 3])], outputs: outputs, initializers: initializers, nodes: nodes), opset: opset)
    }

    @Test(arguments: [Int64(1), 6, 7, 10, 12, 13, 22])
    func removesDropoutAndKeepsTheOutputName(opset: Int64) throws {
        let (frozen, context) = try apply(RemoveDropout(), to: dropoutModel(opset: opset))
        #expect(frozen.graph.ops() == ["Relu"])
        #expect(frozen.graph.outputNames() == ["y"])
        #expect(frozen.graph.producer(of: frozen.graph.outputs[0])?.opType == "Relu")
        #expect(Validator.validate(frozen).isEmpty)
        #expect(context.changes.count == 1)
        #expect(context.changes[0].category == .dropout && context.changes[0].action == "removed")
        let expectedMode = opset < 7 ? "training (is_test = 0)" : opset < 12 ? "inference" : "training (training_mode constant true)"
        #expect(context.changes[0].detail.contains(expectedMode))
    }

    @Test(arguments: [Int64(10), 13, 22])
    func usedMaskBecomesAllTrueOfTheInputsRuntimeShape(opset: Int64) throws {
        let (frozen, context) = try apply(RemoveDropout(), to: dropoutModel(opset: opset, maskUsed: true))
        #expect(!frozen.graph.ops().contains("Dropout"))
        #expect(frozen.graph.ops().contains("Shape") && frozen.graph.ops().contains("ConstantOfShape"))
        let fill = frozen.graph.nodes.first { $0.opType == "ConstantOfShape" }!
        #expect(try fill.attribute("value")?.tensorValue?.doubles() == [1])
        #expect(fill.attribute("value")?.tensorValue?.elementType == .bool)
        // The shape comes from the Dropout's input (Relu's output) at run time, not from a declared shape.
        let shape = frozen.graph.producer(of: fill.inputs[0]!)!
        #expect(frozen.graph.producer(of: shape.inputs[0]!)?.opType == "Relu")
        #expect(Validator.validate(frozen).isEmpty)
        #expect(context.changes[0].detail.contains("mask"))
    }

    @Test func dropoutOfAGraphInputKeepsBothNamesThroughAnIdentity() throws {
        let g = Graph(name: "g", inputs: [f32("x", [2])], outputs: [f32("y", [2])],
                      nodes: [NodeSpec(name: "d", opType: "Dropout", opsetVersion: 13, inputs: ["x"], outputs: ["y"])])
        let (frozen, _) = try apply(RemoveDropout(), to: model(g, opset: 13))
        #expect(frozen.graph.ops() == ["Identity"])
        #expect(frozen.graph.outputNames() == ["y"])
        #expect(frozen.graph.value(frozen.graph.nodes[0].inputs[0]!).name == "x")
        #expect(frozen.graph.nodes[0].inputs.count == 1)
    }

    @Test func dropoutInsideIfBranchesIsRemoved() throws {
        let branch = Graph(name: "then", outputs: [f32("o", [2])],
                           nodes: [NodeSpec(name: "inner_drop", opType: "Dropout", opsetVersion: 13, inputs: ["r"], outputs: ["o"])],
                           outerScope: ["r", "x", "c"])
        let g = Graph(name: "g", inputs: [f32("x", [2]), ValueInfo(name: "c", type: ValueType(tensor: TensorType(elementType: .bool, shape: [])))],
                      outputs: [f32("y", [2])],
                      nodes: [NodeSpec(name: "relu", opType: "Relu", opsetVersion: 13, inputs: ["x"], outputs: ["r"]),
                              NodeSpec(name: "if", opType: "If", opsetVersion: 13, inputs: ["c"], outputs: ["y"],
                                       attributes: [Attribute(name: "then_branch", value: .graph(branch)), Attribute(name: "else_branch", value: .graph(branch))])])
        let (frozen, context) = try apply(RemoveDropout(), to: model(g, opset: 13))
        let then = frozen.graph.nodes[1].attribute("then_branch")!.subgraphs[0]
        #expect(then.ops() == ["Identity"]) // the branch output reads an outer value, so an Identity keeps its name
        #expect(context.changes.map(\.graph) == ["main/if.then_branch", "main/if.else_branch"])
        #expect(Validator.validate(frozen).isEmpty)
    }
}
