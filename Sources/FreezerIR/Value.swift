/// A named edge of a graph: where it comes from and who reads it.
public struct Value: Sendable, Equatable {
    public let id: ValueID
    public internal(set) var name: String
    public var type: ValueType?
    public internal(set) var producer: Producer
    /// Every read of this value by a node of the same graph, in node order.
    public internal(set) var uses: [Use]
    /// Doc string and residual of the input/output/value_info entry that declared the value.
    public var docString: String = ""
    public var residual: Residual = .none
    /// Whether the file listed this value in `value_info`.
    public var declaredInValueInfo: Bool = false

    public enum Producer: Sendable, Equatable {
        /// A graph input (possibly with an initializer as its default).
        case graphInput
        case initializer
        case node(NodeID, output: Int)
        /// Defined in an enclosing graph and read here by name.
        case outerScope
        /// Nothing defines it: a dangling reference, reported by the validator.
        case missing
    }

    public var producingNode: NodeID? { if case .node(let n, _) = producer { n } else { nil } }
}

/// A read of a value: input slot `input` of `node`, or an implicit read by one of its subgraphs.
public struct Use: Sendable, Hashable {
    public let node: NodeID
    /// nil when the value is read by name inside one of the node's subgraphs.
    public let input: Int?
}
