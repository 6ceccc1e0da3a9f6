import FreezerIR

/// Findings located in a scope, with the common fields filled from the node.
extension GraphScope {
    /// A finding about `node`.
    func finding(_ category: FindingCategory, _ kind: FindingKind, _ state: FindingState, node: Node,
                 detail: String) -> Finding {
        Finding(category: category, kind: kind, state: state, node: name(node), opType: node.qualifiedOpType,
                opsetVersion: opsetVersion(node), graphPath: path, detail: detail)
    }

    /// A finding about a value rather than a node.
    func finding(_ category: FindingCategory, _ kind: FindingKind, _ state: FindingState, value: ValueID,
                 detail: String) -> Finding {
        Finding(category: category, kind: kind, state: state, value: name(value), graphPath: path, detail: detail)
    }
}
