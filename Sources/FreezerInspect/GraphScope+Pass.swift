import FreezerIR

extension GraphScope {
    /// A scope for a graph being rewritten by a pass, with its enclosing graphs (innermost first).
    static func forPass(_ graph: Graph, enclosing: [Graph], opsetImports: [OpsetImport]) -> GraphScope {
        var opsets: [String: Int64] = [:]
        for o in opsetImports { opsets[Domain.key(o.domain)] = o.version }
        var outer: [GraphScope] = []
        for (k, g) in enclosing.enumerated().reversed() {
            outer.insert(GraphScope(graph: g, path: "", enclosing: outer, isTopLevel: k == enclosing.count - 1, opsets: opsets), at: 0)
        }
        return GraphScope(graph: graph, path: "", enclosing: outer, isTopLevel: enclosing.isEmpty, opsets: opsets)
    }
}
