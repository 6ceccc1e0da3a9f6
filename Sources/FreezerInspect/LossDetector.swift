import FreezerIR

/// Finds loss computations: loss operators, the labels they read, and graph outputs that are losses.
///
/// A graph output is a loss when its name contains "loss" (any case) or it is computed from a loss
/// operator's output through plain arithmetic (a total loss = cross-entropy + penalty).
enum LossDetector {
    static let onnxLossOps: Set<String> = ["SoftmaxCrossEntropyLoss", "NegativeLogLikelihoodLoss"]
    static let microsoftLossOps: Set<String> = ["SoftmaxCrossEntropyLossInternal", "SoftmaxCrossEntropy", "SparseSoftmaxCrossEntropy"]
    /// Operators through which a loss stays a loss: combining, scaling, averaging, casting.
    static let lossPreserving: Set<String> = ["Add", "Sum", "Sub", "Mul", "Div", "Identity", "Cast", "ReduceMean",
                                              "ReduceSum", "Neg", "Mean"]

    static func isLossOperator(_ node: Node) -> Bool {
        (node.isDefaultDomain && onnxLossOps.contains(node.opType))
            || (node.domain == TrainingOperators.microsoftDomain && microsoftLossOps.contains(node.opType))
    }

    static func findings(in scope: GraphScope) -> [Finding] {
        var result: [Finding] = []
        var reportedLabels = Set<ValueID>()
        for node in scope.graph.nodes where isLossOperator(node) {
            result.append(lossOperatorFinding(node, in: scope))
            guard let label = scope.input(node, 1), case .graphInput = scope.origin(of: label).origin,
                  reportedLabels.insert(label).inserted else { continue }
            let readers = scope.consumers(label).filter(isLossOperator).map(scope.name)
            var finding = scope.finding(.loss, .labelInput, .training, value: label,
                                        detail: "graph input read as labels by \(readers.joined(separator: ", "))")
            finding.loss = LossFacts(labelInput: scope.name(label), labelSource: "graphInput", lossOperators: readers)
            result.append(finding)
        }
        let derived = lossDerivedValues(in: scope)
        for output in scope.graph.outputs {
            var reasons: [String] = []
            if scope.name(output).lowercased().contains("loss") { reasons.append("name") }
            if derived.contains(output) { reasons.append("computed") }
            guard !reasons.isEmpty else { continue }
            let sources = lossOperators(feeding: output, in: scope)
            let why = reasons == ["name"] ? "name contains 'loss'"
                : "computed from " + sources.map { "'\($0)'" }.joined(separator: ", ")
            var finding = scope.finding(.loss, .lossOutput, .training, value: output, detail: "graph output: \(why)")
            finding.loss = LossFacts(lossOperators: sources, reasons: reasons)
            result.append(finding)
        }
        return result
    }

    private static func lossOperatorFinding(_ node: Node, in scope: GraphScope) -> Finding {
        let label = scope.input(node, 1)
        let facts = LossFacts(labelInput: label.map(scope.name), labelSource: label.map { scope.origin(of: $0).origin.label },
                              weightInput: scope.input(node, 2).map(scope.name),
                              reduction: node.attribute("reduction")?.stringValue ?? "mean",
                              ignoreIndex: node.attribute("ignore_index")?.intValue)
        var detail = "reduction \(facts.reduction ?? "mean")"
        if let label = facts.labelInput { detail += "; labels '\(label)' (\(facts.labelSource ?? "?"))" }
        var finding = scope.finding(.loss, .lossOperator, .training, node: node, detail: detail)
        finding.loss = facts
        return finding
    }

    /// Values computed from a loss operator's outputs through loss-preserving arithmetic, the
    /// operator's outputs included.
    static func lossDerivedValues(in scope: GraphScope) -> Set<ValueID> {
        var derived = Set<ValueID>()
        var queue: [ValueID] = []
        for node in scope.graph.nodes where isLossOperator(node) {
            for out in node.outputs.compactMap({ $0 }) where derived.insert(out).inserted { queue.append(out) }
        }
        while let value = queue.popLast() {
            for reader in scope.consumers(value)
            where reader.isDefaultDomain && lossPreserving.contains(reader.opType) {
                for out in reader.outputs.compactMap({ $0 }) where derived.insert(out).inserted { queue.append(out) }
            }
        }
        return derived
    }

    /// Values that count as losses: derived from a loss operator, or graph outputs named like one.
    static func lossValues(in scope: GraphScope) -> Set<ValueID> {
        lossDerivedValues(in: scope).union(scope.graph.outputs.filter { scope.name($0).lowercased().contains("loss") })
    }

    /// Names of the loss operators `value` is computed from, in node order.
    private static func lossOperators(feeding value: ValueID, in scope: GraphScope) -> [String] {
        let cone = Cone.backward(from: [value], in: scope)
        return scope.graph.nodes.filter { cone.nodes.contains($0.id) && isLossOperator($0) }.map(scope.name)
    }
}
