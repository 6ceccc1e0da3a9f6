import FreezerIR

extension MoreMath {
    static func registerCumProd(_ r: inout KernelRegistry) {
        r.register("CumProd", versions: 26...Int64.max) { ctx in [try cumProd(ctx)] }
    }

    /// CumProd (26): running products along the scalar `axis` input. `exclusive` makes element j the
    /// product of the elements before it (the first is 1); `reverse` runs from the end. Products are
    /// taken in the element type in scan order (integers wrap).
    static func cumProd(_ ctx: KernelContext) throws(EvaluationError) -> NDArray {
        let x = try ctx.input(0)
        guard x.rank >= 1 else { throw ctx.fail("input must have rank 1 or more, got a scalar") }
        let axisInput = try ctx.input(1)
        guard axisInput.rank <= 1 else { throw ctx.fail("input 'axis' must be a scalar, got shape \(axisInput.shape)") }
        let axis = try ctx.axis(try IndexInputs.scalar(ctx, 1, "axis"), rank: x.rank)
        let exclusive = ctx.int("exclusive", default: 0) != 0
        let reverse = ctx.int("reverse", default: 0) != 0
        let (outer, n, inner) = TensorOperators.lines(x.shape, axis: axis)

        func scan<T>(_ v: [T], one: T, _ mul: (T, T) -> T) -> [T] {
            var out = [T](repeating: one, count: v.count)
            for o in 0..<outer {
                for i in 0..<inner {
                    let base = o * n * inner + i
                    var acc = one
                    for step in 0..<n {
                        let p = base + (reverse ? n - 1 - step : step) * inner
                        if exclusive { out[p] = acc; acc = mul(acc, v[p]) } else { acc = mul(acc, v[p]); out[p] = acc }
                    }
                }
            }
            return out
        }
        var result = x
        switch x.storage {
        case .float(let v): result.storage = .float(scan(v, one: 1, *))
        case .double(let v): result.storage = .double(scan(v, one: 1, *))
        case .int(let v):
            let type = x.elementType
            result.storage = .int(scan(v, one: 1) { IntegerWrap.wrap($0 &* $1, type) })
        default: throw ctx.fail("CumProd does not accept \(x.elementType)")
        }
        return result
    }
}
