extension TensorOperators {
    /// CumSum (11) and CumProd (26): the running sum or product along the scalar `axis` input, in the
    /// element type and in scan order (integers wrap, as onnxruntime computes). `exclusive` makes element j
    /// combine only the elements before it (the first is the identity); `reverse` runs from the end.
    static func cumulative(_ ctx: KernelContext, identity: Double, single: (Float, Float) -> Float, double: (Double, Double) -> Double,
                           integer: (Int64, Int64) -> Int64) throws(EvaluationError) -> NDArray {
        let x = try ctx.input(0)
        guard x.rank >= 1 else { throw ctx.fail("input must have rank 1 or more, got a scalar") }
        let axisInput = try ctx.input(1)
        guard axisInput.rank <= 1 else { throw ctx.fail("input 'axis' must be a scalar, got shape \(axisInput.shape)") }
        let axis = try ctx.axis(try IndexInputs.scalar(ctx, 1, "axis"), rank: x.rank)
        let exclusive = ctx.int("exclusive", default: 0) != 0
        let reverse = ctx.int("reverse", default: 0) != 0
        let (outer, n, inner) = lines(x.shape, axis: axis)
        func scan<T>(_ v: [T], _ start: T, _ combine: (T, T) -> T) -> [T] {
            var out = [T](repeating: start, count: v.count)
            for o in 0..<outer {
                for i in 0..<inner {
                    let base = o * n * inner + i
                    var acc = start
                    for step in 0..<n {
                        let p = base + (reverse ? n - 1 - step : step) * inner
                        if exclusive { out[p] = acc; acc = combine(acc, v[p]) } else { acc = combine(acc, v[p]); out[p] = acc }
                    }
                }
            }
            return out
        }
        var result = x
        switch x.storage {
        case .float(let v): result.storage = .float(scan(v, Float(identity), single))
        case .double(let v): result.storage = .double(scan(v, identity, double))
        case .int(let v):
            let type = x.elementType
            result.storage = .int(scan(v, Int64(identity)) { IntegerWrap.wrap(integer($0, $1), type) })
        default: throw ctx.fail("\(ctx.node.opType) does not accept \(x.elementType)")
        }
        return result
    }
}
