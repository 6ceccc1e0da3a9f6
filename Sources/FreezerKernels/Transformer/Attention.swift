import Foundation
import FreezerIR

extension TransformerOperators {
    /// Attention (23, 24, 25): scaled dot-product attention with optional mask, KV cache, grouped heads.
    ///
    /// For every batch `b`, query head `h`, query position `i` and key position `j < T` (`T = P + L`,
    /// `P` cached keys from past_key, `L` new keys):
    /// ```
    /// s[i,j]    = (Q[h,i]·√scale) · (K'[g(h),j]·√scale)       K' = concat(past_key, K), scale default 1/√head_size
    /// c[i,j]    = softcap · tanh(s / softcap)  if softcap > 0, else s
    /// a[i,j]    = c + bias[i,j]
    /// p[i,·]    = softmax(a[i,·])  (in softmax_precision), 0 for a row whose bias is −∞ everywhere
    /// Y[h,i]    = Σ_j p[i,j] · V'[g(h),j]                     V' = concat(past_value, V)
    /// ```
    /// `g(h) = h / (q_num_heads / kv_num_heads)` maps query heads to KV heads (grouped/multi-query).
    /// `bias` sums: attn_mask broadcast to `(B, Hq, S, T)` (bool: true → 0, false → −∞; a last
    /// dimension shorter than T is padded with false/−∞); with is_causal, −∞ where `j > i + offset`;
    /// from opset 25, −∞ outside `[i + offset − left_window_size, i + offset + right_window_size]` (−1:
    /// unbounded); from opset 24, −∞ where `j ≥ nonpad_kv_seqlen[b]`. `offset` is P with a cache,
    /// `nonpad_kv_seqlen[b] − S` with nonpad_kv_seqlen, else 0 (bottom-right alignment).
    /// 3D inputs `(B, S, heads·size)` are split into heads by q_num_heads/kv_num_heads, and Y is packed back.
    /// qk_matmul_output is s (mode 0), c (1), a (2) or p (3).
    static func attention(_ ctx: KernelContext) throws(EvaluationError) -> [NDArray?] {
        let p = try AttentionProblem(ctx)
        return try p.run(ctx)
    }
}

/// The shapes, attributes and values of one Attention node, checked.
struct AttentionProblem {
    typealias Ops = TransformerOperators

    var batch = 0, qHeads = 0, kvHeads = 0, qLength = 0, newLength = 0, pastLength = 0
    var headSize = 0, valueSize = 0
    var packed = false
    var q: [Double] = [], k: [Double] = [], v: [Double] = []
    var qType: ElementType = .float, kType: ElementType = .float, vType: ElementType = .float
    var scale = 0.0, softcap = 0.0
    var causal = false
    var leftWindow = -1, rightWindow = -1
    var mode = 0
    var softmaxType: ElementType? = nil
    var mask: NDArray? = nil
    var nonpad: [Int64]? = nil

    var totalLength: Int { pastLength + newLength }

