/// Unary and binary element-wise math, activations, comparisons, logic, casts, softmax.
///
/// Version ranges are split only where semantics changed: the legacy `broadcast`/`axis` attributes of
/// opsets 1–6, Clip's bounds becoming inputs (11), Softmax's axis convention (13).
enum ElementwiseOperators {
    static func register(_ r: inout KernelRegistry) {
        for op in [BinaryArithmetic.Op.add, .sub, .mul, .div] {
            r.register(op.rawValue, versions: 1...6, BinaryArithmetic.kernel(op, legacy: true))
            r.register(op.rawValue, versions: 7...Int64.max, BinaryArithmetic.kernel(op, legacy: false))
        }
        r.register("Pow", versions: 1...6, Pow.kernel(legacy: true))
        r.register("Pow", versions: 7...Int64.max, Pow.kernel(legacy: false))
        r.register("Mod", versions: 10...Int64.max) { ctx in try BinaryArithmetic.mod(ctx) }
        for op in [Variadic.Op.max, .min, .sum, .mean] {
            r.register(op.rawValue, Variadic.kernel(op))
        }
        UnaryMath.register(&r)
        Activations.register(&r)
        Softmax.register(&r)
        Comparison.register(&r)
        Clip.register(&r)
        Cast.register(&r)
    }
}
