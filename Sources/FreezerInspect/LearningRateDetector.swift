import FreezerIR

/// Reads the learning rate R of Adam, Momentum and Adagrad: a constant (informational), a schedule
/// computed from the iteration count T, or Adagrad's own decay `R / (1 + T * decay_factor)`.
enum LearningRateDetector {
    static func findings(in scope: GraphScope) -> [Finding] {
        scope.graph.nodes.filter(TrainingOperators.isPreviewOptimizer).compactMap { finding($0, in: scope) }
    }

    private static func finding(_ node: Node, in scope: GraphScope) -> Finding? {
        guard let r = scope.input(node, 0) else { return nil }
        let t = scope.input(node, 1)
        // Not `?.floatValue.map(Double.init)`: that crashes the Swift 6.3 optimizer in release builds.
        var decay: Double?
        if node.opType == "Adagrad", let v = node.attribute("decay_factor")?.floatValue { decay = Double(v) }
        let activeDecay = decay.flatMap { $0 > 0 ? $0 : nil }
        let value = scope.constantScalar(r)
        let cone = Cone.backward(from: [r], in: scope)
        let dependsOnT = t.map(cone.leaves.contains) ?? false
        var formula = "R = " + ExpressionText(scope: scope, aliases: t.map { [$0: "T"] } ?? [:]).text(r)
        if let activeDecay {
            // Adagrad: r = R / (1 + T * decay_factor), per the operator's definition.
            let base = value.map(NumberText.short) ?? "(\(formula.dropFirst(4)))"
            formula = "R = \(base) / (1 + T * \(NumberText.short(activeDecay)))"
        }
        let kind: FindingKind
        let state: FindingState
        if dependsOnT {
            (kind, state) = (.schedule, .training)
        } else if activeDecay != nil {
            (kind, state) = (.optimizerDecay, .training)
        } else if value != nil {
            (kind, state) = (.fixedLearningRate, .informational)
        } else if case .graphInput = scope.origin(of: r).origin {
            (kind, state) = (.computedLearningRate, .runtimeInput)
        } else {
            (kind, state) = (.computedLearningRate, .unknown)
        }
        let facts = LearningRateFacts(optimizer: scope.name(node), learningRateInput: scope.name(r),
                                      iterationCountInput: t.map(scope.name), formula: formula, value: value,
                                      dependsOnIterationCount: dependsOnT || activeDecay != nil,
                                      nodes: cone.nodeNames(in: scope), decayFactor: decay)
        let detail: String
        switch kind {
        case .fixedLearningRate: detail = "fixed learning rate \(formula.dropFirst(4)) for \(node.opType) '\(facts.optimizer)'"
        case .schedule, .optimizerDecay: detail = "\(formula) for \(node.opType) '\(facts.optimizer)'"
        default: detail = "learning rate computed: \(formula) for \(node.opType) '\(facts.optimizer)'"
        }
        var finding = scope.finding(.learningRateScheduling, kind, state, node: node, detail: detail)
        finding.learningRate = facts
        return finding
    }
}
