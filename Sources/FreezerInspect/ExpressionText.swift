import FreezerIR

/// Writes the computation of a value as a formula, e.g. `0.1 * Pow(0.99, T)`, for the log.
///
/// Constants print as numbers, named leaves by name (or the alias given, like `T`); Cast and Identity
/// are transparent. Deep or wide computations are cut off with the value's name, since the point is
/// to be read by a person.
struct ExpressionText {
    let scope: GraphScope
    /// Values printed by a short name instead of being expanded.
    let aliases: [ValueID: String]
    var maxDepth = 8

    private static let infix: [String: (symbol: String, precedence: Int)] = [
        "Add": ("+", 1), "Sub": ("-", 1), "Mul": ("*", 2), "Div": ("/", 2),
    ]

    func text(_ id: ValueID) -> String { render(id, depth: 0).text }

    private func render(_ id: ValueID, depth: Int) -> (text: String, precedence: Int) {
        if let alias = aliases[id] { return (alias, 3) }
        if let c = scope.constantScalar(id) { return (NumberText.short(c), 3) }
        guard depth < maxDepth, let node = scope.producer(id), node.isDefaultDomain else {
            return (scope.name(id), 3)
        }
        let args = node.inputs.compactMap { $0 }
        if ["Cast", "Identity"].contains(node.opType), let x = args.first { return render(x, depth: depth + 1) }
        if let op = Self.infix[node.opType], args.count == 2 {
            let l = render(args[0], depth: depth + 1), r = render(args[1], depth: depth + 1)
            // Parenthesize lower-precedence operands, and equal-precedence right operands of - and /.
            let lt = l.precedence < op.precedence ? "(\(l.text))" : l.text
            let rightNeeds = r.precedence < op.precedence || (r.precedence == op.precedence && ["-", "/"].contains(op.symbol))
            let rt = rightNeeds ? "(\(r.text))" : r.text
            return ("\(lt) \(op.symbol) \(rt)", op.precedence)
        }
        let inner = args.map { render($0, depth: depth + 1).text }.joined(separator: ", ")
        return ("\(node.opType)(\(inner))", 3)
    }
}
