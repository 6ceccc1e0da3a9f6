import FreezerIR

extension MoreMath {
    static func registerCumProd(_ r: inout KernelRegistry) {
        r.register("CumProd", versions: 26...Int64.max) { ctx in [try cumProd(ctx)] }
    }

    /// CumProd (26): running products along the scalar `axis` input (`TensorOperators.cumulative`).
    static func cumProd(_ ctx: KernelContext) throws(EvaluationError) -> NDArray {
        try TensorOperators.cumulative(ctx, identity: 1, single: *, double: *, integer: &*)
    }
}
