/// A graph operation that cannot be carried out. These are refusals that keep the graph consistent,
/// reported with the names a user can find in the model.
public enum GraphError: Error, Equatable, CustomStringConvertible {
    case cycle(graph: String, nodes: [String])
    case stillUsed(value: String, by: [String])
    case nameTaken(String)
    case notAnInitializer(String)

    public var description: String {
        switch self {
        case let .cycle(graph, nodes):
            "graph '\(graph)' has a cycle: \((nodes + nodes.prefix(1)).joined(separator: " → ")); ONNX graphs must be acyclic (loops belong in a Loop node's body)"
        case let .stillUsed(value, users):
            "value '\(value)' is still read by \(users.joined(separator: ", ")); rewire those reads first"
        case let .nameTaken(name):
            "the name '\(name)' is already used in this graph"
        case let .notAnInitializer(name):
            "'\(name)' is not an initializer"
        }
    }
}