    init(_ ctx: KernelContext) throws(EvaluationError) {
        let qa = try ctx.input(0), ka = try ctx.input(1), va = try ctx.input(2)
        guard qa.rank == ka.rank, ka.rank == va.rank, qa.rank == 3 || qa.rank == 4 else {
            throw ctx.fail("Q \(Ops.text(qa.shape)), K \(Ops.text(ka.shape)) and V \(Ops.text(va.shape)) must all be 3D or all 4D")
        }
        qType = qa.elementType; kType = ka.elementType; vType = va.elementType
        let qv = try Ops.doubles(qa, ctx, "Q"), kv = try Ops.doubles(ka, ctx, "K"), vv = try Ops.doubles(va, ctx, "V")
        batch = qa.shape[0]
        guard ka.shape[0] == batch, va.shape[0] == batch else { throw ctx.fail("Q, K and V must have one batch size") }
        let qAttr = ctx.int("q_num_heads"), kvAttr = ctx.int("kv_num_heads")
        if qa.rank == 3 {
            packed = true
            guard let qh = qAttr, let kh = kvAttr, qh > 0, kh > 0 else {
                throw ctx.fail("3D inputs need positive attributes q_num_heads and kv_num_heads")
            }
            qHeads = Int(qh); kvHeads = Int(kh)
            guard qa.shape[2] % qHeads == 0, ka.shape[2] % kvHeads == 0, va.shape[2] % kvHeads == 0 else {
                throw ctx.fail("hidden sizes of Q \(Ops.text(qa.shape)), K \(Ops.text(ka.shape)), V \(Ops.text(va.shape)) are not multiples of q_num_heads \(qHeads) / kv_num_heads \(kvHeads)")
            }
            qLength = qa.shape[1]; newLength = ka.shape[1]
            headSize = qa.shape[2] / qHeads; valueSize = va.shape[2] / kvHeads
            guard ka.shape[2] / kvHeads == headSize, va.shape[1] == newLength else {
                throw ctx.fail("K \(Ops.text(ka.shape)) and V \(Ops.text(va.shape)) do not fit Q \(Ops.text(qa.shape)) with \(qHeads)/\(kvHeads) heads")
            }
            q = Ops.unpackHeads(qv, batch: batch, length: qLength, heads: qHeads, size: headSize)
            k = Ops.unpackHeads(kv, batch: batch, length: newLength, heads: kvHeads, size: headSize)
            v = Ops.unpackHeads(vv, batch: batch, length: newLength, heads: kvHeads, size: valueSize)
        } else {
            if ctx.opset >= 25 && (qAttr != nil || kvAttr != nil) {
                throw ctx.fail("q_num_heads and kv_num_heads must not be given for 4D inputs")
            }
            qHeads = qa.shape[1]; kvHeads = ka.shape[1]
            qLength = qa.shape[2]; newLength = ka.shape[2]
            headSize = qa.shape[3]; valueSize = va.shape[3]
            guard va.shape[1] == kvHeads, va.shape[2] == newLength, ka.shape[3] == headSize else {
                throw ctx.fail("K \(Ops.text(ka.shape)) and V \(Ops.text(va.shape)) do not fit Q \(Ops.text(qa.shape))")
            }
            q = qv; k = kv; v = vv
        }
        guard kvHeads > 0, qHeads % kvHeads == 0 else {
            throw ctx.fail("q_num_heads \(qHeads) must be a multiple of kv_num_heads \(kvHeads)")
        }

        let pastKey = ctx.optionalInput(4), pastValue = ctx.optionalInput(5)
        guard (pastKey == nil) == (pastValue == nil) else { throw ctx.fail("past_key and past_value must be given together") }
        if let pk = pastKey, let pv = pastValue {
            guard pk.rank == 4, pv.rank == 4, pk.shape[0] == batch, pk.shape[1] == kvHeads, pk.shape[3] == headSize,
                  pv.shape[0] == batch, pv.shape[1] == kvHeads, pv.shape[2] == pk.shape[2], pv.shape[3] == valueSize else {
                throw ctx.fail("past_key \(Ops.text(pk.shape)) and past_value \(Ops.text(pv.shape)) must be (\(batch), \(kvHeads), P, \(headSize)) and (\(batch), \(kvHeads), P, \(valueSize))")
            }
            pastLength = pk.shape[2]
            k = Self.concatenate(try Ops.doubles(pk, ctx, "past_key"), k, outer: batch * kvHeads,
                                 first: pastLength * headSize, second: newLength * headSize)
            v = Self.concatenate(try Ops.doubles(pv, ctx, "past_value"), v, outer: batch * kvHeads,
                                 first: pastLength * valueSize, second: newLength * valueSize)
        }
        if ctx.opset >= 24, let n = ctx.optionalInput(6) {
            guard pastKey == nil else { throw ctx.fail("nonpad_kv_seqlen cannot be combined with past_key/past_value") }
            guard case .int(let values) = n.storage, n.count == batch else {
                throw ctx.fail("nonpad_kv_seqlen must be \(batch) integers, one per batch, but is \(n.elementType)\(Ops.text(n.shape))")
            }
            nonpad = values
        }

        if let m = ctx.optionalInput(3) {
            guard m.kind == .bool || m.kind == .float || m.kind == .double else {
                throw ctx.fail("attn_mask must be boolean or floating point, not \(m.elementType)")
            }
            let target = [batch, qHeads, qLength, totalLength]
            guard m.rank <= 4, m.rank >= 1 else { throw ctx.fail("attn_mask \(Ops.text(m.shape)) must have rank 1 to 4") }
            for (d, size) in m.shape.enumerated() {
                let t = target[4 - m.rank + d]
                let last = d == m.rank - 1
                guard size == 1 || size == t || (last && size < t) else {
                    throw ctx.fail("attn_mask \(Ops.text(m.shape)) does not broadcast to \(Ops.text(target))")
                }
            }
            mask = m
        }

        if let s = ctx.attribute("scale")?.floatValue { scale = Double(s) } else { scale = 1 / Double(headSize).squareRoot() }
        softcap = Double(ctx.float("softcap", default: 0))
        causal = ctx.int("is_causal", default: 0) != 0
        mode = try Ops.intAttribute(ctx, "qk_matmul_output_mode", default: 0, in: 0...3)
        if let code = ctx.int("softmax_precision") {
            guard let t = Ops.floatType(code: code) else { throw ctx.fail("attribute 'softmax_precision' = \(code) is not a floating-point type") }
            softmaxType = t
        }
        if ctx.opset >= 25 {
            leftWindow = try Ops.intAttribute(ctx, "left_window_size", default: -1, in: -1...Int64(Int32.max))
            rightWindow = try Ops.intAttribute(ctx, "right_window_size", default: -1, in: -1...Int64(Int32.max))
        }
    }

