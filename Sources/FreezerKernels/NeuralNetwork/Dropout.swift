import FreezerIR

extension NeuralNetworkOperators {
    /// Dropout, every opset (1, 6, 7, 10, 12, 13, 22): the identity with an all-true mask.
    ///
    /// Training mode follows `DropoutSemantics`: `is_test == 0` (the default) up to opset 6, never for
    /// opsets 7–11, and the `training_mode` input's value at run time from opset 12. A training-mode
    /// Dropout with a non-zero ratio draws random numbers, which a reference evaluator must not do: it is
    /// refused unless the interpreter evaluates with inference semantics (then it is the identity, as at
    /// inference). The mask is of X's type
    /// before opset 10 and bool from opset 10.
    static func dropout(_ ctx: KernelContext) throws(EvaluationError) -> [NDArray?] {
        let x = try ctx.input(0)
        let training: Bool
        let ratio: Double
        let trainingSwitch = DropoutSemantics.trainingSwitch(opset: ctx.opset)
        switch DropoutSemantics.trainingMode(of: ctx.node, switch: trainingSwitch, flag: { _ in .runtimeInput }) {
        case .training: training = true
        case .inference: training = false
        case .runtimeInput, .unknown:
            guard let t = ctx.optionalInput(2) else { training = false; break }
            guard case .bool(let v) = t.storage, v.count == 1 else {
                throw ctx.fail("input training_mode must be one bool but is \(t.elementType)\(text(t.shape))")
            }
            training = v[0]
        }
        if case .trainingModeInput = trainingSwitch {
            if let r = ctx.optionalInput(1) {
                guard r.count == 1, r.kind == .float || r.kind == .double else {
                    throw ctx.fail("input ratio must be one floating-point value but is \(r.elementType)\(text(r.shape))")
                }
                ratio = r.asDoubles[0]
            } else {
                ratio = 0.5
            }
        } else {
            ratio = Double(ctx.float("ratio", default: 0.5))
        }
        if training && !ctx.inferenceSemantics && ratio != 0 {
            throw ctx.unsupportedFeature("random training-mode Dropout (ratio \(ratio); evaluate with inference semantics instead)")
        }
        guard ctx.outputCount > 1 && ctx.outputIsNeeded(1) else { return [x] }
        let maskType: ElementType = ctx.opset < 10 ? x.elementType : .bool
        return [x, NDArray.filled(1, shape: x.shape, type: maskType)]
    }
}
