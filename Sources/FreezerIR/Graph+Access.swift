/// Read access to a graph.
extension Graph {
    /// Live nodes in their current order.
    public var nodes: [Node] { nodeOrder.compactMap { nodeStore[$0.index] } }

    public func node(_ id: NodeID) -> Node {
        guard let node = nodeStore[id.index] else { preconditionFailure("\(id) was removed from graph '\(name)'") }
        return node
    }

    public func contains(_ id: NodeID) -> Bool { id.index < nodeStore.count && nodeStore[id.index] != nil }

    public func value(_ id: ValueID) -> Value { values[id.index] }

    public func value(named name: String) -> ValueID? { valueByName[name] }

    public func initializer(_ id: ValueID) -> Tensor? { initializerStore[id] }

    /// Initializers in file order, with the value each defines.
    public var initializers: [(value: ValueID, tensor: Tensor)] {
        initializerOrder.compactMap { id in initializerStore[id].map { (id, $0) } }
    }

    public func isGraphOutput(_ id: ValueID) -> Bool { outputs.contains(id) }

    /// Non-empty names that two or more nodes of this graph bear, sorted.
    public var repeatedNodeNames: [String] { nodeNameCount.filter { $0.value > 1 }.map(\.key).sorted() }

    /// The node's name, or `#N OpType` for unnamed nodes, for messages.
    public func displayName(_ id: NodeID) -> String {
        let node = node(id)
        return node.name.isEmpty ? "#\(id.index) \(node.opType)" : node.name
    }

    /// The node that produces `value`, if a node does.
    public func producer(of value: ValueID) -> Node? {
        values[value.index].producingNode.map { node($0) }
    }

    /// Nodes that read `value`, each once, in node order.
    public func consumers(of value: ValueID) -> [NodeID] {
        var seen = Set<NodeID>()
        return values[value.index].uses.compactMap { seen.insert($0.node).inserted ? $0.node : nil }
    }

    /// Whether anything reads the value: a node, a subgraph, or the graph's outputs.
    public func isUsed(_ value: ValueID) -> Bool {
        !values[value.index].uses.isEmpty || outputs.contains(value)
    }

    /// Whether the value is a compile-time constant: an initializer that is not also a graph input.
    public func isConstant(_ value: ValueID) -> Bool {
        values[value.index].producer == .initializer && initializerStore[value] != nil
    }

    /// Graph inputs that have an initializer as default value (overridable parameters).
    public var initializersAsInputs: [ValueID] { inputs.filter { initializerStore[$0] != nil } }

    /// Graph inputs that are not parameters.
    public var runtimeInputs: [ValueID] { inputs.filter { initializerStore[$0] == nil } }

    /// Every graph nested in node attributes, depth first, with the path of node names leading to it.
    public func subgraphs() -> [(path: [String], graph: Graph)] {
        var result: [(path: [String], graph: Graph)] = []
        for node in nodes {
            for attribute in node.attributes {
                for (k, sub) in attribute.subgraphs.enumerated() {
                    let label = "\(displayName(node.id)).\(attribute.name)" + (attribute.subgraphs.count > 1 ? "[\(k)]" : "")
                    result.append(([label], sub))
                    result += sub.subgraphs().map { ([label] + $0.path, $0.graph) }
                }
            }
        }
        return result
    }
}