    /// `outer` blocks of `a` (`first` values each) followed by the same block of `b` (`second` values each).
    static func concatenate(_ a: [Double], _ b: [Double], outer: Int, first: Int, second: Int) -> [Double] {
        var y: [Double] = []
        y.reserveCapacity(a.count + b.count)
        for o in 0..<outer {
            y += a[(o * first)..<((o + 1) * first)]
            y += b[(o * second)..<((o + 1) * second)]
        }
        return y
    }

    /// The additive bias of one query row: mask, causal frontier, window and padding.
    func biasRow(batch b: Int, head h: Int, query i: Int, maskValues: [Double]?, into row: inout [Double]) {
        let t = totalLength
        for j in 0..<t { row[j] = 0 }
        if let mask, let maskValues {
            // Right-aligned broadcast of the mask to (B, Hq, S, T); positions past its last dimension
            // are padded with false / −∞.
            let index = [b, h, i]
            let r = mask.rank
            let last = mask.shape[r - 1]
            var base = 0, step = last
            for d in stride(from: r - 2, through: 0, by: -1) {
                let size = mask.shape[d]
                if size != 1 { base += index[4 - r + d] * step }
                step *= size
            }
            for j in 0..<t {
                if j >= last { row[j] = -.infinity } else { row[j] = maskValues[base + (last == 1 ? 0 : j)] }
            }
        }
        var offset = 0
        if pastLength > 0 { offset = pastLength } else if let nonpad { offset = Int(nonpad[b]) - qLength }
        if causal {
            for j in 0..<t where j > i + offset { row[j] += -.infinity }
        }
        if leftWindow >= 0 || rightWindow >= 0 {
            for j in 0..<t {
                let diff = i + offset - j
                if (leftWindow >= 0 && diff > leftWindow) || (rightWindow >= 0 && -diff > rightWindow) { row[j] += -.infinity }
            }
        }
        if let nonpad {
            for j in 0..<t where Int64(j) >= nonpad[b] { row[j] += -.infinity }
        }
    }

