import FreezerIR

/// The nodes and leaf values a set of values is computed from, within one graph.
struct Cone {
    var nodes: Set<NodeID> = []
    /// Values not produced by a node of the graph: inputs, initializers, outer-scope reads.
    var leaves: Set<ValueID> = []

    /// The backward cone of `roots`, stopping at values for which `stop` is true (kept as leaves).
    static func backward(from roots: [ValueID], in scope: GraphScope, stop: (ValueID) -> Bool = { _ in false }) -> Cone {
        var cone = Cone()
        var seen = Set<ValueID>()
        var stack = roots
        while let value = stack.popLast() {
            guard seen.insert(value).inserted else { continue }
            guard !stop(value), let producer = scope.producer(value) else {
                cone.leaves.insert(value)
                continue
            }
            guard cone.nodes.insert(producer.id).inserted else { continue }
            stack += producer.inputs.compactMap { $0 } + producer.captures
        }
        return cone
    }

    /// The cone's nodes as names, in node order.
    func nodeNames(in scope: GraphScope) -> [String] {
        scope.graph.nodeOrder.filter(nodes.contains).map { scope.graph.displayName($0) }
    }
}
