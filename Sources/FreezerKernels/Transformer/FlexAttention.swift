import Foundation
import FreezerIR

extension TransformerOperators {
    /// ai.onnx.preview FlexAttention (1): attention with user subgraphs on the scores and probabilities.
    ///
    /// `scores = (Q·√scale)(K'·√scale)ᵀ` (scale default `1/√head_size`, K' and V' the KV heads each query
    /// head `h` shares, `h / (Hq / Hkv)`), in Q's type, then cast to the softmax precision
    /// (softmax_precision, default float32, float64 for float64 inputs); `scores = score_mod(scores)`,
    /// `P = softmax(scores)` over keys (no guard: a row of −∞ gives NaN), `P = prob_mod(P)`,
    /// `Y = P·V'` in the softmax precision, cast to V's type. Each modifier is a graph of one rank-4
    /// input and one output of the same shape and type.
    static func flexAttention(_ ctx: KernelContext) throws(EvaluationError) -> [NDArray?] {
        let qa = try ctx.input(0), ka = try ctx.input(1), va = try ctx.input(2)
        guard qa.rank == 4, ka.rank == 4, va.rank == 4 else {
            throw ctx.fail("Q \(text(qa.shape)), K \(text(ka.shape)) and V \(text(va.shape)) must be rank 4")
        }
        let (batch, qHeads, qLength, headSize) = (qa.shape[0], qa.shape[1], qa.shape[2], qa.shape[3])
        let (kvHeads, kvLength, valueSize) = (ka.shape[1], ka.shape[2], va.shape[3])
        guard ka.shape[0] == batch, va.shape[0] == batch, va.shape[1] == kvHeads, va.shape[2] == kvLength,
              ka.shape[3] == headSize else {
            throw ctx.fail("K \(text(ka.shape)) and V \(text(va.shape)) do not fit Q \(text(qa.shape))")
        }
        guard kvHeads > 0, qHeads % kvHeads == 0 else { throw ctx.fail("q heads \(qHeads) must be a multiple of kv heads \(kvHeads)") }
        let q = try doubles(qa, ctx, "Q"), k = try doubles(ka, ctx, "K"), v = try doubles(va, ctx, "V")
        let computeType: ElementType
        if let code = ctx.int("softmax_precision") {
            guard let t = floatType(code: code) else { throw ctx.fail("attribute 'softmax_precision' = \(code) is not a floating-point type") }
            computeType = t
        } else {
            computeType = qa.elementType == .double ? .double : .float
        }
        let scale = ctx.attribute("scale")?.floatValue.map(Double.init) ?? 1 / Double(headSize).squareRoot()
        let round = Rounding(qa.elementType, ctx.precision)
        let compute = Rounding(computeType, ctx.precision, roundsFloat: qa.elementType == .double && computeType == .float)
        // The reference takes √scale in float32, then casts it to Q's type.
        let rootScale = round(ctx.precision == .own ? Double(Float(scale).squareRoot()) : scale.squareRoot())
        let qs = q.map { round($0 * rootScale) }, ks = k.map { round($0 * rootScale) }
        let group = qHeads / kvHeads
        let scoreShape = [batch, qHeads, qLength, kvLength]
        var scores = [Double](repeating: 0, count: scoreShape.reduce(1, *))
        for b in 0..<batch {
            for h in 0..<qHeads {
                let head = b * qHeads + h
                TransformerOperators.product(qs, head * qLength * headSize, ks, (b * kvHeads + h / group) * kvLength * headSize,
                                             transB: true, m: qLength, n: kvLength, k: headSize, into: &scores, head * qLength * kvLength)
            }
        }
        scores = scores.map { compute(round($0)) }
        // Under Precision.float64 the modifiers see float64, as every other value of the evaluation.
        let modifierType = ctx.precision == .float64 ? ElementType.double : computeType
        func modify(_ name: String, _ values: [Double]) throws(EvaluationError) -> [Double] {
            guard ctx.attribute(name) != nil else { return values }
            let graph = try ctx.graph(name)
            let input = array(values, type: modifierType, shape: scoreShape).rounded()
            let outputs: [NDArray]
            do { outputs = try ctx.runSubgraph(graph, [input]) } catch let error as EvaluationError { throw error } catch {
                throw ctx.fail("\(name): \(error)")
            }
            guard outputs.count == 1, outputs[0].shape == scoreShape else {
                throw ctx.fail("\(name) must give one output of shape \(text(scoreShape))")
            }
            return try doubles(outputs[0], ctx, "\(name) output").map { compute($0) }
        }
        scores = try modify("score_mod", scores)
        var probabilities = scores
        for row in 0..<(batch * qHeads * qLength) {
            let base = row * kvLength
            var maximum = -Double.infinity
            for j in 0..<kvLength { maximum = j == 0 ? scores[base] : Swift.max(maximum, scores[base + j]) }
            var sum = 0.0
            for j in 0..<kvLength {
                probabilities[base + j] = compute(Foundation.exp(compute(scores[base + j] - maximum)))
                sum += probabilities[base + j]
            }
            sum = compute(sum)
            for j in 0..<kvLength { probabilities[base + j] = compute(probabilities[base + j] / sum) }
        }
        probabilities = try modify("prob_mod", probabilities)
        var y = [Double](repeating: 0, count: batch * qHeads * qLength * valueSize)
        let vc = v.map { compute($0) }
        for b in 0..<batch {
            for h in 0..<qHeads {
                let head = b * qHeads + h
                TransformerOperators.product(probabilities, head * qLength * kvLength, vc, (b * kvHeads + h / group) * kvLength * valueSize,
                                             transB: false, m: qLength, n: valueSize, k: kvLength, into: &y, head * qLength * valueSize)
            }
        }
        y = y.map { compute($0) }
        return [array(y, type: va.elementType, shape: [batch, qHeads, qLength, valueSize])]
    }
}
