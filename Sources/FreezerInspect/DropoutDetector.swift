import FreezerIR

/// Finds Dropout nodes (every opset, and onnxruntime's fused forms) and reads their training switch.
///
/// The switch moved across opsets (`is_test` 1–6, none 7–11, a `training_mode` input from 12); the rule is
/// `DropoutSemantics` in FreezerIR, shared with the RemoveDropout pass and the evaluator.
enum DropoutDetector {
    /// Where each recognized operator keeps its ratio and training_mode inputs (opset 12+ layout).
    private static let layouts: [String: (domain: String, ratio: Int, trainingMode: Int)] = [
        "Dropout": ("", 1, 2),
        "BitmaskDropout": (TrainingOperators.microsoftDomain, 1, 2),
        "BiasDropout": (TrainingOperators.microsoftDomain, 3, 4),
    ]

    static func findings(in scope: GraphScope) -> [Finding] {
        scope.graph.nodes.compactMap { node in
            guard let layout = layouts[node.opType], Domain.key(node.domain) == layout.domain else { return nil }
            return finding(node, layout: (layout.ratio, layout.trainingMode), in: scope)
        }
    }

    private static func finding(_ node: Node, layout: (ratio: Int, trainingMode: Int), in scope: GraphScope) -> Finding {
        // onnxruntime's fused forms have no opset history: their switch is always an input.
        let since = node.isDefaultDomain
            ? OperatorSchemas.sinceVersion(DropoutSemantics.versions,
                                           opset: DropoutSemantics.effectiveOpset(of: node, opset: scope.opsetVersion(node)))
            : nil
        let trainingSwitch = since.map(DropoutSemantics.trainingSwitch) ?? .trainingModeInput(index: layout.trainingMode)
        var facts = DropoutFacts(sinceVersion: since, trainingMode: .absent, maskUsed: false, maskConsumers: [],
                                 maskIsGraphOutput: false)
        facts.seed = node.attribute("seed")?.intValue

        if case .trainingModeInput = trainingSwitch {
            readRatio(node, index: layout.ratio, in: scope, into: &facts)
        } else {
            facts.ratio = Double(node.attribute("ratio")?.floatValue ?? 0.5)
        }
        let mode = DropoutSemantics.trainingMode(of: node, switch: trainingSwitch) { flag in
            if let value = scope.constantScalar(flag) { return .constant(value != 0) }
            switch scope.origin(of: flag).origin {
            case .graphInput, .overridableInitializer: return .runtimeInput
            case .computed(let producer): return .computed(producer: scope.name(producer))
            default: return .computed(producer: nil)
            }
        }
        record(mode, in: scope, into: &facts)
        readMask(node, in: scope, into: &facts)

        var result = scope.finding(.dropout, .dropout, state(facts.trainingMode), node: node,
                                   detail: detail(facts))
        result.dropout = facts
        return result
    }

    private static func readRatio(_ node: Node, index: Int, in scope: GraphScope, into facts: inout DropoutFacts) {
        if let ratio = scope.input(node, index) {
            facts.ratioInput = scope.name(ratio)
            facts.ratio = scope.constantScalar(ratio)
        } else {
            facts.ratio = 0.5
        }
    }

    /// The rule's answer in the report's terms, with where the switch came from.
    private static func record(_ mode: DropoutSemantics.TrainingMode, in scope: GraphScope, into facts: inout DropoutFacts) {
        func flagFacts(_ flag: ValueID) {
            facts.trainingModeInput = scope.name(flag)
            facts.trainingModeSource = scope.origin(of: flag).origin.label
        }
        switch mode {
        case .training(.isTest(let v)), .inference(.isTest(let v)):
            facts.isTest = v
            facts.trainingMode = v == 0 ? .on : .off
            facts.trainingModeSource = "isTestAttribute"
        case .training(.noSwitch), .inference(.noSwitch), .training(.trainingModeAbsent), .inference(.trainingModeAbsent):
            facts.trainingMode = .absent
        case .training(.trainingModeConstant(let flag)), .inference(.trainingModeConstant(let flag)):
            flagFacts(flag)
            facts.trainingMode = mode.isTraining == true ? .constantTrue : .constantFalse
            if case .computed = scope.origin(of: flag).origin { facts.trainingModeSource = "Constant" }  // an Identity of a constant
        case .runtimeInput(let flag):
            flagFacts(flag)
            facts.trainingMode = .graphInput
        case .unknown(let flag, let producer):
            flagFacts(flag)
            facts.trainingMode = .unknown
            facts.trainingModeProducer = producer
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
