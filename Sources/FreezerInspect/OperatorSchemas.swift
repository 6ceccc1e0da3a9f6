import FreezerIR

/// The schema versions of the operators whose meaning changed across opsets.
enum OperatorSchemas {
    static let batchNormVersions: [Int64] = [1, 6, 7, 9, 14, 15]

    /// The schema version in effect at `opset`: the newest of `versions` not after it.
    /// With no opset known, nil, and callers fall back to what the node's attributes say.
    static func sinceVersion(_ versions: [Int64], opset: Int64?) -> Int64? {
        guard let opset else { return nil }
        return versions.last { $0 <= opset }
    }
}

/// How training-only operators are recognized, by domain and name.
enum TrainingOperators {
    static let previewTrainingDomain = Domain.previewTraining
    static let microsoftDomain = Domain.microsoft

    /// The optimizers of `ai.onnx.preview.training`, whose first two inputs are R and T.
    static let previewOptimizers: Set<String> = ["Adam", "Momentum", "Adagrad"]

    static let microsoftOptimizers: Set<String> = [
        "AdamOptimizer", "AdamWOptimizer", "SGDOptimizer", "SGDOptimizerV2", "LambOptimizer",
    ]
    static let microsoftAccumulators: Set<String> = ["InPlaceAccumulator", "InPlaceAccumulatorV2", "ZeroGradient"]
    /// onnxruntime-training operators with a training form but no `Grad` suffix.
    static let microsoftTrainingOnly: Set<String> = ["ConcatTraining", "SoftmaxCrossEntropyLossInternalGrad", "YieldOp", "PassThrough"]

    /// A `com.microsoft` backward operator: `*Grad`, `*Grad_dX` and the like.
    static func isMicrosoftGradient(_ node: Node) -> Bool {
        node.domain == microsoftDomain && (node.opType.hasSuffix("Grad") || node.opType.contains("Grad_"))
            && node.opType != "InplaceClipGradNorm"
    }

    /// Nodes whose outputs are gradients: `Gradient` and the `com.microsoft` backward operators.
    static func producesGradients(_ node: Node) -> Bool {
        (node.domain == previewTrainingDomain && node.opType == "Gradient") || isMicrosoftGradient(node)
    }

    /// The Adam/Momentum/Adagrad optimizers of the preview training domain.
    static func isPreviewOptimizer(_ node: Node) -> Bool {
        node.domain == previewTrainingDomain && previewOptimizers.contains(node.opType)
    }
}
