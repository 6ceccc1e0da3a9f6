import FreezerIR

extension KernelContext {
    /// The broadcast plan for binary inputs `a` (input 0) and `b` (input 1).
    ///
    /// With `legacy` (opsets 1–6 of Add, Sub, Mul, Div, Pow, And, Or, Xor, Equal, Less, Greater), the
    /// `broadcast` and `axis` attributes apply: without `broadcast=1` the shapes must be equal; with it, B is
    /// broadcast to A's shape starting at `axis`. Otherwise NumPy multidirectional broadcasting applies.
    func broadcastPlan(_ a: NDArray, _ b: NDArray, legacy: Bool) throws(EvaluationError) -> BroadcastPlan {
        if a.shape == b.shape { return BroadcastPlan(sameShape: a.shape) }
        // A node sees the same shapes run after run: its last plan is kept.
        if let plan = info.lastBroadcastPlan(a.shape, b.shape) { return plan }
        let plan = try makeBroadcastPlan(a, b, legacy: legacy)
        info.keepBroadcastPlan(plan, for: a.shape, b.shape)
        return plan
    }

    private func makeBroadcastPlan(_ a: NDArray, _ b: NDArray, legacy: Bool) throws(EvaluationError) -> BroadcastPlan {
        if legacy {
            guard int("broadcast", default: 0) == 1 else {
                throw fail("input shapes \(Broadcasting.text(a.shape)) and \(Broadcasting.text(b.shape)) differ and "
                           + "attribute 'broadcast' is not 1 (opset \(opset) broadcasts only when asked)")
            }
            let axis = int("axis").map { Int($0) }
            guard let placed = Broadcasting.legacyShape(b.shape, to: a.shape, axis: axis) else {
                throw fail("input 1 of shape \(Broadcasting.text(b.shape)) cannot be broadcast to input 0 of shape "
                           + "\(Broadcasting.text(a.shape))\(axis.map { " at axis \($0)" } ?? "") (legacy broadcasting)")
            }
            return BroadcastPlan(output: a.shape, operands: [a.shape, placed])
        }
        guard let out = Broadcasting.shape([a.shape, b.shape]) else {
            throw fail("inputs 0 and 1 cannot be broadcast together: shapes \(Broadcasting.text(a.shape)) and \(Broadcasting.text(b.shape))")
        }
        return BroadcastPlan(output: out, operands: [a.shape, b.shape])
    }

    /// Inputs 0 and 1, checked to have the same element type.
    func sameTypePair() throws(EvaluationError) -> (NDArray, NDArray) {
        let a = try input(0), b = try input(1)
        guard a.elementType == b.elementType else {
            throw fail("inputs must have the same element type, got \(a.elementType) and \(b.elementType)")
        }
        return (a, b)
    }

    /// An error for an element type the operator does not accept.
    func unsupported(_ type: ElementType, input index: Int = 0) -> EvaluationError {
        fail("input \(index) has element type \(type), which \(node.opType) does not accept")
    }
}
