import FreezerIR
import FreezerInspect

/// Removes `ModelProto.training_info`, recording what it held.
public struct StripTrainingInfo: Pass {
    public static let name = "StripTrainingInfo"
    public static let documentation = PassDocumentation(
        id: "PASS-STRIP-TRAINING-INFO",
        summary: "Remove ModelProto.training_info (the training algorithm and its initialization), recording what it held.",
        before: "ModelProto { graph, training_info: [TrainingInfoProto { initialization, algorithm, initialization_binding, update_binding }] }",
        after: "ModelProto { graph }",
        conditions: ["Always applies when training_info is present: an inference model never runs it."],
        formula: nil)

    public init() {}

    public func run(on model: inout Model, context: inout PassContext) throws(PassError) {
        guard !model.trainingInfo.isEmpty else {
            context.skip(.trainingInfo, graph: "model", node: "training_info", reason: "not present in the model", nothingToDo: true)
            return
        }
        // The inspector reads the algorithm graphs: optimizer, hyperparameters, schedule, clipping, regularization.
        let findings = Inspector.inspect(model).findings.filter { $0.graphPath.hasPrefix("training_info") }
        for (k, info) in model.trainingInfo.enumerated() {
            let prefix = "training_info[\(k)]"
            let algorithmOps = info.algorithm?.nodes.map(\.qualifiedOpType) ?? []
            var detail = "algorithm: \(info.algorithm?.nodes.count ?? 0) nodes (\(Self.histogram(algorithmOps)))"
            detail += "; initialization: \(info.initialization?.nodes.count ?? 0) nodes"
            if !info.updateBinding.isEmpty {
                detail += "; update_binding: " + info.updateBinding.map { "\($0.key) ← \($0.value)" }.joined(separator: ", ")
            }
            if !info.initializationBinding.isEmpty {
                detail += "; initialization_binding: " + info.initializationBinding.map { "\($0.key) ← \($0.value)" }.joined(separator: ", ")
            }
            context.record(.trainingInfo, graph: prefix, nodes: [], action: "removed", detail: detail)
            for f in findings where f.graphPath.hasPrefix(prefix) && f.category != .trainingInfo {
                context.record(f.category, graph: f.graphPath, nodes: f.node.map { [$0] } ?? [],
                               action: "removed with \(prefix)", detail: f.detail)
            }
        }
        model.trainingInfo = []
    }

    static func histogram(_ ops: [String]) -> String {
        var counts: [String: Int] = [:]
        for op in ops { counts[op, default: 0] += 1 }
        return counts.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
    }
}
