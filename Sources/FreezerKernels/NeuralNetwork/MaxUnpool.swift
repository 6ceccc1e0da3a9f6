import FreezerIR

extension MoreTensorOperators {
    static func registerMaxUnpool(_ r: inout KernelRegistry) {
        r.register("MaxUnpool", versions: 9...Int64.max) { ctx in [try maxUnpool(ctx)] }
    }

    /// MaxUnpool (9, 11, 22): the partial inverse of MaxPool. The output, of shape N×C×D… with
    /// `D = (in − 1)·stride + kernel − pad_begin − pad_end` per spatial axis, is zero except at the flat
    /// positions `I` (as MaxPool's Indices give them), which receive the elements of X. With the
    /// `output_shape` input the result is that shape: the unpooled tensor occupies its leading corner
    /// and the rest is zero, as ONNX's reference does.
    static func maxUnpool(_ ctx: KernelContext) throws(EvaluationError) -> NDArray {
        let x = try ctx.input(0), indices = try ctx.input(1)
        guard x.rank >= 3 else { throw ctx.fail("X must be N×C×D1… (rank ≥ 3), got shape \(x.shape)") }
        let idx = try IndexInputs.values(indices, ctx, "I")
        guard indices.shape == x.shape else { throw ctx.fail("input I has shape \(indices.shape), X has \(x.shape)") }
        let nd = x.rank - 2
        guard let kernelAttribute = ctx.ints("kernel_shape") else { throw ctx.fail("attribute 'kernel_shape' is required") }
        let kernel = try NeuralNetworkOperators.intsAttribute(ctx, "kernel_shape", count: nd, default: kernelAttribute.map { Int($0) }, minimum: 1)
        let strides = try NeuralNetworkOperators.intsAttribute(ctx, "strides", count: nd, default: [Int](repeating: 1, count: nd), minimum: 1)
        let pads = try NeuralNetworkOperators.intsAttribute(ctx, "pads", count: 2 * nd, default: [Int](repeating: 0, count: 2 * nd), minimum: 0)
        var inferred = Array(x.shape[0..<2])
        for d in 0..<nd {
            let size = (x.shape[d + 2] - 1) * strides[d] + kernel[d] - pads[d] - pads[nd + d]
            guard size >= 0 else { throw ctx.fail("the unpooled size of spatial axis \(d) is negative (\(size))") }
            inferred.append(size)
        }
        let count = try IndexInputs.count(inferred, ctx, "output")
        var positions = [Int](repeating: TensorLayout.outside, count: count)
        for (k, i) in idx.enumerated() {
            guard i >= 0, i < Int64(count) else { throw ctx.fail("index \(i) in I is outside the unpooled tensor of shape \(inferred)") }
            positions[Int(i)] = k
        }
        let y = TensorLayout.take(x, positions, shape: inferred)
        guard ctx.optionalInput(2) != nil else { return y }
        let requested = try IndexInputs.list(ctx, 2, "output_shape")
        guard requested.count == x.rank else { throw ctx.fail("input 'output_shape' has \(requested.count) values for rank \(x.rank)") }
        var shape: [Int] = []
        for (d, v) in requested.enumerated() {
            let s = try IndexInputs.dimension(v, ctx, "output_shape value")
            guard s >= inferred[d] else { throw ctx.fail("output_shape \(requested) is smaller than the unpooled shape \(inferred)") }
            shape.append(s)
        }
        _ = try IndexInputs.count(shape, ctx, "output")
        let inner = y.strides
        let offsets = (0..<x.rank).map { d in (0..<shape[d]).map { c in c < inferred[d] ? c * inner[d] : TensorLayout.outside } }
        return TensorLayout.take(y, TensorLayout.positions(shape: shape, offsets: offsets), shape: shape)
    }
}
