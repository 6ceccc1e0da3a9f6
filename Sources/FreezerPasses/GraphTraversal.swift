import FreezerIR

/// Where a graph being rewritten sits in the model.
struct GraphPlace {
    /// `main`, or the path of a subgraph such as `main/If_0.then_branch`.
    var path: String
    /// The graphs around it, innermost first, the main graph last; empty for the main graph. Each is as it
    /// was before its subgraphs were rewritten, which is all a subgraph reads of it: its constants.
    var enclosing: [Graph]
}

extension Model {
    /// Applies `body` to every graph of the model that runs at inference: the main graph and, depth
    /// first, every subgraph (If branches, Loop and Scan bodies). Inner graphs are rewritten before the
    /// graph that holds them, so a node's captures are refreshed after its subgraphs change.
    mutating func rewriteGraphs(_ body: (inout Graph, String) throws(PassError) -> Void) throws(PassError) {
        try Self.rewrite(&graph, GraphPlace(path: "main", enclosing: []), keepEnclosing: false) { (g, place) throws(PassError) in
            try body(&g, place.path)
        }
    }

    /// As `rewriteGraphs`, for passes that read constants of enclosing graphs (outer-scope names).
    mutating func rewriteGraphsInScope(_ body: (inout Graph, GraphPlace) throws(PassError) -> Void) throws(PassError) {
        try Self.rewrite(&graph, GraphPlace(path: "main", enclosing: []), keepEnclosing: true, body)
    }

    private static func rewrite(_ graph: inout Graph, _ place: GraphPlace, keepEnclosing: Bool,
                                _ body: (inout Graph, GraphPlace) throws(PassError) -> Void) throws(PassError) {
        // A value snapshot: rewriting the subgraphs below copies the graph's tables once, not its tensors.
        let enclosing = keepEnclosing ? [graph] + place.enclosing : []
        for node in graph.nodes where node.hasSubgraphs {
            let label = graph.displayName(node.id)
            var failure: PassError?
            graph.modifySubgraphs(of: node.id) { sub, attribute in
                guard failure == nil else { return }
                let inner = GraphPlace(path: "\(place.path)/\(label).\(attribute)", enclosing: enclosing)
                do throws(PassError) { try rewrite(&sub, inner, keepEnclosing: keepEnclosing, body) } catch { failure = error }
            }
            if let failure { throw failure }
        }
        try body(&graph, place)
    }
}
