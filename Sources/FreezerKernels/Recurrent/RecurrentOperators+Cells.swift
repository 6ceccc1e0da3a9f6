extension RecurrentOperators {
    /// `c = a · bᵀ` with a `rows × k` and b `n × k`, row-major, on BLAS dgemm.
    static func productTransposed(_ a: [Double], rows: Int, k: Int, _ b: [Double], n: Int, into c: inout [Double]) {
        a.withUnsafeBufferPointer { ab in
            b.withUnsafeBufferPointer { bb in
                c.withUnsafeMutableBufferPointer { cb in
                    guard let ap = ab.baseAddress, let bp = bb.baseAddress, let cp = cb.baseAddress else { return }
                    NeuralNetworkOperators.gemm(transA: false, transB: true, m: rows, n: n, k: k, alpha: 1.0, a: ap, lda: k,
                                                b: bp, ldb: k, beta: 0.0, c: cp, ldc: n)
                }
            }
        }
    }

    /// X · Wᵀ of direction `d` for every step and batch entry at once: (steps·batch) × (gates·hidden).
    static func inputProjection(_ p: RecurrentProblem, _ d: Int) -> [Double] {
        let rows = p.cell.gates * p.hidden
        var xw = [Double](repeating: 0, count: p.steps * p.batch * rows)
        productTransposed(p.x, rows: p.steps * p.batch, k: p.inputSize, p.w[d], n: rows, into: &xw)
        return xw
    }

    /// RNN, direction `d`: `Ht = f(clip(Xt·Wᵀ + Ht−1·Rᵀ + Wb + Rb))`.
    ///
    /// Each batch entry runs only over its first sequence_lens steps (in the direction's order, so a
    /// reverse direction starts at its last valid step); Y stays zero past them and the state is kept.
    static func runRNN(_ p: RecurrentProblem, direction d: Int, into result: inout RecurrentResult) {
        let (n, hs) = (p.batch, p.hidden)
        let xw = inputProjection(p, d)
        let bias = zip(p.wb[d], p.rb[d]).map { $0 + $1 }
        let f = p.activations[d][0]
        var h = p.h0[d], hr = [Double](repeating: 0, count: n * hs)
        for t in p.stepOrder(d) {
            productTransposed(h, rows: n, k: hs, p.r[d], n: hs, into: &hr)
            for b in 0..<n where t < p.lengths[b] {
                let x0 = (t * n + b) * hs, h0 = b * hs
                for j in 0..<hs { h[h0 + j] = f(p.clipped(xw[x0 + j] + hr[h0 + j] + bias[j])) }
                result.record(h, p, step: t, direction: d, entry: b)
            }
        }
        result.finish(direction: d, h: h, c: nil, p)
    }

    /// GRU, direction `d` (gates z, r, h in W, R and B; f = Sigmoid, g = Tanh by default):
    ///
    ///     zt = f(clip(Xt·Wzᵀ + Ht−1·Rzᵀ + Wbz + Rbz))
    ///     rt = f(clip(Xt·Wrᵀ + Ht−1·Rrᵀ + Wbr + Rbr))
    ///     ht = g(clip(Xt·Whᵀ + (rt ⊙ Ht−1)·Rhᵀ + Rbh + Wbh))      linear_before_reset = 0
    ///     ht = g(clip(Xt·Whᵀ + rt ⊙ (Ht−1·Rhᵀ + Rbh) + Wbh))      linear_before_reset ≠ 0
    ///     Ht = (1 − zt) ⊙ ht + zt ⊙ Ht−1
    static func runGRU(_ p: RecurrentProblem, direction d: Int, into result: inout RecurrentResult) {
        let (n, hs) = (p.batch, p.hidden)
        let xw = inputProjection(p, d)
        let (wb, rb) = (p.wb[d], p.rb[d])
        let f = p.activations[d][0], g = p.activations[d][1]
        // R split into its update-and-reset rows and its hidden rows, for the two products of a step.
        let rZR = Array(p.r[d][0..<(2 * hs * hs)]), rH = Array(p.r[d][(2 * hs * hs)...])
        var h = p.h0[d]
        var hzr = [Double](repeating: 0, count: n * 2 * hs), hh = [Double](repeating: 0, count: n * hs)
        var z = [Double](repeating: 0, count: n * hs), reset = [Double](repeating: 0, count: n * hs)
        for t in p.stepOrder(d) {
            productTransposed(h, rows: n, k: hs, rZR, n: 2 * hs, into: &hzr)
            for b in 0..<n where t < p.lengths[b] {
                let x0 = (t * n + b) * 3 * hs, g0 = b * 2 * hs
                for j in 0..<hs {
                    z[b * hs + j] = f(p.clipped(xw[x0 + j] + hzr[g0 + j] + wb[j] + rb[j]))
                    reset[b * hs + j] = f(p.clipped(xw[x0 + hs + j] + hzr[g0 + hs + j] + wb[hs + j] + rb[hs + j]))
                }
            }
            if p.linearBeforeReset {
                productTransposed(h, rows: n, k: hs, rH, n: hs, into: &hh)
            } else {
                // Rows of finished entries are multiplied too but not used.
                var rh = h
                for i in 0..<(n * hs) { rh[i] *= reset[i] }
                productTransposed(rh, rows: n, k: hs, rH, n: hs, into: &hh)
            }
            for b in 0..<n where t < p.lengths[b] {
                let x0 = (t * n + b) * 3 * hs + 2 * hs, h0 = b * hs
                for j in 0..<hs {
                    let recurrent = p.linearBeforeReset ? reset[h0 + j] * (hh[h0 + j] + rb[2 * hs + j]) : hh[h0 + j] + rb[2 * hs + j]
                    let candidate = g(p.clipped(xw[x0 + j] + wb[2 * hs + j] + recurrent))
                    h[h0 + j] = (1 - z[h0 + j]) * candidate + z[h0 + j] * h[h0 + j]
                }
                result.record(h, p, step: t, direction: d, entry: b)
            }
        }
        result.finish(direction: d, h: h, c: nil, p)
    }

    /// LSTM, direction `d` (gates i, o, f, c in W, R and B; peepholes i, o, f in P; f = Sigmoid,
    /// g = Tanh, h = Tanh by default; clipping applies to the gates' pre-activations):
    ///
    ///     it = f(clip(Xt·Wiᵀ + Ht−1·Riᵀ + Pi ⊙ Ct−1 + Wbi + Rbi))
    ///     ft = f(clip(Xt·Wfᵀ + Ht−1·Rfᵀ + Pf ⊙ Ct−1 + Wbf + Rbf))   (1 − it with input_forget ≠ 0)
    ///     ct = g(clip(Xt·Wcᵀ + Ht−1·Rcᵀ + Wbc + Rbc))
    ///     Ct = ft ⊙ Ct−1 + it ⊙ ct
    ///     ot = f(clip(Xt·Woᵀ + Ht−1·Roᵀ + Po ⊙ Ct + Wbo + Rbo))
    ///     Ht = ot ⊙ h(Ct)
    ///
    /// input_forget couples the gates as onnxruntime does: the forget gate is the complement of the input gate.
    static func runLSTM(_ p: RecurrentProblem, direction d: Int, into result: inout RecurrentResult) {
        let (n, hs) = (p.batch, p.hidden)
        let xw = inputProjection(p, d)
        let bias = zip(p.wb[d], p.rb[d]).map { $0 + $1 }, peep = p.p[d]
        let f = p.activations[d][0], g = p.activations[d][1], hAct = p.activations[d][2]
        var h = p.h0[d], c = p.c0[d], hr = [Double](repeating: 0, count: n * 4 * hs)
        for t in p.stepOrder(d) {
            productTransposed(h, rows: n, k: hs, p.r[d], n: 4 * hs, into: &hr)
            for b in 0..<n where t < p.lengths[b] {
                let x0 = (t * n + b) * 4 * hs, g0 = b * 4 * hs, h0 = b * hs
                for j in 0..<hs {
                    func pre(_ gate: Int) -> Double { xw[x0 + gate * hs + j] + hr[g0 + gate * hs + j] + bias[gate * hs + j] }
                    let previous = c[h0 + j]
                    let input = f(p.clipped(pre(0) + peep[j] * previous))
                    let forget = p.inputForget ? 1 - input : f(p.clipped(pre(2) + peep[2 * hs + j] * previous))
                    let cell = forget * previous + input * g(p.clipped(pre(3)))
                    let output = f(p.clipped(pre(1) + peep[hs + j] * cell))
                    c[h0 + j] = cell
                    h[h0 + j] = output * hAct(cell)
                }
                result.record(h, p, step: t, direction: d, entry: b)
            }
        }
        result.finish(direction: d, h: h, c: c, p)
    }
}
