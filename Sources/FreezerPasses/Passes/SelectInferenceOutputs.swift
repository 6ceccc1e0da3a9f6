import FreezerIR
import FreezerInspect

/// Chooses the graph outputs the frozen model keeps: the inference outputs.
public struct SelectInferenceOutputs: Pass {
    public static let name = "SelectInferenceOutputs"
    public static let documentation = PassDocumentation(
        id: "PASS-SELECT-OUTPUTS",
        summary: "Keep the inference outputs; drop training-only outputs (loss, regularization terms, running statistics, gradients, accumulators, Dropout masks).",
        before: "graph outputs [logits, loss, bn.running_mean, W.grad, …]",
        after: "graph outputs [logits] (or exactly the --output names, in the order given)",
        conditions: [
            "An output is training-only when it is a BatchNormalization statistic or a Dropout mask, when it is computed from a loss, gradient or optimizer operator, when its name says loss/gradient/regularization/accumulator, or when it depends on no runtime input other than labels.",
            "--output NAME overrides the choice; a name that is not a value of the graph is refused, and so is an output that exists only in training, which freezing removes (a BatchNormalization running or saved statistic, a Dropout mask).",
            "If every output is training-only, the predictions the loss operators score (their first input, when computed from the graph's inputs) become the outputs, as in onnxruntime-training's training_model.onnx; with no loss operator either, the conversion is refused: name the inference outputs with --output.",
            "A chosen output without a declared type gets the element type and rank that the operators computing it prove (dimensions left open); when they cannot be proven the conversion is refused.",
        ],
        formula: nil,
        limits: [
            PassLimit("A model whose every output is training-only and that has no loss operator whose predictions could become the outputs", exitCode: 3),
            PassLimit("An --output name that is not a value of the graph, or a chosen output whose element type and rank cannot be proven", exitCode: 3),
            PassLimit("An --output that exists only in training: a BatchNormalization running or saved statistic, a Dropout mask", exitCode: 3),
        ])

    /// The outputs the user asked for, or nil for the automatic choice.
    public var requested: [String]?
    public init(requested: [String]? = nil) { self.requested = requested }

    public func run(on model: inout Model, context: inout PassContext) throws(PassError) {
        var graph = model.graph
        let original = graph.outputs.map { graph.value($0).name }
        if let requested, !requested.isEmpty {
            var ids: [ValueID] = []
            for name in requested {
                guard let id = graph.value(named: name), graph.value(id).producer != .missing else {
                    throw PassError(pass: Self.name, "--output '\(name)' is not a value of the model. Graph outputs are: \(original.joined(separator: ", ")).")
                }
                if let removed = Self.removedByFreezing(id, in: graph) {
                    let kept = graph.outputs.filter { Self.removedByFreezing($0, in: graph) == nil }.map { graph.value($0).name }
                    throw PassError(pass: Self.name, "--output '\(name)' is \(removed.what), which exists only in training: \(removed.why) Choose inference outputs with --output"
                                    + (kept.isEmpty ? "" : " (graph outputs that exist at inference: \(kept.joined(separator: ", ")))") + " and convert again.")
                }
                ids.append(id)
            }
            graph.setOutputs(ids)
            try declareTypes(of: ids, in: &graph, context: &context)
            model.graph = graph
            let dropped = original.filter { !requested.contains($0) }
            context.record(.loss, graph: "main", nodes: [], action: "outputs chosen by --output",
                           detail: "kept \(requested.joined(separator: ", "))" + (dropped.isEmpty ? "" : "; dropped \(dropped.joined(separator: ", "))"))
            return
        }
        let labels = Self.labelInputs(model)
        var kept: [ValueID] = []
        for id in graph.outputs {
            if let (category, reason) = Self.trainingOnly(id, in: graph, labels: labels) {
                context.record(category, graph: "main", nodes: [graph.value(id).name], action: "output dropped",
                               detail: "graph output '\(graph.value(id).name)' is training-only: \(reason)")
            } else {
                kept.append(id)
            }
        }
        if kept.isEmpty {
            // A training graph that declares only training outputs (onnxruntime-training's training_model.onnx
            // returns the loss and gradients): the predictions its loss operators score are the forward outputs.
            kept = Self.scoredPredictions(in: graph)
            guard !kept.isEmpty else {
                throw PassError(pass: Self.name, "every graph output (\(original.joined(separator: ", "))) is training-only, so no inference output is left. Name the inference outputs with --output.")
            }
            for id in kept {
                let readers = graph.consumers(of: id).map(graph.node).filter { Self.lossOps.contains($0.opType) }
                context.record(.loss, graph: "main", nodes: [graph.value(id).name], action: "forward output chosen",
                               detail: "every declared output is training-only; '\(graph.value(id).name)', the prediction that loss operator \(readers.map { "\($0.opType) '\(graph.displayName($0.id))'" }.joined(separator: ", ")) scores, becomes the inference output")
            }
            try declareTypes(of: kept, in: &graph, context: &context)
        }
        if kept.count == graph.outputs.count {
            context.skip(.loss, graph: "main", node: "graph outputs", reason: "no training-only output: all \(kept.count) outputs kept (\(original.joined(separator: ", ")))", nothingToDo: true)
        }
        graph.setOutputs(kept)
        model.graph = graph
    }

    /// The first inputs of the main graph's loss operators that are computed from a runtime input: the
    /// model's predictions, in node order.
    static func scoredPredictions(in graph: Graph) -> [ValueID] {
        var result: [ValueID] = []
        for node in graph.nodes where lossOps.contains(node.opType) {
            guard let scores = node.inputs.first ?? nil, graph.value(scores).producingNode != nil, !result.contains(scores) else { continue }
            result.append(scores)
        }
        return result
    }

