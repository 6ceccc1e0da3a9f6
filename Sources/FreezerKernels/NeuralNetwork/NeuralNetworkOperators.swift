/// Convolution, matrix products (on BLAS), normalization, pooling and Dropout.
///
/// Kernels are registered per opset range only where the semantics changed; kernels that read
/// version-dependent attributes (BatchNormalization, Dropout, Gemm, GroupNormalization) look at
/// `ctx.opset` themselves, so one registration covers every version.
enum NeuralNetworkOperators {
    static func register(_ r: inout KernelRegistry) {
        r.register("MatMul", versions: 1...Int64.max, matMul)
        r.register("Gemm", versions: 1...Int64.max, gemmOperator)
        r.register("Conv", versions: 1...Int64.max, conv)
        r.register("ConvTranspose", versions: 1...Int64.max, convTranspose)

        r.register("BatchNormalization", versions: 1...Int64.max, batchNormalization)
        r.register("BatchNormInternal", domain: "com.microsoft", versions: 1...Int64.max, batchNormInternal)
        r.register("Dropout", versions: 1...Int64.max, dropout)
        r.register("InstanceNormalization", versions: 1...Int64.max, instanceNormalization)
        r.register("LayerNormalization", versions: 17...Int64.max, layerNormalization)
        r.register("GroupNormalization", versions: 18...Int64.max, groupNormalization)
        r.register("LRN", versions: 1...Int64.max, localResponseNormalization)

        r.register("MaxPool", versions: 1...Int64.max, maxPool)
        r.register("AveragePool", versions: 1...Int64.max, averagePool)
        r.register("GlobalAveragePool", versions: 1...Int64.max) { ctx in try globalPool(ctx, max: false) }
        r.register("GlobalMaxPool", versions: 1...Int64.max) { ctx in try globalPool(ctx, max: true) }
    }
}
