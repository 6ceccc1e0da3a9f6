@testable import FreezerIR

/// A float32 value declaration of the given shape.
func f32(_ name: String, _ shape: [Int64]) -> ValueInfo {
    ValueInfo(name: name, type: ValueType(tensor: TensorType(elementType: .float, shape: shape.map { .value($0) })))
}

func node(_ op: String, _ inputs: [String], _ outputs: [String], name: String = "", attributes: [Attribute] = []) -> NodeSpec {
    NodeSpec(name: name, opType: op, opsetVersion: 17, inputs: inputs, outputs: outputs, attributes: attributes)
}

func weights(_ name: String, _ values: [Double], dims: [Int64]? = nil) -> Tensor {
    Tensor.make(name: name, type: .float, dims: dims ?? [Int64(values.count)], values: values)
}

/// x -> Relu -> r -> Add(r, w) -> y, with a second reader of r.
func chainGraph() -> Graph {
    Graph(name: "g", inputs: [f32("x", [2])], outputs: [f32("y", [2]), f32("z", [2])],
          initializers: [weights("w", [1, 2])],
          nodes: [node("Relu", ["x"], ["r"], name: "relu"),
                  node("Add", ["r", "w"], ["y"], name: "add"),
                  node("Neg", ["r"], ["z"], name: "neg")])
}

extension Graph {
    func id(_ name: String) -> ValueID { value(named: name)! }
    func nodeID(_ name: String) -> NodeID { nodes.first { $0.name == name }!.id }
}
