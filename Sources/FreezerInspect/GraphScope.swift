import FreezerIR

/// A graph being inspected, with its path and the graphs enclosing it.
///
/// Subgraphs and training_info graphs read values of enclosing graphs by name; keeping the enclosing
/// graphs at hand lets the detectors resolve those names (an outer-scope `training_mode` flag is as
/// constant as a local one).
struct GraphScope {
    let graph: Graph
    /// `main`, `main/If_0.then_branch`, `training_info[0].algorithm`, ...
    let path: String
    /// Enclosing graphs, innermost first.
    let enclosing: [GraphScope]
    /// Whether the graph is a model-level graph (main or training_info) rather than a node's subgraph:
    /// only those have inputs that are model parameters rather than loop or branch state.
    let isTopLevel: Bool
    /// Imported opset versions by domain ("" for the default domain), for nodes that do not carry one.
    let opsets: [String: Int64]

    /// The opset version in effect for `node`.
    func opsetVersion(_ node: Node) -> Int64? {
        node.opsetVersion ?? opsets[Domain.key(node.domain)]
    }

    func name(_ node: Node) -> String { graph.displayName(node.id) }

    func name(_ value: ValueID) -> String { graph.value(value).name }

    /// The scopes of the graphs held by `node`'s attributes, in attribute order.
    func children(of node: Node) -> [GraphScope] {
        var result: [GraphScope] = []
        for attribute in node.attributes {
            let subs = attribute.subgraphs
            for (k, sub) in subs.enumerated() {
                let label = "\(name(node)).\(attribute.name)" + (subs.count > 1 ? "[\(k)]" : "")
                result.append(GraphScope(graph: sub, path: "\(path)/\(label)", enclosing: [self] + enclosing,
                                         isTopLevel: false, opsets: opsets))
            }
        }
        return result
    }

    /// This scope and every scope nested in it, depth first, in node order.
    func withDescendants() -> [GraphScope] {
        var result = [self]
        for node in graph.nodes {
            for child in children(of: node) { result += child.withDescendants() }
        }
        return result
    }

    /// Every graph of the model: main and its subgraphs, then each training_info entry's
    /// initialization and algorithm graphs with theirs.
    static func all(in model: Model) -> [GraphScope] {
        var opsets: [String: Int64] = [:]
        for o in model.opsetImports { opsets[Domain.key(o.domain)] = o.version }
        let main = GraphScope(graph: model.graph, path: "main", enclosing: [], isTopLevel: true, opsets: opsets)
        var result = main.withDescendants()
        for (i, info) in model.trainingInfo.enumerated() {
            let named: [(String, Graph?)] = [("initialization", info.initialization), ("algorithm", info.algorithm)]
            for (label, graph) in named {
                guard let graph else { continue }
                // training_info graphs read the main graph's initializers by name.
                let scope = GraphScope(graph: graph, path: "training_info[\(i)].\(label)", enclosing: [main],
                                       isTopLevel: true, opsets: opsets)
                result += scope.withDescendants()
            }
        }
        return result
    }
}
