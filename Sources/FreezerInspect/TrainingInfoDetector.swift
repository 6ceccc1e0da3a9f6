import FreezerIR

/// Describes each `ModelProto.training_info` entry: what its algorithm does (from the findings the other
/// detectors made in its graphs), what its initialization sets, and its bindings.
enum TrainingInfoDetector {
    static func findings(in model: Model, scopes: [GraphScope], found: [Finding]) -> [Finding] {
        model.trainingInfo.enumerated().map { i, info in
            let prefix = "training_info[\(i)]."
            let inner = found.filter { $0.graphPath.hasPrefix(prefix) }
            let algorithmPath = info.algorithm.map { _ in prefix + "algorithm" }
            let initializationPath = info.initialization.map { _ in prefix + "initialization" }
            var facts = TrainingInfoFacts(
                index: i, algorithmGraphPath: algorithmPath,
                algorithmNodeCount: nodeCount(under: algorithmPath, in: scopes) ?? 0,
                findingCounts: Dictionary(inner.map { ($0.category.rawValue, 1) }, uniquingKeysWith: +),
                optimizers: inner.filter { $0.kind == .optimizer }.map(optimizerText),
                learningRates: inner.compactMap { $0.learningRate?.formula },
                clipping: unique(inner.compactMap { $0.clipping?.method }),
                regularization: inner.compactMap(regularizationText),
                losses: inner.filter { $0.kind == .lossOperator }.compactMap(\.node),
                initializationGraphPath: initializationPath,
                initializationNodeCount: nodeCount(under: initializationPath, in: scopes),
                initializes: [],
                initializationBinding: info.initializationBinding.map { BindingFact(key: $0.key, value: $0.value) },
                updateBinding: info.updateBinding.map { BindingFact(key: $0.key, value: $0.value) })
            if let graph = info.initialization {
                facts.initializes = info.initializationBinding.map { binding in
                    let producer = graph.value(named: binding.value).flatMap { graph.producer(of: $0) }
                    return InitializedValue(key: binding.key, value: binding.value, producerOpType: producer?.qualifiedOpType)
                }
            }
            var finding = Finding(category: .trainingInfo, kind: .trainingInfo, state: .training,
                                  graphPath: "training_info[\(i)]", detail: detail(facts))
            finding.trainingInfo = facts
            return finding
        }
    }

    /// Nodes in the graph at `path` and its subgraphs.
    private static func nodeCount(under path: String?, in scopes: [GraphScope]) -> Int? {
        guard let path else { return nil }
        return scopes.filter { $0.path == path || $0.path.hasPrefix(path + "/") }.reduce(0) { $0 + $1.graph.nodes.count }
    }

    private static func optimizerText(_ f: Finding) -> String {
        let hyper = (f.trainingOperator?.attributes ?? []).filter { $0.value.number != nil || $0.name == "mode" }
            .map { "\($0.name)=\($0.value.text)" }.joined(separator: ", ")
        let opType = (f.opType ?? "?").split(separator: ":").last.map(String.init) ?? "?"
        return "\(opType) '\(f.node ?? "?")'" + (hyper.isEmpty ? "" : " (\(hyper))")
    }

    private static func regularizationText(_ f: Finding) -> String? {
        guard let r = f.regularization else { return nil }
        let lambda = r.lambda.map { "λ=\(NumberText.short($0))" }
        if f.kind == .optimizerWeightDecay { return "\(r.norm) weight decay (\(r.lambdaSource ?? "?")=\(lambda.map { String($0.dropFirst(2)) } ?? "?"))" }
        return "\(r.norm) on \(r.parameter ?? "?")" + (lambda.map { " (\($0))" } ?? "")
    }

    private static func unique(_ items: [String]) -> [String] {
        var seen = Set<String>()
        return items.filter { seen.insert($0).inserted }
    }

    private static func detail(_ f: TrainingInfoFacts) -> String {
        var parts: [String] = []
        if f.algorithmGraphPath != nil {
            var a = "algorithm \(f.algorithmNodeCount) nodes"
            let optimizers = f.optimizers.map { String($0.split(separator: " ").first ?? "") }
            if !optimizers.isEmpty { a += ", \(optimizers.joined(separator: ", "))" }
            if !f.learningRates.isEmpty { a += ", \(f.learningRates.joined(separator: "; "))" }
            if !f.clipping.isEmpty { a += ", clipping: \(f.clipping.joined(separator: ", "))" }
            if !f.regularization.isEmpty { a += ", regularization: \(f.regularization.count)" }
            parts.append(a)
        }
        if let n = f.initializationNodeCount {
            parts.append("initialization \(n) nodes set \(f.initializes.map(\.key).joined(separator: ", "))")
        }
        parts.append("\(f.updateBinding.count) update bindings")
        return parts.joined(separator: "; ")
    }
}
