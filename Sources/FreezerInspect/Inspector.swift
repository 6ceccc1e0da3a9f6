import FreezerIR

/// Inspects a model: what it is, and every training-specific construct in it, by category.
///
/// Every detector runs over every graph: the main graph, the subgraphs of If/Loop/Scan nodes at any
/// depth, and the training_info graphs. Findings are ordered by graph (that order), then by node.
public enum Inspector {
    /// Detectors that look at one graph at a time, in the order their findings are collected. The order
    /// matters only for ties inside a category, and categories are sorted afterwards anyway.
    private static var perGraphDetectors: [(GraphScope) -> [Finding]] { [
        DropoutDetector.findings,
        StochasticRegularizerDetector.findings,
        BatchNormDetector.findings,
        ClippingDetector.findings,
        LearningRateDetector.findings,
        RegularizationDetector.findings,
        OptimizerDetector.findings,
        LossDetector.findings,
    ] }

    public static func inspect(_ model: Model, source: InspectSource? = nil) -> InspectReport {
        let scopes = GraphScope.all(in: model)
        var found: [Finding] = []
        for scope in scopes {
            for detect in perGraphDetectors { found += detect(scope) }
        }
        found += ParametersDetector.findings(in: scopes)
        found += TrainingInfoDetector.findings(in: model, scopes: scopes, found: found)

        let nodes = scopes.reduce(0) { $0 + $1.graph.nodes.count }
        let categories = FindingCategory.allCases.map { category in
            CategoryReport(category: category, searched: true, nodesSearched: nodes, graphsSearched: scopes.count,
                           findings: found.filter { $0.category == category })
        }
        return InspectReport(summary: SummaryBuilder.summary(of: model, source: source, scopes: scopes),
                             categories: categories)
    }
}
