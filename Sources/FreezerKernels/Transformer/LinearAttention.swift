import Foundation
import FreezerIR

extension TransformerOperators {
    /// LinearAttention (27): the recurrent linear-attention update, token by token, per KV head.
    ///
    /// With `S` the `(d_k, d_v)` state of a KV head (past_state, default zeros), for each token t:
    /// - "linear":      `S = S + k ⊗ v`
    /// - "gated":       `S = exp(g)·S + k ⊗ v`
    /// - "delta":       `S = S + β·k ⊗ (v − Sᵀk)`
    /// - "gated_delta": `S = exp(g)·S + β·k ⊗ (v − exp(g)·Sᵀk)` (the default)
    /// and `o = scale · qᵀS` for each query head sharing the KV head (`h / (q_num_heads / kv_num_heads)`).
    /// g (decay) is `(B, T, H_kv·d_k)` per key dimension or `(B, T, H_kv)` per head; β (beta)
    /// `(B, T, H_kv)` or `(B, T, 1)`. scale 0 (default) means `1/√d_k`. Computed in Double (the
    /// reference accumulates in float32); output in query's type, present_state in past_state's.
    static func linearAttention(_ ctx: KernelContext) throws(EvaluationError) -> [NDArray?] {
        let qa = try ctx.input(0), ka = try ctx.input(1), va = try ctx.input(2)
        let pastA = ctx.optionalInput(3), decayA = ctx.optionalInput(4), betaA = ctx.optionalInput(5)
        let rule = ctx.string("update_rule", default: "gated_delta")
        guard ["linear", "gated", "delta", "gated_delta"].contains(rule) else {
            throw ctx.fail("attribute 'update_rule' = '\(rule)' is not linear, gated, delta or gated_delta")
        }
        let gating = rule == "gated" || rule == "gated_delta", delta = rule == "delta" || rule == "gated_delta"
        guard let qh = ctx.int("q_num_heads"), let kh = ctx.int("kv_num_heads"), qh > 0, kh > 0, qh % kh == 0 else {
            throw ctx.fail("q_num_heads and kv_num_heads are required, positive, and q_num_heads a multiple of kv_num_heads")
        }
        let qHeads = Int(qh), kvHeads = Int(kh), group = qHeads / kvHeads
        guard gating == (decayA != nil) else { throw ctx.fail("update_rule '\(rule)' \(gating ? "requires" : "forbids") the decay input") }
        guard delta == (betaA != nil) else { throw ctx.fail("update_rule '\(rule)' \(delta ? "requires" : "forbids") the beta input") }
        guard qa.rank == 3, ka.rank == 3, va.rank == 3 else { throw ctx.fail("query, key and value must be rank 3 (B, T, H·D)") }
        let (batch, length) = (qa.shape[0], qa.shape[1])
        guard qa.shape[2] % qHeads == 0, va.shape[2] % kvHeads == 0 else { throw ctx.fail("hidden sizes are not multiples of the head counts") }
        let dk = qa.shape[2] / qHeads, dv = va.shape[2] / kvHeads
        guard ka.shape == [batch, length, kvHeads * dk], va.shape[0] == batch, va.shape[1] == length else {
            throw ctx.fail("key \(text(ka.shape)) and value \(text(va.shape)) do not fit query \(text(qa.shape)) with \(qHeads)/\(kvHeads) heads")
        }
        let q = try doubles(qa, ctx, "query"), k = try doubles(ka, ctx, "key"), v = try doubles(va, ctx, "value")
        var state = [Double](repeating: 0, count: batch * kvHeads * dk * dv)
        if let pastA {
            guard pastA.shape == [batch, kvHeads, dk, dv] else {
                throw ctx.fail("past_state must be (\(batch), \(kvHeads), \(dk), \(dv)), not \(text(pastA.shape))")
            }
            state = try doubles(pastA, ctx, "past_state")
        }
        // decay per (b, t, kv head, key dim) and beta per (b, t, kv head), as flat lookups.
        var decay: [Double] = [], decayPerDim = false
        if let decayA {
            guard decayA.rank == 3, decayA.shape[0] == batch, decayA.shape[1] == length,
                  decayA.shape[2] == kvHeads || decayA.shape[2] == kvHeads * dk else {
                throw ctx.fail("decay must be (\(batch), \(length), \(kvHeads) or \(kvHeads * dk)), not \(text(decayA.shape))")
            }
            decay = try doubles(decayA, ctx, "decay")
            decayPerDim = decayA.shape[2] != kvHeads
        }
        var beta: [Double] = [], betaWidth = 1
        if let betaA {
            guard betaA.rank == 3, betaA.shape[0] == batch, betaA.shape[1] == length,
                  betaA.shape[2] == kvHeads || betaA.shape[2] == 1 else {
                throw ctx.fail("beta must be (\(batch), \(length), \(kvHeads) or 1), not \(text(betaA.shape))")
            }
            beta = try doubles(betaA, ctx, "beta")
            betaWidth = betaA.shape[2]
        }
        let scaleAttribute = Double(ctx.float("scale", default: 0))
        let scale = scaleAttribute == 0 ? 1 / Double(dk).squareRoot() : scaleAttribute
        var output = [Double](repeating: 0, count: batch * length * qHeads * dv)
        var retrieved = [Double](repeating: 0, count: dv)
        for b in 0..<batch {
            for t in 0..<length {
                let token = b * length + t
                for g in 0..<kvHeads {
                    let s = (b * kvHeads + g) * dk * dv
                    let kBase = (token * kvHeads + g) * dk, vBase = (token * kvHeads + g) * dv
                    if gating {
                        for d in 0..<dk {
                            let factor = Foundation.exp(decayPerDim ? decay[(token * kvHeads + g) * dk + d] : decay[token * kvHeads + g])
                            for m in 0..<dv { state[s + d * dv + m] *= factor }
                        }
                    }
                    if delta {
                        let rate = beta[token * betaWidth + (betaWidth == 1 ? 0 : g)]
                        for m in 0..<dv {
                            var sum = 0.0
                            for d in 0..<dk { sum += state[s + d * dv + m] * k[kBase + d] }
                            retrieved[m] = rate * (v[vBase + m] - sum)
                        }
                    } else {
                        for m in 0..<dv { retrieved[m] = v[vBase + m] }
                    }
                    for d in 0..<dk {
                        for m in 0..<dv { state[s + d * dv + m] += k[kBase + d] * retrieved[m] }
                    }
                    for h in (g * group)..<((g + 1) * group) {
                        let qBase = (token * qHeads + h) * dk, oBase = (token * qHeads + h) * dv
                        for m in 0..<dv {
                            var sum = 0.0
                            for d in 0..<dk { sum += q[qBase + d] * state[s + d * dv + m] }
                            output[oBase + m] = scale * sum
                        }
                    }
                }
            }
        }
        return [array(output, type: qa.elementType, shape: [batch, length, qHeads * dv]),
                array(state, type: pastA?.elementType ?? qa.elementType, shape: [batch, kvHeads, dk, dv])]
    }
}
