import FreezerIR

/// Finds Dropout nodes (every opset, and onnxruntime's fused forms) and reads their training switch.
///
/// The switch moved across opsets: `is_test` (1, 6; default 0 means training), none at all (7-11,
/// inference semantics), then a `training_mode` input (12+; absent means false).
enum DropoutDetector {
    /// Where each recognized operator keeps its ratio and training_mode inputs (opset 12+ layout).
    private static let layouts: [String: (domain: String, ratio: Int, trainingMode: Int)] = [
        "Dropout": ("", 1, 2),
        "BitmaskDropout": (TrainingOperators.microsoftDomain, 1, 2),
        "BiasDropout": (TrainingOperators.microsoftDomain, 3, 4),
    ]

    static func findings(in scope: GraphScope) -> [Finding] {
        scope.graph.nodes.compactMap { node in
            guard let layout = layouts[node.opType],
                  node.domain == layout.domain || (layout.domain.isEmpty && TrainingOperators.isDefaultDomain(node))
            else { return nil }
            return finding(node, layout: (layout.ratio, layout.trainingMode), in: scope)
        }
    }

    private static func finding(_ node: Node, layout: (ratio: Int, trainingMode: Int), in scope: GraphScope) -> Finding {
        let isOnnx = TrainingOperators.isDefaultDomain(node)
        let since = isOnnx ? OperatorSchemas.sinceVersion(OperatorSchemas.dropoutVersions, opset: scope.opsetVersion(node))
            ?? guessSinceVersion(node) : nil
        var facts = DropoutFacts(sinceVersion: since, trainingMode: .absent, maskUsed: false, maskConsumers: [],
                                 maskIsGraphOutput: false)
        facts.seed = node.attribute("seed")?.intValue

        if let since, since < 7 {
            let isTest = node.attribute("is_test")?.intValue ?? 0
            facts.isTest = isTest
            facts.trainingMode = isTest == 0 ? .on : .off
            facts.trainingModeSource = "isTestAttribute"
            facts.ratio = Double(node.attribute("ratio")?.floatValue ?? 0.5)
        } else if let since, since < 12 {
            facts.ratio = Double(node.attribute("ratio")?.floatValue ?? 0.5)
        } else {
            readInputs(node, layout: layout, in: scope, into: &facts)
        }
        readMask(node, in: scope, into: &facts)

        var result = scope.finding(.dropout, .dropout, state(facts.trainingMode), node: node,
                                   detail: detail(facts))
        result.dropout = facts
        return result
    }

    /// Without an opset, the node's shape tells the schema apart well enough.
    private static func guessSinceVersion(_ node: Node) -> Int64 {
        if node.attribute("is_test") != nil { return 6 }
        return node.inputs.count > 1 ? 12 : 7
    }

    private static func readInputs(_ node: Node, layout: (ratio: Int, trainingMode: Int), in scope: GraphScope,
                                   into facts: inout DropoutFacts) {
        if let ratio = scope.input(node, layout.ratio) {
            facts.ratioInput = scope.name(ratio)
            facts.ratio = scope.constantScalar(ratio)
        } else {
            facts.ratio = 0.5
        }
        guard let flag = scope.input(node, layout.trainingMode) else {
            facts.trainingMode = .absent
            return
        }
        facts.trainingModeInput = scope.name(flag)
        let (_, origin) = scope.origin(of: flag)
        facts.trainingModeSource = origin.label
        if let value = scope.constantScalar(flag) {
            facts.trainingMode = value != 0 ? .constantTrue : .constantFalse
            if case .computed = origin { facts.trainingModeSource = "Constant" }  // an Identity of a constant
            return
        }
        switch origin {
        case .graphInput, .overridableInitializer:
            facts.trainingMode = .graphInput
        case .computed(let producer):
            facts.trainingMode = .unknown
            facts.trainingModeProducer = scope.name(producer)
        default:
            facts.trainingMode = .unknown
        }
    }

    private static func readMask(_ node: Node, in scope: GraphScope, into facts: inout DropoutFacts) {
        guard let mask = scope.output(node, 1) else { return }
        facts.maskOutput = scope.name(mask)
        facts.maskConsumers = scope.consumerNames(mask)
        facts.maskIsGraphOutput = scope.graph.isGraphOutput(mask)
        facts.maskUsed = !facts.maskConsumers.isEmpty || facts.maskIsGraphOutput
    }

    static func state(_ mode: DropoutTrainingMode) -> FindingState {
        switch mode {
        case .on, .constantTrue: .training
        case .off, .constantFalse, .absent: .inference
        case .graphInput: .runtimeInput
        case .unknown: .unknown
        }
    }

    private static func detail(_ f: DropoutFacts) -> String {
        var parts: [String] = []
        let input = f.trainingModeInput.map { "'\($0)'" } ?? ""
        switch f.trainingMode {
        case .on: parts.append("training on (is_test=\(f.isTest ?? 0))")
        case .off: parts.append("training off (is_test=\(f.isTest ?? 1))")
        case .constantTrue: parts.append("training_mode constant true \(input) (\(f.trainingModeSource ?? "constant"))")
        case .constantFalse: parts.append("training_mode constant false \(input) (\(f.trainingModeSource ?? "constant"))")
        case .graphInput: parts.append("training_mode from graph input \(input)")
        case .absent: parts.append(f.sinceVersion.map { $0 < 12 } ?? false ? "no training switch (identity at inference)" : "training_mode absent (false)")
        case .unknown: parts.append("training_mode computed by \(f.trainingModeProducer.map { "'\($0)'" } ?? "other nodes")")
        }
        if let ratio = f.ratio { parts.append("ratio \(NumberText.short(ratio))") }
        else if let input = f.ratioInput { parts.append("ratio from '\(input)'") }
        if let mask = f.maskOutput {
            if f.maskUsed {
                let readers = f.maskConsumers + (f.maskIsGraphOutput ? ["graph output"] : [])
                parts.append("mask '\(mask)' used by \(readers.joined(separator: ", "))")
            } else {
                parts.append("mask '\(mask)' unused")
            }
        }
        return parts.joined(separator: "; ")
    }
}
