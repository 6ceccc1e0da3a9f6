import Foundation
import FreezerIR

extension TransformerOperators {
    /// CausalConvWithState (27): depthwise causal 1D convolution carrying its left context.
    ///
    /// With `P = concat(past_state (default zeros), input)` along the length (`k − 1 + L` positions) and
    /// weight `(C, 1, k)`: `out[b,c,t] = bias[c] + Σ_m weight[c,0,m] · P[b,c,t+m]`, then with activation
    /// "silu"/"swish" `out · sigmoid(out)`; present_state is the last `k − 1` positions of P.
    static func causalConvWithState(_ ctx: KernelContext) throws(EvaluationError) -> [NDArray?] {
        let x = try ctx.input(0), w = try ctx.input(1)
        let bias = ctx.optionalInput(2), past = ctx.optionalInput(3)
        guard x.rank == 3, w.rank == 3, w.shape[0] == x.shape[1], w.shape[1] == 1, w.shape[2] >= 1 else {
            throw ctx.fail("input must be (B, C, L) and weight (C, 1, k), not \(text(x.shape)) and \(text(w.shape))")
        }
        let (batch, channels, length, k) = (x.shape[0], x.shape[1], x.shape[2], w.shape[2])
        let silu: Bool
        switch ctx.string("activation", default: "none") {
        case "none": silu = false
        case "silu", "swish": silu = true
        case let a: throw ctx.fail("attribute 'activation' = '\(a)' is not 'none', 'silu' or 'swish'")
        }
        let xv = try doubles(x, ctx, "input"), wv = try doubles(w, ctx, "weight")
        var bv = [Double](repeating: 0, count: channels)
        if let bias {
            guard bias.shape == [channels] else { throw ctx.fail("bias must be (\(channels)), not \(text(bias.shape))") }
            bv = try doubles(bias, ctx, "bias")
        }
        let context = k - 1, padded = context + length
        var pv = [Double](repeating: 0, count: batch * channels * context)
        if let past {
            guard past.shape == [batch, channels, context] else {
                throw ctx.fail("past_state must be (\(batch), \(channels), \(context)), not \(text(past.shape))")
            }
            pv = try doubles(past, ctx, "past_state")
        }
        let round = Rounding(x.elementType, ctx.precision)
        var y = [Double](repeating: 0, count: xv.count)
        var state = [Double](repeating: 0, count: batch * channels * context)
        for b in 0..<batch {
            for c in 0..<channels {
                let row = b * channels + c
                // The padded sequence of this channel: its context, then its input.
                let sequence = Array(pv[(row * context)..<((row + 1) * context)]) + xv[(row * length)..<((row + 1) * length)]
                for t in 0..<length {
                    var sum = 0.0
                    for m in 0..<k { sum += wv[c * k + m] * sequence[t + m] }
                    let out = round(sum + bv[c])
                    y[row * length + t] = silu ? out / (1 + Foundation.exp(-out)) : out
                }
                for m in 0..<context { state[row * context + m] = sequence[padded - context + m] }
            }
        }
        return [array(y, type: x.elementType, shape: x.shape),
                array(state, type: x.elementType, shape: [batch, channels, context])]
    }
}
