import FreezerIR

/// Finds gradient clipping: by value (Clip/Min/Max on a gradient), by global norm (gradients scaled by a
/// factor computed from their norm), and onnxruntime's InplaceClipGradNorm.
///
/// Gradients are the outputs of `Gradient` and of `com.microsoft::*Grad` operators (through Identity).
enum ClippingDetector {
    private static let normOps: Set<String> = ["ReduceL2", "ReduceSumSquare", "ReduceL1", "Sqrt"]

    static func findings(in scope: GraphScope) -> [Finding] {
        let gradients = gradientValues(in: scope)
        var result: [Finding] = []
        for node in scope.graph.nodes {
            if node.domain == TrainingOperators.microsoftDomain && node.opType == "InplaceClipGradNorm" {
                // Not `?.floatValue.map(Double.init)`: that crashes the Swift 6.3 optimizer in release builds.
                var maxNorm: Double?
                if let v = node.attribute("max_norm")?.floatValue { maxNorm = Double(v) }
                var finding = scope.finding(.gradientClipping, .clipGradNormOperator, .training, node: node,
                                            detail: "global-norm clipping operator" + (maxNorm.map { ", max_norm \(NumberText.short($0))" } ?? ""))
                finding.clipping = ClippingFacts(method: "operator", maxNorm: maxNorm)
                result.append(finding)
                continue
            }
            guard node.isDefaultDomain, !gradients.isEmpty else { continue }
            if let finding = valueClipping(node, gradients: gradients, in: scope) ?? normClipping(node, gradients: gradients, in: scope) {
                result.append(finding)
            }
        }
        return result
    }

    /// Outputs of gradient operators, and Identity copies of them.
    static func gradientValues(in scope: GraphScope) -> Set<ValueID> {
        var values = Set<ValueID>()
        for node in scope.graph.nodes {
            if TrainingOperators.producesGradients(node) {
                values.formUnion(node.outputs.compactMap { $0 })
            } else if node.isOnnx("Identity"), let x = scope.input(node, 0), values.contains(x),
                      let out = scope.output(node, 0) {
                values.insert(out)
            }
        }
        return values
    }

    private static func valueClipping(_ node: Node, gradients: Set<ValueID>, in scope: GraphScope) -> Finding? {
        guard ["Clip", "Min", "Max"].contains(node.opType) else { return nil }
        let operands = node.inputs.compactMap { $0 }
        guard let gradient = operands.first(where: gradients.contains) else { return nil }
        var facts = ClippingFacts(method: "value", gradient: scope.name(gradient),
                                  gradientProducer: scope.producer(gradient).map(scope.name))
        switch node.opType {
        case "Clip":
            if (scope.opsetVersion(node) ?? 11) >= 11 {
                facts.min = scope.constantScalar(scope.input(node, 1))
                facts.max = scope.constantScalar(scope.input(node, 2))
            } else {
                if let v = node.attribute("min")?.floatValue { facts.min = Double(v) }
                if let v = node.attribute("max")?.floatValue { facts.max = Double(v) }
            }
        default:
            let bound = operands.filter { $0 != gradient }.compactMap { scope.constantScalar($0) }.first
            if node.opType == "Min" { facts.max = bound } else { facts.min = bound }
        }
        let range = "[\(facts.min.map(NumberText.short) ?? "-∞"), \(facts.max.map(NumberText.short) ?? "∞")]"
        var finding = scope.finding(.gradientClipping, .valueClipping, .training, node: node,
                                    detail: "clips gradient '\(facts.gradient ?? "?")' to \(range)")
        finding.clipping = facts
        return finding
    }

    /// A Mul or Div of a gradient by a factor computed from a norm of gradients.
    private static func normClipping(_ node: Node, gradients: Set<ValueID>, in scope: GraphScope) -> Finding? {
        guard node.opType == "Mul" || node.opType == "Div", let a = scope.input(node, 0), let b = scope.input(node, 1)
        else { return nil }
        // Mul commutes; a Div scales only its numerator.
        let (g, factor) = gradients.contains(a) || node.opType == "Div" ? (a, b) : (b, a)
        guard gradients.contains(g), !gradients.contains(factor) else { return nil }
        let cone = Cone.backward(from: [factor], in: scope, stop: gradients.contains)
        let coneNodes = scope.graph.nodeOrder.filter(cone.nodes.contains).map { scope.graph.node($0) }
        guard !cone.leaves.isDisjoint(with: gradients), coneNodes.contains(where: { normOps.contains($0.opType) }) else { return nil }
        // clip_coef = max_norm / (norm + eps): the constant numerator of a Div is the bound.
        let maxNorm = coneNodes.lazy.filter { $0.opType == "Div" }.compactMap { scope.constantScalar(scope.input($0, 0)) }.first
        let facts = ClippingFacts(method: "globalNorm", gradient: scope.name(g), gradientProducer: scope.producer(g).map(scope.name),
                                  maxNorm: maxNorm, scale: scope.name(factor), normNodes: coneNodes.map(scope.name))
        var detail = "scales gradient '\(scope.name(g))' by '\(scope.name(factor))' (global norm"
        detail += (maxNorm.map { ", max_norm \(NumberText.short($0)))" } ?? ")")
        var finding = scope.finding(.gradientClipping, .globalNormClipping, .training, node: node, detail: detail)
        finding.clipping = facts
        return finding
    }
}
