import FreezerIR

/// Finds BatchNormalization nodes (every opset, and onnxruntime's BatchNormInternal): training state,
/// extra outputs, constness of the statistics, and whether it folds into the preceding operator.
///
/// Inference-form BNs are reported too (state `inference`): freezing still folds them.
enum BatchNormDetector {
    private static let outputRoles = ["Y", "runningMean", "runningVar", "savedMean", "savedVar"]
    private static let inputRoles = ["X", "scale", "bias", "mean", "var"]

    static func findings(in scope: GraphScope) -> [Finding] {
        scope.graph.nodes.compactMap { node in
            if node.isOnnx("BatchNormalization") { return finding(node, isInternal: false, in: scope) }
            if node.domain == TrainingOperators.microsoftDomain && node.opType == "BatchNormInternal" {
                return finding(node, isInternal: true, in: scope)
            }
            return nil
        }
    }

    private static func finding(_ node: Node, isInternal: Bool, in scope: GraphScope) -> Finding {
        let since = isInternal ? nil : OperatorSchemas.sinceVersion(OperatorSchemas.batchNormVersions, opset: scope.opsetVersion(node))
            ?? guessSinceVersion(node)
        let outputCount = node.outputs.compactMap { $0 }.count
        // Defaults filled in as the schema defines them, so the report says what the node does.
        let trainingMode = isInternal ? node.attribute("training_mode")?.intValue ?? 1
            : (since ?? 15) >= 14 ? node.attribute("training_mode")?.intValue ?? 0 : nil
        let isTest = (since ?? 15) < 7 ? node.attribute("is_test")?.intValue ?? 0 : nil
        let spatial = (since ?? 15) <= 7 && !isInternal ? node.attribute("spatial")?.intValue ?? 1 : nil
        let training: Bool
        if isInternal {
            training = trainingMode == 1  // the training form; training_mode defaults on
        } else if let since, since >= 14 {
            training = trainingMode == 1
        } else if let since, since >= 7 {
            training = outputCount > 1
        } else {
            training = isTest == 0
        }

        let parameters = (1...4).compactMap { slot -> BatchNormInput? in
            guard let id = scope.input(node, slot) else { return nil }
            let origin = scope.origin(of: id).origin
            return BatchNormInput(slot: slot, role: inputRoles[slot], value: scope.name(id),
                                  constant: (try? scope.foldConstant(id).get()) != nil, source: origin.label)
        }
        let extra = node.outputs.enumerated().dropFirst().compactMap { slot, id -> BatchNormOutput? in
            guard let id else { return nil }
            let readers = scope.consumerNames(id)
            let isOutput = scope.graph.isGraphOutput(id)
            let role = isInternal && slot == 4 ? "savedInvStdDev" : slot < outputRoles.count ? outputRoles[slot] : "output\(slot)"
            return BatchNormOutput(slot: slot, role: role, value: scope.name(id), used: !readers.isEmpty || isOutput,
                                   consumers: readers, isGraphOutput: isOutput)
        }
        // Freezing puts the BN in inference form before folding (or refuses), so its training switch is no reason.
        let fold = BatchNormFoldability.match(node, in: scope, inferenceFormFirst: true)
        let plan = try? fold.get()
        let target = plan.map { scope.graph.node($0.linear) }
        let reason: String? = if case .failure(let failure) = fold { failure.description } else { nil }
        let producer = scope.producer(scope.input(node, 0))
        let facts = BatchNormFacts(
            sinceVersion: since, training: training, trainingMode: trainingMode, isTest: isTest, spatial: spatial,
            consumedInputs: node.attribute("consumed_inputs")?.intsValue,
            epsilon: Double(node.attribute("epsilon")?.floatValue ?? 1e-5),
            momentum: Double(node.attribute("momentum")?.floatValue ?? 0.9),
            outputCount: outputCount, extraOutputs: Array(extra), parameterInputs: parameters,
            parametersConstant: parameters.count == 4 && parameters.allSatisfy(\.constant),
            producer: producer.map(scope.name), producerOpType: producer?.qualifiedOpType,
            foldable: plan != nil, foldTarget: target.map(scope.name), foldTargetOpType: target?.opType,
            foldBiasAdd: plan?.target == .matMulAdd ? plan?.biasNode.map(scope.graph.displayName) : nil,
            foldWeightShared: plan?.weightShared, notFoldableReason: reason)
        var result = scope.finding(.batchNormalization, isInternal ? .batchNormInternal : .batchNormalization,
                                   training ? .training : .inference, node: node, detail: detail(facts))
        result.batchNormalization = facts
        return result
    }

    private static func guessSinceVersion(_ node: Node) -> Int64 {
        if node.attribute("training_mode") != nil { return 15 }
        if node.attribute("is_test") != nil { return 6 }
        return 9
    }

    private static func detail(_ f: BatchNormFacts) -> String {
        var parts: [String] = []
        var mode = f.training ? "training" : "inference"
        if let t = f.trainingMode { mode += " (training_mode=\(t))" }
        else if let t = f.isTest { mode += " (is_test=\(t))" }
        else if f.training { mode += " (\(f.outputCount) outputs)" }
        parts.append(mode)
        let used = f.extraOutputs.filter(\.used).map(\.role)
        if !f.extraOutputs.isEmpty {
            parts.append("\(f.extraOutputs.count) extra outputs" + (used.isEmpty ? " unused" : ", used: \(used.joined(separator: ", "))"))
        }
        if !f.parametersConstant { parts.append("statistics not all constant") }
        if let target = f.foldTarget, let op = f.foldTargetOpType {
            parts.append("folds into \(op) '\(target)'" + (f.foldBiasAdd.map { " via Add '\($0)'" } ?? ""))
        } else if let reason = f.notFoldableReason {
            parts.append("not foldable: \(reason)")
        }
        return parts.joined(separator: "; ")
    }
}
