/// The operator families of the reference evaluator, registered in one immutable list.
extension KernelRegistry {
    public static let standard: KernelRegistry = {
        var registry = KernelRegistry()
        // Order does not matter between families: each registers distinct operators.
        for family in operatorFamilies { family(&registry) }
        return registry
    }()

    static let operatorFamilies: [@Sendable (inout KernelRegistry) -> Void] = [
        BasicOperators.register,
        ElementwiseOperators.register,
        TensorOperators.register,
        NeuralNetworkOperators.register,
        ControlFlowOperators.register,
    ]
}

/// Identity and Constant: the operators every graph needs.
enum BasicOperators {
    static func register(_ r: inout KernelRegistry) {
        r.register("Identity") { ctx in [try ctx.input(0)] }
    }
}
