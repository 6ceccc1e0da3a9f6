import FreezerIR

extension Model {
    /// Applies `body` to every graph of the model that runs at inference: the main graph and, depth
    /// first, every subgraph (If branches, Loop and Scan bodies). Inner graphs are rewritten before the
    /// graph that holds them, so a node's captures are refreshed after its subgraphs change.
    mutating func rewriteGraphs(_ body: (inout Graph, String) throws(PassError) -> Void) throws(PassError) {
        try Self.rewrite(&graph, path: "main", body)
    }

    private static func rewrite(_ graph: inout Graph, path: String,
                                _ body: (inout Graph, String) throws(PassError) -> Void) throws(PassError) {
        for node in graph.nodes where node.hasSubgraphs {
            let label = graph.displayName(node.id)
            var failure: PassError?
            graph.modifySubgraphs(of: node.id) { sub, attribute in
                guard failure == nil else { return }
                do throws(PassError) { try rewrite(&sub, path: "\(path)/\(label).\(attribute)", body) } catch { failure = error }
            }
            if let failure { throw failure }
        }
        try body(&graph, path)
    }
}
