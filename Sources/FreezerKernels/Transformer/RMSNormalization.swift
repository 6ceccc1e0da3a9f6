import FreezerIR

extension TransformerOperators {
    /// RMSNormalization (23): `Y = X / sqrt(mean(X²) + epsilon) · scale`, the mean over axes
    /// `axis…rank−1`; scale broadcasts unidirectionally to X and Y has scale's type. The first stage is
    /// computed in Double (at least the stash_type's precision; a float16/bfloat16 stash_type rounds its
    /// statistics under `Precision.own`), the normalized values are rounded to X's type before scaling.
    static func rmsNormalization(_ ctx: KernelContext) throws(EvaluationError) -> [NDArray?] {
        let x = try ctx.input(0), scale = try ctx.input(1)
        let xv = try doubles(x, ctx, "X"), sv = try doubles(scale, ctx, "scale")
        guard x.rank >= 1 else { throw ctx.fail("X must have rank ≥ 1") }
        let axis = try ctx.axis(ctx.int("axis", default: -1), rank: x.rank)
        let epsilon = Double(ctx.float("epsilon", default: 1e-5))
        let stashCode = ctx.int("stash_type", default: 1)
        guard let stashType = floatType(code: stashCode) else { throw ctx.fail("attribute 'stash_type' = \(stashCode) is not a floating-point type") }
        let stash = Rounding(stashType, ctx.precision), toX = Rounding(x.elementType, ctx.precision)
        let inner = x.shape[axis...].reduce(1, *), outer = x.shape[..<axis].reduce(1, *)
        let innerShape = Array(x.shape[axis...])
        // Scale as an inner-sized vector when it only varies along the normalized axes, else at X's shape.
        var scaleShape = scale.shape
        while scaleShape.count > innerShape.count && scaleShape.first == 1 { scaleShape.removeFirst() }
        let scaleValues: [Double], scaleFull: Bool
        if let s = NeuralNetworkOperators.broadcast(sv, from: scaleShape, to: innerShape) {
            (scaleValues, scaleFull) = (s, false)
        } else if let s = NeuralNetworkOperators.broadcast(sv, from: scale.shape, to: x.shape) {
            (scaleValues, scaleFull) = (s, true)
        } else {
            throw ctx.fail("scale \(text(scale.shape)) does not broadcast to X \(text(x.shape))")
        }
        var y = [Double](repeating: 0, count: xv.count)
        for r in 0..<outer {
            let base = r * inner
            var sum = 0.0
            for i in base..<(base + inner) { sum += stash(xv[i] * xv[i]) }
            let rms = stash(stash(stash(sum / Double(inner)) + epsilon).squareRoot())
            let inverse = stash(1 / rms)
            for i in 0..<inner {
                let normalized = toX(stash(xv[base + i] * inverse))
                y[base + i] = normalized * scaleValues[scaleFull ? base + i : i]
            }
        }
        return [array(y, type: scale.elementType, shape: x.shape)]
    }
}
