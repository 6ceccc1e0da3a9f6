/// Facts about a parameter that is a graph input.
public struct ParameterFacts: Codable, Sendable, Equatable {
    public var elementType: String?
    public var shape: [String]?
    /// Elements of the initializer, when it has one.
    public var elementCount: Int?
    /// Where the value is read at a weight slot (empty for initializers listed as inputs).
    public var weightUses: [WeightUse]
}

/// A read of a value at a weight slot of an operator.
public struct WeightUse: Codable, Sendable, Equatable {
    public var node: String
    public var opType: String
    public var input: Int
    /// `weight`, `bias`, `scale`, `mean`, `var`, ...
    public var role: String
    /// The graph of the reading node (a subgraph may read an outer input).
    public var graphPath: String

    public init(node: String, opType: String, input: Int, role: String, graphPath: String) {
        self.node = node
        self.opType = opType
        self.input = input
        self.role = role
        self.graphPath = graphPath
    }
}
