import FreezerIR

extension MoreMath {
    static func registerHardmax(_ r: inout KernelRegistry) {
        r.register("Hardmax", versions: 1...12) { ctx in [try hardmax(ctx, coerced: true)] }
        r.register("Hardmax", versions: 13...Int64.max) { ctx in [try hardmax(ctx, coerced: false)] }
    }

    /// Hardmax: 1 at the first maximum of each line, 0 elsewhere. Opsets 1–12 view the input as 2-D at
    /// `axis` (default 1) and take rows of `a[axis] · … · a[n−1]` elements, as Softmax-1 does; opset 13
    /// takes lines along the single axis `axis` (default −1). A NaN counts as a maximum (as numpy's argmax).
    static func hardmax(_ ctx: KernelContext, coerced: Bool) throws(EvaluationError) -> NDArray {
        let x = try ctx.input(0)
        let values = try FloatingData.doubles(x, ctx, "input")
        let rank = x.rank
        let a = ctx.int("axis", default: coerced ? 1 : -1)
        let outer: Int, length: Int, inner: Int
        if coerced {
            let axis = a == Int64(rank) ? rank : try ctx.axis(a, rank: rank)
            outer = TensorLayout.product(x.shape, 0..<axis)
            length = TensorLayout.product(x.shape, axis..<rank)
            inner = 1
        } else {
            guard rank >= 1 else { throw ctx.fail("input must have rank 1 or more, got a scalar") }
            (outer, length, inner) = TensorOperators.lines(x.shape, axis: try ctx.axis(a, rank: rank))
        }
        var out = [Double](repeating: 0, count: values.count)
        guard length > 0 else { return FloatingData.array(out, shape: x.shape, type: x.elementType) }
        for o in 0..<outer {
            for i in 0..<inner {
                let base = o * length * inner + i
                var best = 0
                for k in 1..<max(length, 1) {
                    let v = values[base + k * inner], m = values[base + best * inner]
                    if !m.isNaN && (v > m || v.isNaN) { best = k }
                }
                out[base + best * inner] = 1
            }
        }
        return FloatingData.array(out, shape: x.shape, type: x.elementType)
    }
}
