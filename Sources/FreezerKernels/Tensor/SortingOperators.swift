import FreezerIR

/// TopK, ArgMax, ArgMin and CumSum: operators that scan lines of a tensor along one axis.
///
/// A tensor is seen as `outer × n × inner` around the axis; line (o, i) is the n elements at
/// `o * n * inner + j * inner + i`.
extension TensorOperators {
    static func registerSorting(_ r: inout KernelRegistry) {
        // TopK: k is an attribute until 9 and an input from 10; largest/sorted appear in 11.
        r.register("TopK", versions: 1...9) { ctx in
            guard let k = ctx.int("k") else { throw ctx.fail("attribute 'k' is required") }
            return try topK(ctx, k: k)
        }
        r.register("TopK", versions: 10...Int64.max) { ctx in
            try topK(ctx, k: try IndexInputs.scalar(ctx, 1, "K"))
        }
        r.register("ArgMax") { ctx in [try argExtreme(ctx, max: true)] }
        r.register("ArgMin") { ctx in [try argExtreme(ctx, max: false)] }
        r.register("CumSum", versions: 11...Int64.max) { ctx in [try cumSum(ctx)] }
    }

    /// Splits `shape` around `axis` into (outer, n, inner).
    static func lines(_ shape: [Int], axis: Int) -> (outer: Int, n: Int, inner: Int) {
        (TensorLayout.product(shape, 0..<axis), shape[axis], TensorLayout.product(shape, (axis + 1)..<shape.count))
    }

    /// TopK: the k largest (or smallest) along `axis` with their indices. Equal values keep the lower
    /// index first; NaN counts as larger than every number, as in onnxruntime. Results are always sorted.
    static func topK(_ ctx: KernelContext, k: Int64) throws(EvaluationError) -> [NDArray?] {
        let x = try ctx.input(0)
        guard x.rank >= 1 else { throw ctx.fail("input must have rank 1 or more, got a scalar") }
        let axis = try ctx.axis(ctx.int("axis", default: -1), rank: x.rank)
        let largest = ctx.opset < 11 || ctx.int("largest", default: 1) != 0
        let (outer, n, inner) = lines(x.shape, axis: axis)
        guard k >= 0, k <= Int64(n) else { throw ctx.fail("k = \(k) is out of range for axis \(axis) of size \(n) in input shape \(x.shape)") }
        let kk = Int(k)
        var shape = x.shape
        shape[axis] = kk
        var positions = [Int](repeating: 0, count: outer * kk * inner)
        var indices = [Int64](repeating: 0, count: positions.count)

        func select<T: Comparable>(_ v: [T], isNaN: (T) -> Bool) {
            var order = [Int](repeating: 0, count: n)
            v.withUnsafeBufferPointer { p in
                for o in 0..<outer {
                    for i in 0..<inner {
                        let base = o * n * inner + i
                        for j in 0..<n { order[j] = j }
                        // A strict total order: value (NaN largest), then index, so the result is deterministic.
                        order.sort { a, b in
                            let x = p[base + a * inner], y = p[base + b * inner]
                            let xn = isNaN(x), yn = isNaN(y)
                            if xn || yn {
                                if xn && yn { return a < b }
                                return largest ? xn : yn
                            }
                            if x == y { return a < b }
                            return largest ? x > y : x < y
                        }
                        for j in 0..<kk {
                            let out = (o * kk + j) * inner + i
                            positions[out] = base + order[j] * inner
                            indices[out] = Int64(order[j])
                        }
                    }
                }
            }
        }
        switch x.storage {
        case .float(let v): select(v, isNaN: { $0.isNaN })
        case .double(let v): select(v, isNaN: { $0.isNaN })
        case .int(let v):
            if x.elementType == .uint64 { select(v.map { UInt64(bitPattern: $0) }, isNaN: { _ in false }) }
            else { select(v, isNaN: { _ in false }) }
        default: throw ctx.fail("TopK does not accept \(x.elementType)")
        }
        return [TensorLayout.take(x, positions, shape: shape), NDArray(ints: indices, shape: shape)]
    }

    /// ArgMax/ArgMin as onnxruntime computes them: a scan that replaces the best only on a strictly
    /// better value (or an equal one with select_last_index), so a NaN wins only in first position.
    static func argExtreme(_ ctx: KernelContext, max: Bool) throws(EvaluationError) -> NDArray {
        let x = try ctx.input(0)
        let a = ctx.int("axis", default: 0)
        // Negative axes predate opset 11 in exported models (pytorch-converted test data); onnxruntime accepts them.
        guard x.rank >= 1 else { throw ctx.fail("input must have rank 1 or more, got a scalar") }
        let axis = try ctx.axis(a, rank: x.rank)
        let keepDims = ctx.int("keepdims", default: 1) != 0
        let last = ctx.opset >= 12 && ctx.int("select_last_index", default: 0) != 0
        let (outer, n, inner) = lines(x.shape, axis: axis)
        guard n > 0 else { throw ctx.fail("cannot take Arg\(max ? "Max" : "Min") over axis \(axis) of size 0 in input shape \(x.shape)") }
        var out = [Int64](repeating: 0, count: outer * inner)

        func scan<T: Comparable>(_ v: [T]) {
            v.withUnsafeBufferPointer { p in
                for o in 0..<outer {
                    for i in 0..<inner {
                        let base = o * n * inner + i
                        var best = p[base], at = 0
                        for j in 1..<Swift.max(n, 1) {
                            let y = p[base + j * inner]
                            let better = max ? (last ? y >= best : y > best) : (last ? y <= best : y < best)
                            if better { best = y; at = j }
                        }
                        out[o * inner + i] = Int64(at)
                    }
                }
            }
        }
        switch x.storage {
        case .float(let v): scan(v)
        case .double(let v): scan(v)
        case .int(let v):
            if x.elementType == .uint64 { scan(v.map { UInt64(bitPattern: $0) }) } else { scan(v) }
        default: throw ctx.fail("Arg\(max ? "Max" : "Min") does not accept \(x.elementType)")
        }
        var shape = x.shape
        if keepDims { shape[axis] = 1 } else { shape.remove(at: axis) }
        return NDArray(ints: out, shape: shape)
    }

    /// CumSum along the `axis` input, optionally exclusive and/or reversed (`cumulative`).
    static func cumSum(_ ctx: KernelContext) throws(EvaluationError) -> NDArray {
        try cumulative(ctx, identity: 0, single: +, double: +, integer: &+)
    }
}
