import Testing
@testable import FreezerIR

@Suite("Inferred ranks")
struct InferredRankTests {
    func graph(_ nodes: [NodeSpec], inputShape: [Dimension]? = [.symbol("n"), .value(8)]) -> Graph {
        let x = ValueInfo(name: "x", type: ValueType(tensor: TensorType(elementType: .float, shape: inputShape)))
        return Graph(name: "g", inputs: [x], outputs: [ValueInfo(name: "y", type: nil)],
                     initializers: [.make(name: "w", type: .float, dims: [8, 4], values: [Double](repeating: 1, count: 32)),
                                    .make(name: "b", type: .float, dims: [4], values: [0, 0, 0, 0]),
                                    .makeInt64(name: "shape", dims: [3], values: [1, -1, 4])],
                     nodes: nodes)
    }

    func node(_ op: String, _ inputs: [String], _ output: String) -> NodeSpec {
        NodeSpec(opType: op, opsetVersion: 17, inputs: inputs, outputs: [output])
    }

    func rank(_ g: Graph, _ name: String) -> Int? { g.value(named: name).flatMap(g.inferredRank) }

    @Test func ranksFollowThroughElementwiseOperatorsAndProducts() {
        let g = graph([node("MatMul", ["x", "w"], "m"), node("Add", ["m", "b"], "a"), node("Relu", ["a"], "r"),
                       NodeSpec(opType: "Dropout", opsetVersion: 17, inputs: ["r"], outputs: ["d", "mask"]),
                       node("MatMul", ["d", "b"], "v"), node("Reshape", ["d", "shape"], "y")])
        #expect(rank(g, "m") == 2)
        #expect(rank(g, "a") == 2)
        #expect(rank(g, "r") == 2)
        #expect(rank(g, "d") == 2)
        #expect(rank(g, "mask") == 2)
        #expect(rank(g, "v") == 1)   // [n, 4] · [4] drops the last axis
        #expect(rank(g, "y") == 3)   // Reshape to a constant 3-element shape
    }

    @Test func unprovenRanksAreNil() {
        let g = graph([node("Relu", ["x"], "r"), node("Unsqueeze", ["r", "shape"], "u"), node("Add", ["u", "b"], "y")], inputShape: nil)
        #expect(rank(g, "r") == nil) // the input declares no shape
        #expect(rank(g, "y") == nil)
        let h = graph([node("Expand", ["x", "shape"], "u"), node("Add", ["u", "b"], "y")])
        #expect(rank(h, "u") == nil) // not among the proven rules
        #expect(rank(h, "y") == nil)
        // Axes that repeat one (1 and -1 of a rank-5 result) or lie outside prove nothing.
        let repeated = graph([node("Unsqueeze", ["x", "shape"], "u")])
        #expect(rank(repeated, "u") == nil)
    }

    @Test func squeezeUnsqueezeAndRecurrentOutputsHaveProvenRanks() {
        let lstm = NodeSpec(opType: "LSTM", opsetVersion: 17, inputs: ["x3", "W", "R"], outputs: ["Y", "Y_h", "Y_c"])
        let g = Graph(name: "g", inputs: [ValueInfo(name: "x3", type: nil)], outputs: [ValueInfo(name: "y", type: nil)],
                      initializers: [.make(name: "W", type: .float, dims: [1, 8, 2], values: [Double](repeating: 0, count: 16)),
                                     .make(name: "R", type: .float, dims: [1, 8, 2], values: [Double](repeating: 0, count: 16)),
                                     .makeInt64(name: "zero", dims: [1], values: [0]), .makeInt64(name: "one", dims: [1], values: [1]),
                                     .makeInt64(name: "ends", dims: [2], values: [0, -1])],
                      nodes: [lstm, node("Squeeze", ["Y", "one"], "seq"), node("Squeeze", ["Y_h", "zero"], "last"),
                              node("Unsqueeze", ["last", "ends"], "u"), node("Squeeze", ["Y_c"], "all"),
                              NodeSpec(opType: "Squeeze", opsetVersion: 11, inputs: ["Y_c"], outputs: ["old"],
                                       attributes: [.init(name: "axes", value: .ints([-3]))]),
                              NodeSpec(opType: "Split", opsetVersion: 17, inputs: ["seq"], outputs: ["s0", "s1"])])
        #expect(rank(g, "Y") == 4)
        #expect(rank(g, "Y_h") == 3 && rank(g, "Y_c") == 3)
        #expect(rank(g, "seq") == 3)     // [seq, 1, batch, hidden] without the direction axis
        #expect(rank(g, "last") == 2)
        #expect(rank(g, "u") == 4)       // axes 0 and -1 of the rank-4 result
        #expect(rank(g, "all") == nil)   // no axes: every 1 goes, which only the shape tells
        #expect(rank(g, "old") == 2)     // axes as an attribute before opset 13
        #expect(rank(g, "s1") == 3)
    }
}
