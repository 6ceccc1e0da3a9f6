/// The operator families of the reference evaluator, registered in one immutable list.
extension KernelRegistry {
    public static let standard: KernelRegistry = {
        var registry = KernelRegistry()
        // Order does not matter between families: each registers distinct operators.
        for family in operatorFamilies { family(&registry) }
        return registry
    }()

    static let operatorFamilies: [@Sendable (inout KernelRegistry) -> Void] = [
        ElementwiseOperators.register,
        TensorOperators.register,
        NeuralNetworkOperators.register,
        ControlFlowOperators.register,
        RecurrentOperators.register,
        TransformerOperators.register,
        QuantizationOperators.register,
        SupplementaryOperators.register,
        SequenceOperators.register,
        MachineLearningOperators.register,
        VisionSignalOperators.register,
    ]
}
