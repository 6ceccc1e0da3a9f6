import FreezerIR

/// Finds L1/L2 penalties on parameters that are added into a loss.
///
/// Penalty forms: ReduceL1(W), ReduceL2(W), ReduceSumSquare(W), ReduceSum/ReduceMean of Abs(W),
/// Mul(W, W) or Pow(W, 2), and a bare Pow(W, 2) or Mul(W, W). W must be a parameter (it has an
/// initializer, possibly in an enclosing graph). The penalty counts only when it flows, through
/// loss-preserving arithmetic, into a loss: an L2 norm elsewhere is ordinary inference math.
/// λ is the product of the constant factors met on the way (Mul by a constant, Div by a constant).
enum RegularizationDetector {
    private static let reductions: Set<String> = ["ReduceSum", "ReduceMean"]

    static func findings(in scope: GraphScope) -> [Finding] {
        let losses = LossDetector.lossValues(in: scope)
        guard !losses.isEmpty else { return [] }
        var result: [Finding] = []
        for node in scope.graph.nodes where node.isDefaultDomain {
            guard let penalty = penalty(at: node, in: scope), let out = scope.output(node, 0),
                  let path = pathToLoss(from: out, losses: losses, in: scope) else { continue }
            let lambda = coefficient(along: path.nodes, in: scope)
            let facts = RegularizationFacts(norm: penalty.norm, parameter: scope.name(penalty.parameter),
                                            lambda: lambda.value, lambdaSource: lambda.source,
                                            penaltyNodes: (penalty.nodes + path.nodes).map(scope.name),
                                            lossValue: scope.name(path.loss))
            var detail = "\(penalty.norm) penalty on '\(facts.parameter ?? "?")'"
            if let l = facts.lambda { detail += ", λ=\(NumberText.short(l))" }
            detail += ", added into '\(facts.lossValue ?? "?")'"
            var finding = scope.finding(.weightRegularization, .lossPenalty, .training, node: node, detail: detail)
            finding.regularization = facts
            result.append(finding)
        }
        return result
    }

    /// When `node` computes a norm of a parameter: L1 or L2, the parameter, and the nodes involved.
    static func penalty(at node: Node, in scope: GraphScope) -> (norm: String, parameter: ValueID, nodes: [Node])? {
        guard let x = scope.input(node, 0) else { return nil }
        switch node.opType {
        case "ReduceL1": return isParameter(x, in: scope) ? ("L1", x, [node]) : nil
        case "ReduceL2", "ReduceSumSquare": return isParameter(x, in: scope) ? ("L2", x, [node]) : nil
        case _ where reductions.contains(node.opType):
            guard let inner = scope.producer(x), inner.isDefaultDomain,
                  let (norm, w) = elementwise(inner, in: scope) else { return nil }
            return (norm, w, [inner, node])
        case "Abs", "Mul", "Pow":
            // Counted at the reduction when one reads it, so each penalty is reported once.
            let readers = node.outputs.compactMap { $0 }.flatMap(scope.consumers)
            if readers.contains(where: { reductions.contains($0.opType) }) { return nil }
            guard node.opType != "Abs", let (norm, w) = elementwise(node, in: scope) else { return nil }
            return (norm, w, [node])
        default:
            return nil
        }
    }

    /// Abs(W) → L1; Mul(W, W) or Pow(W, 2) → L2.
    private static func elementwise(_ node: Node, in scope: GraphScope) -> (String, ValueID)? {
        guard let w = scope.input(node, 0), isParameter(w, in: scope) else { return nil }
        switch node.opType {
        case "Abs": return ("L1", w)
        case "Mul": return scope.input(node, 1) == w ? ("L2", w) : nil
        case "Pow": return scope.constantScalar(scope.input(node, 1)) == 2 ? ("L2", w) : nil
        default: return nil
        }
    }

    /// A parameter: a value with an initializer, here or in an enclosing graph.
    static func isParameter(_ id: ValueID, in scope: GraphScope) -> Bool {
        switch scope.origin(of: id).origin {
        case .initializer, .overridableInitializer: true
        default: false
        }
    }

    /// The shortest chain of loss-preserving nodes from `start` to a loss value, breadth first.
    private static func pathToLoss(from start: ValueID, losses: Set<ValueID>, in scope: GraphScope)
        -> (nodes: [Node], loss: ValueID)? {
        var queue: [(value: ValueID, nodes: [Node])] = [(start, [])]
        var seen: Set<ValueID> = [start]
        var head = 0
        while head < queue.count {
            let (value, nodes) = queue[head]
            head += 1
            for reader in scope.consumers(value)
            where reader.isDefaultDomain && LossDetector.lossPreserving.contains(reader.opType) {
                for out in reader.outputs.compactMap({ $0 }) where seen.insert(out).inserted {
                    if losses.contains(out) { return (nodes + [reader], out) }
                    queue.append((out, nodes + [reader]))
                }
            }
        }
        return nil
    }

    /// λ: the product of constant factors on the path, and the values that hold them.
    private static func coefficient(along nodes: [Node], in scope: GraphScope) -> (value: Double?, source: String?) {
        var lambda = 1.0
        var sources: [String] = []
        for node in nodes where node.opType == "Mul" || node.opType == "Div" {
            // The factor is the operand that is a constant; a Mul of two computed values leaves λ unknown.
            let operands = node.inputs.compactMap { $0 }
            guard let k = operands.firstIndex(where: { scope.constantScalar($0) != nil }) else { return (nil, nil) }
            let c = scope.constantScalar(operands[k])!
            if node.opType == "Mul" { lambda *= c }
            else if k == 1 { lambda /= c }
            else { return (nil, nil) }
            sources.append(scope.name(operands[k]))
        }
        // No factor at all: the penalty is added as is, λ = 1.
        return (lambda, sources.isEmpty ? nil : sources.joined(separator: ", "))
    }
}
