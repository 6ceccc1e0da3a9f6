import FreezerIR

extension MoreMath {
    static func registerDet(_ r: inout KernelRegistry) {
        r.register("Det", versions: 11...Int64.max) { ctx in [try det(ctx)] }
    }

    /// Det (11, 22): the determinant of each M×M matrix of the last two axes, shape `[*]`. LU
    /// decomposition with partial pivoting in Double, rounded once.
    static func det(_ ctx: KernelContext) throws(EvaluationError) -> NDArray {
        let x = try ctx.input(0)
        let values = try FloatingData.doubles(x, ctx, "X")
        guard x.rank >= 2, x.shape[x.rank - 1] == x.shape[x.rank - 2] else {
            throw ctx.fail("input must be [*, M, M], got shape \(x.shape)")
        }
        let m = x.shape[x.rank - 1]
        let batch = TensorLayout.product(x.shape, 0..<(x.rank - 2))
        var out = [Double](repeating: 1, count: batch)
        for b in 0..<batch {
            var a = Array(values[(b * m * m)..<((b + 1) * m * m)])
            var d = 1.0
            for c in 0..<m {
                var pivot = c
                for r in (c + 1)..<max(m, c + 1) where abs(a[r * m + c]) > abs(a[pivot * m + c]) { pivot = r }
                if a[pivot * m + c] == 0 { d = 0; break }
                if pivot != c {
                    for k in 0..<m { a.swapAt(c * m + k, pivot * m + k) }
                    d = -d
                }
                let p = a[c * m + c]
                d *= p
                for r in (c + 1)..<max(m, c + 1) {
                    let f = a[r * m + c] / p
                    if f == 0 { continue }
                    for k in c..<m { a[r * m + k] -= f * a[c * m + k] }
                }
            }
            out[b] = d
        }
        return FloatingData.array(out, shape: Array(x.shape.dropLast(2)), type: x.elementType)
    }
}
