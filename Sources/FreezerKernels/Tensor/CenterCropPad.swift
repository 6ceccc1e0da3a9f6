import FreezerIR

extension MoreTensorOperators {
    static func registerCenterCropPad(_ r: inout KernelRegistry) {
        r.register("CenterCropPad", versions: 18...Int64.max) { ctx in [try centerCropPad(ctx)] }
    }

    /// CenterCropPad (18): brings each axis in `axes` (default all) to the size given by the `shape`
    /// input, centred: a longer axis is cropped, a shorter one padded with zeros. When the difference
    /// d is odd, the extra element is cropped from (or padded at) the end: ⌊d/2⌋ before, ⌈d/2⌉ after.
    static func centerCropPad(_ ctx: KernelContext) throws(EvaluationError) -> NDArray {
        let x = try ctx.input(0)
        let sizes = try IndexInputs.list(ctx, 1, "shape")
        let axes = try IndexInputs.axes(ctx.ints("axes") ?? (0..<Int64(x.rank)).map { $0 }, rank: x.rank, ctx)
        guard sizes.count == axes.count else {
            throw ctx.fail("input 'shape' has \(sizes.count) values for \(axes.count) axes")
        }
        var shape = x.shape
        // Output coordinate c of an axis reads input coordinate c + shift (outside the input: zero).
        var shift = [Int](repeating: 0, count: x.rank)
        for (k, a) in axes.enumerated() {
            let target = try IndexInputs.dimension(sizes[k], ctx, "target size")
            let dim = x.shape[a]
            shift[a] = target <= dim ? (dim - target) / 2 : -((target - dim) / 2)
            shape[a] = target
        }
        _ = try IndexInputs.count(shape, ctx, "output")
        let strides = x.strides
        let offsets = (0..<x.rank).map { d in
            (0..<shape[d]).map { c in
                let i = c + shift[d]
                return i >= 0 && i < x.shape[d] ? i * strides[d] : TensorLayout.outside
            }
        }
        return TensorLayout.take(x, TensorLayout.positions(shape: shape, offsets: offsets), shape: shape)
    }
}
