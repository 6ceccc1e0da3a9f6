import FreezerIR

/// What a kernel sees of the node it computes: inputs, attributes, the opset version in effect, and a
/// way to run subgraphs (for If, Loop, Scan).
public struct KernelContext {
    public let node: Node
    /// The node's display name, for messages.
    public let nodeName: String
    public let opset: Int64
    public let inputs: [NDArray?]
    /// Whether to evaluate training forms as they behave at inference (see `Interpreter.Options`).
    public let inferenceSemantics: Bool
    /// Evaluates a subgraph attribute of this node with the given graph inputs (by position) and
    /// returns its outputs in order. Outer-scope values are resolved from the enclosing evaluation.
    public let runSubgraph: (Graph, [NDArray?]) throws -> [NDArray]

    /// Number of outputs the node declares (trailing optional outputs may be absent).
    public var outputCount: Int { node.outputs.count }

    /// Whether output `i` exists and is used (kernels may skip computing unused optional outputs).
    public let outputIsNeeded: (Int) -> Bool

    /// An error about this node.
    public func fail(_ reason: String) -> EvaluationError {
        .node(name: nodeName, opType: node.opType, reason: reason)
    }

    /// A refusal of a feature of this operator that the evaluator does not implement (distinct from an
    /// invalid model: the model may be fine, freezer just cannot evaluate it).
    public func unsupportedFeature(_ feature: String) -> EvaluationError {
        .unsupportedFeature(node: nodeName, opType: node.opType, feature: feature)
    }

    /// Required input `i`.
    public func input(_ i: Int) throws(EvaluationError) -> NDArray {
        guard i < inputs.count, let v = inputs[i] else { throw fail("required input \(i) is missing") }
        return v
    }

    /// Optional input `i`, nil when absent.
    public func optionalInput(_ i: Int) -> NDArray? { i < inputs.count ? inputs[i] : nil }

    public func attribute(_ name: String) -> Attribute? { node.attribute(name) }

    public func int(_ name: String, default value: Int64) -> Int64 { node.attribute(name)?.intValue ?? value }
    public func int(_ name: String) -> Int64? { node.attribute(name)?.intValue }
    public func float(_ name: String, default value: Float) -> Float { node.attribute(name)?.floatValue ?? value }
    public func string(_ name: String, default value: String) -> String { node.attribute(name)?.stringValue ?? value }
    public func ints(_ name: String) -> [Int64]? { node.attribute(name)?.intsValue }
    public func floats(_ name: String) -> [Float]? {
        if case .floats(let v) = node.attribute(name)?.value { return v }
        return nil
    }
    public func graph(_ name: String) throws(EvaluationError) -> Graph {
        guard case .graph(let g) = node.attribute(name)?.value else { throw fail("attribute '\(name)' (a graph) is missing") }
        return g
    }

    /// Normalizes a possibly negative axis for a tensor of `rank`.
    public func axis(_ a: Int64, rank: Int) throws(EvaluationError) -> Int {
        let r = Int64(rank)
        guard a >= -r && a < max(r, 1) else { throw fail("axis \(a) is out of range for rank \(rank)") }
        return Int(a < 0 ? a + r : a)
    }
}
