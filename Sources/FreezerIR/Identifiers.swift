/// Identifies a node within one graph. Ids are never reused, so a stale id cannot alias a new node.
public struct NodeID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let index: Int
    public static func < (a: NodeID, b: NodeID) -> Bool { a.index < b.index }
    public var description: String { "node#\(index)" }
}

/// Identifies a value (a named edge) within one graph.
public struct ValueID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let index: Int
    public static func < (a: ValueID, b: ValueID) -> Bool { a.index < b.index }
    public var description: String { "value#\(index)" }
}
