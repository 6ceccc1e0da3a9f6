import FreezerIR

/// Finds random draws in the inference path: stochastic regularizers it recognizes (removed by
/// `RemoveStochasticRegularizers`) and draws it cannot prove to be one (the conversion refuses them).
enum StochasticRegularizerDetector {
    static func findings(in scope: GraphScope) -> [Finding] {
        // A training_info graph's draws initialize parameters (TrainingInfoDetector reports those graphs).
        guard !scope.path.hasPrefix("training_info") else { return [] }
        let recognition = StochasticRegularizers.recognize(in: scope)
        let graph = scope.graph
        var result: [Finding] = []
        for r in recognition.regularizers {
            let facts = StochasticRegularizerFacts(
                variant: r.variant, nodes: r.nodes.sorted().map(graph.displayName), data: scope.name(r.data),
                output: scope.name(r.output), dropProbability: r.dropProbability, noise: r.noise?.text,
                expectation: r.expectation, renormalizationDeviation: r.renormalizationDeviation, argument: r.argument)
            var detail = "\(r.variant.rawValue) on '\(scope.name(r.data))'"
            if let p = r.dropProbability { detail += ", drop probability \(NumberText.short(p))" }
            if let noise = r.noise, r.dropProbability == nil { detail += ", noise \(noise.text)" }
            detail += "; identity at inference"
            var finding = scope.finding(.dropout, .stochasticRegularizer, .training, node: graph.node(r.randomNodes[0]), detail: detail)
            finding.stochasticRegularizer = facts
            result.append(finding)
        }
        for u in recognition.unproven {
            let facts = StochasticRegularizerFacts(nodes: [graph.displayName(u.node)], stoppedAt: graph.displayName(u.stoppedAt), reason: u.reason)
            let at = u.stoppedAt == u.node ? "" : " at '\(graph.displayName(u.stoppedAt))'"
            var finding = scope.finding(.dropout, .randomDraw, .unknown, node: graph.node(u.node),
                                        detail: "random draw not proven to be a regularizer\(at): \(u.reason)")
            finding.stochasticRegularizer = facts
            result.append(finding)
        }
        return result
    }
}