    /// Gives each chosen output that has no declared type the element type the graph proves (ONNX requires
    /// types on the main graph's outputs); refuses an output whose type cannot be proven.
    private func declareTypes(of outputs: [ValueID], in graph: inout Graph, context: inout PassContext) throws(PassError) {
        for id in outputs where graph.value(id).type?.tensor == nil {
            let name = graph.value(id).name
            guard let type = graph.inferredElementType(id) else {
                throw PassError(pass: Self.name, "output '\(name)' has no declared type and freezer cannot prove its element type from the graph; ONNX requires a type on every graph output. Declare it in the model's value_info, or choose another output.")
            }
            // ONNX's checker wants a shape on a graph output: the rank the graph proves, each dimension left open.
            guard let rank = graph.inferredRank(id) else {
                throw PassError(pass: Self.name, "output '\(name)' has no declared type and freezer cannot prove its rank from the graph; ONNX requires a shape on every graph output. Declare it in the model's value_info, or choose another output.")
            }
            graph.setType(id, ValueType(tensor: TensorType(elementType: type, shape: [Dimension](repeating: .unknown, count: rank))))
            context.record(.loss, graph: "main", nodes: [name], action: "output type declared",
                           detail: "'\(name)' had no declared type; its element type \(type) and rank \(rank) follow from the operators that compute it (dimensions left open)")
        }
    }

    static let lossOps: Set<String> = ["SoftmaxCrossEntropyLoss", "NegativeLogLikelihoodLoss", "SoftmaxCrossEntropyLossInternal", "SoftmaxCrossEntropy", "SparseSoftmaxCrossEntropy"]

    /// Whether a node is a training operator: gradient, optimizer, accumulator (any training domain).
    static func isTrainingOperator(_ node: Node) -> Bool {
        if node.domain == Domain.previewTraining { return true }
        if node.domain == Domain.microsoft {
            if node.opType.hasSuffix("Grad") || node.opType.hasSuffix("Optimizer") || node.opType.hasPrefix("InPlaceAccumulator") { return true }
            return ["ZeroGradient", "InplaceClipGradNorm", "SGDOptimizerV2", "AdamWOptimizer", "LambOptimizer", "ConcatTraining", "YieldOp", "BatchNormInternal", "SoftmaxCrossEntropyLossInternal"].contains(node.opType)
        }
        return node.opType.hasSuffix("Grad") && !node.isDefaultDomain
    }

    /// Graph inputs that feed loss operators as labels/targets.
    static func labelInputs(_ model: Model) -> Set<ValueID> {
        let g = model.graph
        var labels = Set<ValueID>()
        for node in g.nodes where lossOps.contains(node.opType) {
            for input in node.inputs.dropFirst().compactMap({ $0 }) where g.value(input).producer == .graphInput && g.initializer(input) == nil {
                labels.insert(input)
            }
        }
        return labels
    }

    /// An output the passes remove because it exists only in training (MakeBatchNormInference drops the
    /// statistics, RemoveDropout the Dropout): what it is, why inference has none, and its category. Neither
    /// chosen automatically nor by --output.
    static func removedByFreezing(_ id: ValueID, in g: Graph) -> (category: FindingCategory, what: String, why: String)? {
        guard case .node(let n, let slot) = g.value(id).producer, slot > 0 else { return nil }
        let node = g.node(n)
        if node.isOnnx("BatchNormalization") || node.isOperator("BatchNormInternal", of: Domain.microsoft) {
            return (.batchNormalization, "output \(slot) of \(node.qualifiedOpType) '\(g.displayName(n))' (a running or saved statistic)",
                    "at inference BatchNormalization normalizes with the stored running mean and variance and computes no statistic.")
        }
        if node.isOnnx("Dropout") && slot == 1 {
            return (.dropout, "the mask of Dropout '\(g.displayName(n))'",
                    "at inference Dropout drops nothing, so its mask would be all true, and the frozen model has no Dropout to compute it.")
        }
        return nil
    }

    /// Why an output is training-only (with its category), or nil when it is an inference output.
    static func trainingOnly(_ id: ValueID, in g: Graph, labels: Set<ValueID>) -> (FindingCategory, String)? {
        let name = g.value(id).name
        if let removed = removedByFreezing(id, in: g) { return (removed.category, removed.what) }
        // Walk the cone of nodes that compute the output.
        var stack = [id], seen: Set<ValueID> = [id]
        var readsRuntimeInput = false
        while let v = stack.popLast() {
            let value = g.value(v)
            if value.producer == .graphInput && g.initializer(v) == nil && !labels.contains(v) { readsRuntimeInput = true }
            guard let n = value.producingNode else { continue }
            let node = g.node(n)
            if lossOps.contains(node.opType) { return (.loss, "computed from loss operator \(node.opType) '\(g.displayName(n))'") }
            if isTrainingOperator(node) { return (.gradientAndOptimizer, "computed by training operator \(node.qualifiedOpType) '\(g.displayName(n))'") }
            for input in node.inputs.compactMap({ $0 }) + node.captures where seen.insert(input).inserted { stack.append(input) }
        }
        let lower = name.lowercased()
        for (word, category) in [("loss", FindingCategory.loss), ("grad", .gradientAndOptimizer), ("regulari", .weightRegularization),
                                 ("accumul", .gradientAndOptimizer), ("running_mean", .batchNormalization), ("running_var", .batchNormalization)]
            where lower.contains(word) {
            return (category, "its name contains '\(word)'")
        }
        if !readsRuntimeInput { return (.weightRegularization, "it depends on no runtime input (only parameters or labels), as a regularization term does") }
        return nil
    }
}
