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
        let h = graph([node("Unsqueeze", ["x", "shape"], "u"), node("Add", ["u", "b"], "y")])
        #expect(rank(h, "u") == nil) // not among the proven rules
        #expect(rank(h, "y") == nil)
    }
}
