import FreezerIR

extension MoreTensorOperators {
    static func registerNormalizations(_ r: inout KernelRegistry) {
        r.register("LpNormalization", versions: 1...Int64.max) { ctx in [try lpNormalization(ctx)] }
        r.register("MeanVarianceNormalization", versions: 9...Int64.max) { ctx in [try meanVarianceNormalization(ctx)] }
    }

    /// LpNormalization (1, 22): `y = x / ‖x‖_p` along `axis` (default −1), p 1 (sum of absolute values)
    /// or 2 (default; Euclidean). A line whose norm is 0 gives 0, as ONNX's reference does.
    static func lpNormalization(_ ctx: KernelContext) throws(EvaluationError) -> NDArray {
        let x = try ctx.input(0)
        let values = try FloatingData.doubles(x, ctx, "input")
        let p = ctx.int("p", default: 2)
        guard p == 1 || p == 2 else { throw ctx.fail("attribute 'p' must be 1 or 2, got \(p)") }
        guard x.rank >= 1 else { throw ctx.fail("input must have rank 1 or more, got a scalar") }
        let axis = try ctx.axis(ctx.int("axis", default: -1), rank: x.rank)
        let (outer, n, inner) = TensorOperators.lines(x.shape, axis: axis)
        var y = values
        for o in 0..<outer {
            for i in 0..<inner {
                let base = o * n * inner + i
                var s = 0.0
                for k in 0..<n { let v = values[base + k * inner]; s += p == 1 ? abs(v) : v * v }
                let norm = p == 1 ? s : s.squareRoot()
                for k in 0..<n { y[base + k * inner] = norm == 0 ? 0 : values[base + k * inner] / norm }
            }
        }
        return FloatingData.array(y, shape: x.shape, type: x.elementType)
    }

    /// MeanVarianceNormalization (9, 13): `y = (x − E[x]) / (√(E[(x − E[x])²]) + 1e-9)`, the means over
    /// `axes` (default [0, 2, 3]). The variance is computed from centred values (ONNX's function body
    /// writes it `E[x²] − E[x]²`, equal in exact arithmetic).
    static func meanVarianceNormalization(_ ctx: KernelContext) throws(EvaluationError) -> NDArray {
        let x = try ctx.input(0)
        let values = try FloatingData.doubles(x, ctx, "X")
        let axes = try IndexInputs.axes(ctx.ints("axes") ?? [0, 2, 3], rank: x.rank, ctx)
        let strides = x.strides
        var keptShape = x.shape, reducedShape = x.shape
        for d in 0..<x.rank { if axes.contains(d) { keptShape[d] = 1 } else { reducedShape[d] = 1 } }
        let bases = TensorLayout.positions(shape: keptShape, offsets: (0..<x.rank).map { TensorLayout.linear(keptShape[$0], stride: strides[$0]) })
        let rel = TensorLayout.positions(shape: reducedShape, offsets: (0..<x.rank).map { TensorLayout.linear(reducedShape[$0], stride: strides[$0]) })
        var y = values
        let count = Double(rel.count)
        for b in bases {
            var mean = 0.0
            for r in rel { mean += values[b + r] }
            mean /= count
            var variance = 0.0
            for r in rel { let d = values[b + r] - mean; variance += d * d }
            let scale = variance.squareRoot() / count.squareRoot() + 1e-9
            for r in rel { y[b + r] = (values[b + r] - mean) / scale }
        }
        return FloatingData.array(y, shape: x.shape, type: x.elementType)
    }
}
