import FreezerIR
import FreezerInspect

/// Puts every BatchNormalization in inference form: training switched off, training-only outputs dropped.
public struct MakeBatchNormInference: Pass {
    public static let name = "MakeBatchNormInference"
    public static let documentation = PassDocumentation(
        id: "PASS-BN-INFERENCE",
        summary: "Switch BatchNormalization to inference form (training_mode = 0, is_test = 1) and drop its training-only outputs.",
        before: "BatchNormalization(X, scale, B, mean, var; training_mode = 1 | is_test = 0) → Y, running_mean, running_var[, saved_mean, saved_var]",
        after: "BatchNormalization(X, scale, B, mean, var) → Y, normalizing with the stored running statistics",
        conditions: [
            "The running-statistics outputs must be unused: a model that reads them at inference cannot be frozen (the pass refuses, naming the reader).",
            "opset ≤ 6: is_test becomes 1 and consumed_inputs is dropped; opset 14+: the training_mode attribute is removed (default 0).",
            "spatial (opset ≤ 7) is kept: spatial = 0 means per-activation statistics and stays exact.",
        ],
        formula: "Y = scale · (X − mean) / √(var + ε) + B, with mean and var the running statistics",
        limits: [
            PassLimit("A BatchNormalization whose running-statistics outputs are read by the model", exitCode: 3),
        ])

    public init() {}

    public func run(on model: inout Model, context: inout PassContext) throws(PassError) {
        let opset = model.opsetVersion(for: "") ?? 1
        try model.rewriteGraphs { (graph, path) throws(PassError) in
            for node in graph.nodes where node.isOnnx("BatchNormalization") {
                try convert(node.id, in: &graph, path: path, context: &context)
            }
            for node in graph.nodes where node.isOperator("BatchNormInternal", of: Domain.microsoft) {
                try convertInternal(node.id, in: &graph, path: path, opset: opset, context: &context)
            }
        }
    }

    /// onnxruntime-training's `com.microsoft::BatchNormInternal` (training form, with saved mean and inverse
    /// standard deviation outputs) becomes the standard BatchNormalization in inference form on the same
    /// five inputs and epsilon.
    private func convertInternal(_ id: NodeID, in graph: inout Graph, path: String, opset: Int64, context: inout PassContext) throws(PassError) {
        let node = graph.node(id)
        let name = graph.displayName(id)
        guard opset >= 9 else {
            throw PassError(pass: Self.name, "BatchNormInternal '\(name)' cannot become BatchNormalization: the model imports default-domain opset \(opset), before BatchNormalization lost `spatial` (9). Re-export with opset 9 or later.")
        }
        try dropTrainingOutputs(of: id, in: &graph, what: "BatchNormInternal")
        let epsilon = node.attribute("epsilon")
        graph.updateNode(id) { header in
            header.opType = "BatchNormalization"
            header.domain = ""
            header.opsetVersion = opset
        }
        graph.setAttributes(id, epsilon.map { [$0] } ?? [])
        context.record(.batchNormalization, graph: path, nodes: [name], action: "converted to inference form",
                       detail: "com.microsoft::BatchNormInternal (onnxruntime-training) → BatchNormalization (opset \(opset)) on the stored running statistics; epsilon \(epsilon?.floatValue.map { NumberText.short(Double($0)) } ?? "1e-5 (default)") kept; momentum and the saved statistics outputs dropped")
    }

    /// Drops outputs 1… (statistics), refusing when one is read.
    private func dropTrainingOutputs(of id: NodeID, in graph: inout Graph, what: String) throws(PassError) {
        let name = graph.displayName(id)
        for slot in graph.node(id).outputs.indices.dropFirst().reversed() {
            guard slot < graph.node(id).outputs.count, let out = graph.node(id).outputs[slot] else { continue }
            if graph.isUsed(out) {
                let readers = graph.consumers(of: out).map { "'\(graph.displayName($0))'" } + (graph.isGraphOutput(out) ? ["the graph outputs"] : [])
                throw PassError(pass: Self.name, "\(what) '\(name)' output \(slot) ('\(graph.value(out).name)', a training statistic) is read by \(readers.joined(separator: ", ")). Running statistics do not exist at inference; remove that reader (or choose other outputs with --output) and convert again.")
            }
            do { try graph.dropOutput(id, slot) } catch { throw PassError(pass: Self.name, "\(error)") }
        }
    }

    private func convert(_ id: NodeID, in graph: inout Graph, path: String, context: inout PassContext) throws(PassError) {
        let node = graph.node(id)
        let name = graph.displayName(id)
        let version = node.opsetVersion ?? 1
        var notes: [String] = []
        for slot in node.outputs.indices.dropFirst() {
            guard let out = node.outputs[slot] else { continue }
            if graph.isUsed(out) {
                let readers = graph.consumers(of: out).map { "'\(graph.displayName($0))'" } + (graph.isGraphOutput(out) ? ["the graph outputs"] : [])
                throw PassError(pass: Self.name, "BatchNormalization '\(name)' output \(slot) ('\(graph.value(out).name)', a training statistic) is read by \(readers.joined(separator: ", ")). Running statistics do not exist at inference; remove that reader (or choose other outputs with --output) and convert again.")
            }
            do { try graph.dropOutput(id, slot) } catch { throw PassError(pass: Self.name, "\(error)") }
            notes.append("dropped unused output \(slot) '\(graph.value(out).name)'")
        }
        var attributes = node.attributes
        let wasTraining: Bool
        if version <= 6 {
            wasTraining = (node.attribute("is_test")?.intValue ?? 0) == 0
            attributes.removeAll { $0.name == "is_test" || $0.name == "consumed_inputs" }
            attributes.append(Attribute(name: "is_test", value: .int(1)))
            if node.attribute("consumed_inputs") != nil { notes.append("removed consumed_inputs") }
        } else {
            wasTraining = (node.attribute("training_mode")?.intValue ?? 0) != 0
            attributes.removeAll { $0.name == "training_mode" }
        }
        guard wasTraining || !notes.isEmpty else {
            context.skip(.batchNormalization, graph: path, node: name, reason: "already in inference form", nothingToDo: true)
            return
        }
        graph.setAttributes(id, attributes)
        let mode = version <= 6 ? "is_test 0 → 1" : "training_mode 1 → 0"
        context.record(.batchNormalization, graph: path, nodes: [name], action: "converted to inference form",
                       detail: ([wasTraining ? mode : "training mode already off"] + notes).joined(separator: "; "))
    }
}
