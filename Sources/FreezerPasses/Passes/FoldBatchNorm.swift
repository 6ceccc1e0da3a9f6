import FreezerIR
import FreezerInspect

/// Folds inference-form BatchNormalization into the linear operator that feeds it.
///
/// Whether and how a BatchNormalization folds is decided by `BatchNormFoldability`, the same matcher
/// `inspect` reports with, so the log's inspection and elimination sections cannot disagree.
public struct FoldBatchNorm: Pass {
    public static let name = "FoldBatchNorm"
    public static let documentation = PassDocumentation(
        id: "PASS-FOLD-BN",
        summary: "Fold BatchNormalization into a preceding Conv, ConvTranspose, Gemm or MatMul(+Add).",
        before: "X → Conv(W, b) → Z → BatchNormalization(scale, B, mean, var, ε) → Y  (likewise ConvTranspose, Gemm, MatMul, MatMul+Add)",
        after: "X → Conv(W', b') → Y  (MatMul without Add: X → MatMul(W') → Add(b') → Y)",
        conditions: [
            "The BatchNormalization is in inference form, per channel (spatial = 1), and scale, B, mean, var are constants.",
            "Its input is produced by Conv, ConvTranspose, Gemm, or a 2-D MatMul (optionally followed by Add of a constant bias on either side), whose output nothing else reads.",
            "The linear operator's weights (and bias) are float32, float16, bfloat16 or float64 constants. A weight read by another node too is cloned, never changed in place.",
            "Constants may be initializers, Constant nodes, Identity copies of either, or constants of an enclosing graph (a BatchNormalization in an If branch or Loop body reading the outer graph's parameters). Folded tensors then become new initializers of the branch itself: the outer tensors stay as they are for their other readers.",
            "The channel count of the statistics equals the operator's output channels (Conv: W dim 0; ConvTranspose: W dim 1 × group; Gemm/MatMul: output features).",
            "A quantized Conv weight, DequantizeLinear(integers, scale, zero point) with constants and one scale per output channel (axis 0), folds into the scales when every factor a_c is positive: the integers and zero points stay exactly as quantization chose them. Any other dequantized weight (one scale for the tensor, blocks, a factor ≤ 0, a MatMul or Gemm weight) keeps the BatchNormalization in inference form, with the reason.",
        ],
        formula: "a_c = scale_c / √(var_c + ε);  W'[c,…] = a_c · W[c,…] (quantized Conv: scale'_c = a_c · scale_c);  b'_c = a_c · (b_c − mean_c) + B_c. Gemm: C' = a · (β·C − mean) + B with β' = 1. Computed in Double from the stored values, rounded once to the weight's type, chunk by chunk.",
        limits: [
            PassLimit("A BatchNormalization that cannot be folded: no Conv, ConvTranspose, Gemm or 2-D MatMul(+Add) producer, a producer whose output is read elsewhere, parameters or weights that are not constants, per-activation statistics (spatial = 0), mismatched channels, weights of another type than float32, float16, bfloat16 or float64, a factor or shift that is infinite or NaN (var + ε = 0)", exitCode: nil),
            PassLimit("A BatchNormalization after a dequantized weight other than a per-output-channel quantized Conv weight with positive factors", exitCode: nil),
        ])

    public init() {}

    public func run(on model: inout Model, context: inout PassContext) throws(PassError) {
        let opsets = model.opsetImports
        try model.rewriteGraphsInScope { (graph, place) throws(PassError) in
            for node in graph.nodes where node.isOnnx("BatchNormalization") {
                guard graph.contains(node.id) else { continue }
                switch BatchNormFoldability.match(node.id, in: graph, enclosing: place.enclosing, opsetImports: opsets) {
                case .failure(let reason):
                    context.skip(.batchNormalization, graph: place.path, node: graph.displayName(node.id), reason: reason.description)
                case .success(let plan):
                    let names = [graph.displayName(node.id), graph.displayName(plan.linear)]
                        + (plan.target == .matMulAdd ? plan.biasNode.map { [graph.displayName($0)] } ?? [] : [])
                    let detail = "\(plan.channels) channels, ε = \(plan.epsilon); \(Self.detail(plan, in: graph))"
                    var applier = BatchNormFoldApplier(plan: plan, enclosing: place.enclosing, store: context.tensorStore)
                    do throws(FoldError) { try applier.apply(to: &graph) } catch {
                        var storageFailure: TensorStoreError?
                        if case .store(let failure) = error { storageFailure = failure }
                        throw PassError(pass: Self.name, "folding '\(names[0])' failed: \(error)", storageFailure: storageFailure)
                    }
                    context.record(.batchNormalization, graph: place.path, nodes: names,
                                   action: "folded into \(plan.target.name) '\(names[1])'", detail: detail, evidence: applier.evidence)
                }
            }
        }
    }

    /// The target-specific part of the log's detail.
    private static func detail(_ plan: BatchNormFoldPlan, in g: Graph) -> String {
        let dims = plan.weight.tensor.dims
        switch plan.target {
        case .conv where plan.weightScaleOf != nil:
            return "quantized weight: the per-channel scales \(dims) of '\(plan.weightScaleOf.map(g.displayName) ?? "")' absorb the factor; its integers and zero points are unchanged"
        case .conv: return "weight \(dims)"
        case .convTranspose(let group): return "weight \(dims), group \(group) (output channels on weight axis 1)"
        case .gemm(let transB, let alpha, let beta): return "transB \(transB ? 1 : 0), alpha \(alpha), beta \(beta)"
        case .matMul: return "bias added as a new Add"
        case .matMulAdd: return "bias added by '\(plan.biasNode.map(g.displayName) ?? "")'"
        }
    }
}
