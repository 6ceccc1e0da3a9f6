import FreezerIR

/// Who reads a value, in the words the report uses.
extension GraphScope {
    /// Names of the nodes reading `id` (including nodes whose subgraphs read it), in node order.
    func consumerNames(_ id: ValueID) -> [String] {
        graph.consumers(of: id).map { graph.displayName($0) }
    }

    /// Nodes reading `id`, in node order.
    func consumers(_ id: ValueID) -> [Node] {
        graph.consumers(of: id).map { graph.node($0) }
    }

    /// The node producing `id` in this graph, if a node does.
    func producer(_ id: ValueID?) -> Node? {
        guard let id else { return nil }
        return graph.producer(of: id)
    }

    /// The input at `slot`, when the node has it and it is not empty.
    func input(_ node: Node, _ slot: Int) -> ValueID? {
        slot < node.inputs.count ? node.inputs[slot] : nil
    }

    /// The output at `slot`, when the node declares it.
    func output(_ node: Node, _ slot: Int) -> ValueID? {
        slot < node.outputs.count ? node.outputs[slot] : nil
    }
}