    func run(_ ctx: KernelContext) throws(EvaluationError) -> [NDArray?] {
        let t = totalLength
        let round = TransformerOperators.Rounding(qType, ctx.precision)
        // An explicit softmax_precision is a cast, float32 included (a float64 model's softmax then runs in float32).
        let softmaxRound = TransformerOperators.Rounding(softmaxType ?? qType, ctx.precision, roundsFloat: softmaxType != nil)
        // √scale in Q's type, as the reference casts it before scaling Q and K.
        let rootScale = round(scale.squareRoot())
        let qs = q.map { round($0 * rootScale) }, ks = k.map { round($0 * rootScale) }
        let maskValues: [Double]? = mask.map { m in
            if case .bool(let bits) = m.storage { return bits.map { $0 ? 0 : -Double.infinity } }
            return m.asDoubles
        }
        let group = qHeads / kvHeads
        let wantsScores = ctx.outputIsNeeded(3)
        var y = [Double](repeating: 0, count: batch * qHeads * qLength * valueSize)
        var scores = [Double](repeating: 0, count: wantsScores ? batch * qHeads * qLength * t : 0)
        // Per (batch, head): the S×T scores on BLAS, each row masked and normalized, then P·V on BLAS.
        var block = [Double](repeating: 0, count: qLength * t), probabilities = block
        var row = [Double](repeating: 0, count: t), bias = [Double](repeating: 0, count: t)
        for b in 0..<batch {
            for h in 0..<qHeads {
                let g = h / group
                let head = b * qHeads + h
                TransformerOperators.product(qs, head * qLength * headSize, ks, (b * kvHeads + g) * t * headSize, transB: true,
                                             m: qLength, n: t, k: headSize, into: &block, 0)
                for i in 0..<qLength {
                    for j in 0..<t { row[j] = round(block[i * t + j]) }
                    let scoreBase = (head * qLength + i) * t
                    if wantsScores && mode == 0 { for j in 0..<t { scores[scoreBase + j] = row[j] } }
                    if softcap > 0 {
                        for j in 0..<t { row[j] = round(softcap * round(Foundation.tanh(round(row[j] / softcap)))) }
                    }
                    if wantsScores && mode == 1 { for j in 0..<t { scores[scoreBase + j] = row[j] } }
                    biasRow(batch: b, head: h, query: i, maskValues: maskValues, into: &bias)
                    for j in 0..<t { row[j] = round(row[j] + bias[j]) }
                    if wantsScores && mode == 2 { for j in 0..<t { scores[scoreBase + j] = row[j] } }
                    // A row whose bias allows no key gives zero probabilities (decided on the bias, not
                    // on the scores, which may be NaN); a NaN bias is not −∞, as numpy's max propagates it.
                    var maskedRow = t > 0
                    for j in 0..<t where !(bias[j] == -.infinity) { maskedRow = false; break }
                    Self.softmax(row, into: &probabilities, at: i * t, count: t, softmaxRound)
                    for j in (i * t)..<((i + 1) * t) { probabilities[j] = maskedRow ? 0 : round(probabilities[j]) }
                    if wantsScores && mode == 3 { for j in 0..<t { scores[scoreBase + j] = probabilities[i * t + j] } }
                }
                TransformerOperators.product(probabilities, 0, v, (b * kvHeads + g) * t * valueSize, transB: false,
                                             m: qLength, n: valueSize, k: t, into: &y, head * qLength * valueSize)
            }
        }
        let yArray: NDArray
        if packed {
            let values = TransformerOperators.packHeads(y, batch: batch, length: qLength, heads: qHeads, size: valueSize)
            yArray = TransformerOperators.array(values, type: qType, shape: [batch, qLength, qHeads * valueSize])
        } else {
            yArray = TransformerOperators.array(y, type: qType, shape: [batch, qHeads, qLength, valueSize])
        }
        var outputs: [NDArray?] = [yArray]
        if ctx.outputCount > 1 {
            outputs.append(ctx.outputIsNeeded(1) ? TransformerOperators.array(k, type: kType, shape: [batch, kvHeads, t, headSize]) : nil)
        }
        if ctx.outputCount > 2 {
            outputs.append(ctx.outputIsNeeded(2) ? TransformerOperators.array(v, type: vType, shape: [batch, kvHeads, t, valueSize]) : nil)
        }
        if ctx.outputCount > 3 {
            outputs.append(wantsScores ? TransformerOperators.array(scores, type: qType, shape: [batch, qHeads, qLength, t]) : nil)
        }
        return outputs
    }

    /// Softmax of `x[0..<count]` into `p[offset...]` as ONNX's reference computes it, each step rounded by `round` (the
    /// softmax precision): a row of −∞ (nothing to attend) gives zeros instead of NaN.
    static func softmax(_ x: [Double], into p: inout [Double], at offset: Int, count: Int, _ round: TransformerOperators.Rounding) {
        guard count > 0 else { return }
        var maximum = -Double.infinity
        var sawNaN = false
        for j in 0..<count {
            let value = round(x[j])
            if value.isNaN { sawNaN = true } else if value > maximum { maximum = value }
        }
        if sawNaN { maximum = .nan }
        let shift = maximum == -.infinity ? 0 : maximum
        var sum = 0.0
        for j in 0..<count {
            p[offset + j] = round(Foundation.exp(round(round(x[j]) - shift)))
            sum += p[offset + j]
        }
        sum = round(sum)
        if sum == 0 { sum = 1 }
        for j in offset..<(offset + count) { p[j] = round(p[j] / sum) }
    }
}
