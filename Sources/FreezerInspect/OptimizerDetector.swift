import FreezerIR

/// Finds gradient, optimizer and other training-only operators, and the weight decay optimizers apply.
///
/// Recognized: every operator of `ai.onnx.preview.training` (Gradient, Adam, Momentum, Adagrad), and
/// onnxruntime-training's `com.microsoft` operators (`*Grad`, accumulators, optimizers). InplaceClipGradNorm,
/// SoftmaxCrossEntropyLossInternal and BatchNormInternal belong to other categories and are found there.
enum OptimizerDetector {
    static func findings(in scope: GraphScope) -> [Finding] {
        var result: [Finding] = []
        for node in scope.graph.nodes {
            guard let kind = kind(of: node) else { continue }
            var facts = TrainingOperatorFacts(attributes: node.attributes.map(AttributeFact.init))
            if node.domain == TrainingOperators.previewTrainingDomain && node.opType == "Gradient" {
                facts.gradientOf = node.attribute("y")?.stringValue
                if case .strings(let xs)? = node.attribute("xs")?.value {
                    facts.withRespectTo = xs.map { String(decoding: $0, as: UTF8.self) }
                }
            }
            if TrainingOperators.isPreviewOptimizer(node) {
                facts.learningRateInput = scope.input(node, 0).map(scope.name)
                facts.iterationCountInput = scope.input(node, 1).map(scope.name)
                facts.updatedParameters = updatedParameters(node, in: scope)
            }
            var finding = scope.finding(.gradientAndOptimizer, kind, .training, node: node, detail: detail(node, facts))
            finding.trainingOperator = facts
            result.append(finding)
            result += weightDecay(node, in: scope)
        }
        return result
    }

    /// The kind of training operator `node` is, or nil when it is none (or belongs to another category).
    static func kind(of node: Node) -> FindingKind? {
        switch node.domain {
        case TrainingOperators.previewTrainingDomain:
            if node.opType == "Gradient" { return .gradient }
            return TrainingOperators.previewOptimizers.contains(node.opType) ? .optimizer : .trainingOperator
        case TrainingOperators.microsoftDomain:
            if TrainingOperators.microsoftOptimizers.contains(node.opType) { return .optimizer }
            if TrainingOperators.microsoftAccumulators.contains(node.opType) { return .gradientAccumulator }
            if TrainingOperators.isMicrosoftGradient(node) { return .gradientOperator }
            if TrainingOperators.microsoftTrainingOnly.contains(node.opType) { return .trainingOperator }
            return nil
        default:
            return nil
        }
    }

    /// The X inputs of Adam (X, G, V, H per parameter), Momentum (X, G, V) or Adagrad (X, G, H), after R and T.
    private static func updatedParameters(_ node: Node, in scope: GraphScope) -> [String] {
        let perParameter = node.opType == "Adam" ? 4 : 3
        let n = max(0, node.inputs.count - 2) / perParameter
        return (0..<n).compactMap { scope.input(node, 2 + $0).map(scope.name) }
    }

    /// L2 weight decay built into an optimizer: `norm_coefficient` (and Adam's `norm_coefficient_post`),
    /// or AdamWOptimizer's `weight_decay`.
    private static func weightDecay(_ node: Node, in scope: GraphScope) -> [Finding] {
        let names: [String]
        if TrainingOperators.isPreviewOptimizer(node) {
            names = ["norm_coefficient", "norm_coefficient_post"]
        } else if node.domain == TrainingOperators.microsoftDomain && node.opType == "AdamWOptimizer" {
            names = ["weight_decay"]
        } else {
            return []
        }
        return names.compactMap { name in
            guard let lambda = node.attribute(name)?.floatValue, lambda > 0 else { return nil }
            var finding = scope.finding(.weightRegularization, .optimizerWeightDecay, .training, node: node,
                                        detail: "L2 weight decay in \(node.opType): \(name)=\(NumberText.short(Double(lambda)))")
            finding.regularization = RegularizationFacts(norm: "L2", lambda: Double(lambda), lambdaSource: name)
            return finding
        }
    }

    private static func detail(_ node: Node, _ facts: TrainingOperatorFacts) -> String {
        if let y = facts.gradientOf {
            return "gradient of '\(y)' w.r.t. \(facts.withRespectTo.joined(separator: ", "))"
        }
        let hyper = facts.attributes.filter { $0.value.number != nil || $0.name == "mode" }
            .map { "\($0.name)=\($0.value.text)" }.joined(separator: ", ")
        var text = node.opType + (hyper.isEmpty ? "" : " \(hyper)")
        if !facts.updatedParameters.isEmpty { text += "; updates \(facts.updatedParameters.joined(separator: ", "))" }
        return text
    }
}
