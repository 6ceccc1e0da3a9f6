import Foundation
import FreezerIR

/// NegativeLogLikelihoodLoss (12, 13, 22) and SoftmaxCrossEntropyLoss (12, 13).
///
/// Both read scores of shape N×C or N×C×D1…Dk and integer targets of shape N or N×D1…Dk. Computed in
/// Double and rounded once to the input's type.
enum Losses {
    static func register(_ r: inout KernelRegistry) {
        r.register("NegativeLogLikelihoodLoss", versions: 12...Int64.max, negativeLogLikelihoodLoss)
        r.register("SoftmaxCrossEntropyLoss", versions: 12...Int64.max, softmaxCrossEntropyLoss)
    }

    enum Reduction: String { case none, sum, mean }

    /// NegativeLogLikelihoodLoss: `loss[n, d] = -input[n, t, d] · weight[t]` with `t = target[n, d]`,
    /// 0 where `t == ignore_index` (which need not lie in [0, C)). Reduction `none` returns that
    /// tensor (shape of target), `sum` its sum, `mean` (default) its sum divided by the sum of the
    /// weights `weight[t]` of the targets that are not ignored (without `weight`: their count).
    static func negativeLogLikelihoodLoss(_ ctx: KernelContext) throws -> [NDArray?] {
        let x = try ctx.input(0)
        let values = try FloatingData.doubles(x, ctx, "input")
        return [try loss(ctx, logProbabilities: values, shape: x.shape, type: x.elementType)]
    }

    /// SoftmaxCrossEntropyLoss: `log_prob = LogSoftmax(scores)` along axis 1, then the
    /// NegativeLogLikelihoodLoss of `log_prob` with the same `weights`, `ignore_index` and `reduction`.
    /// The optional second output is `log_prob` (shape of scores).
    static func softmaxCrossEntropyLoss(_ ctx: KernelContext) throws -> [NDArray?] {
        let x = try ctx.input(0)
        var values = try FloatingData.doubles(x, ctx, "scores")
        guard x.rank >= 2 else { throw ctx.fail("input 'scores' must be N×C or N×C×D1…, got shape \(x.shape)") }
        let n = x.shape[0], c = x.shape[1], d = x.count / max(n * c, 1)
        // Log-softmax over C for each (n, d), subtracting the maximum so exp cannot overflow.
        for i in 0..<n {
            for j in 0..<d {
                let base = i * c * d + j
                var m = -Double.infinity
                for k in 0..<c { m = max(m, values[base + k * d]) }
                var s = 0.0
                for k in 0..<c { s += exp(values[base + k * d] - m) }
                let logSum = m + log(s)
                for k in 0..<c { values[base + k * d] -= logSum }
            }
        }
        let output = try loss(ctx, logProbabilities: values, shape: x.shape, type: x.elementType)
        let logProb = ctx.outputIsNeeded(1) ? FloatingData.array(values, shape: x.shape, type: x.elementType) : nil
        return [output, logProb]
    }

    /// The negative log-likelihood loss of `lp` (N×C×D… log-probabilities) against input 1 (targets)
    /// and the optional input 2 (per-class weights), as both operators define it.
    static func loss(_ ctx: KernelContext, logProbabilities lp: [Double], shape: [Int], type: ElementType) throws -> NDArray {
        let target = try ctx.input(1)
        guard case .int(let t) = target.storage else {
            throw ctx.fail("input 'target' must be an integer tensor, got \(target.elementType)")
        }
        guard shape.count >= 2, target.shape == [shape[0]] + Array(shape[2...]) else {
            throw ctx.fail("input shape \(shape) and target shape \(target.shape) do not match: expected N×C×D1… and N×D1…")
        }
        let n = shape[0], c = shape[1], d = shape[2...].reduce(1, *)
        var weight: [Double]? = nil
        if let w = ctx.optionalInput(2) {
            guard w.shape == [c], w.elementType == type else {
                throw ctx.fail("input 'weight' must be a \(type) vector of C = \(c) values, got \(w.elementType)\(w.shape)")
            }
            weight = try FloatingData.doubles(w, ctx, "weight")
        }
        let ignore = ctx.int("ignore_index")
        let reductionText = ctx.string("reduction", default: "mean")
        guard let reduction = Reduction(rawValue: reductionText) else {
            throw ctx.fail("attribute 'reduction' must be none, sum or mean, got '\(reductionText)'")
        }
        var losses = [Double](repeating: 0, count: n * d)
        var weightSum = 0.0
        for i in 0..<n {
            for j in 0..<d {
                let label = t[i * d + j]
                if label == ignore { continue }
                guard label >= 0, label < Int64(c) else {
                    throw ctx.fail("target value \(label) is outside [0, \(c)) and is not ignore_index")
                }
                let k = Int(label)
                let w = weight?[k] ?? 1
                losses[i * d + j] = -lp[(i * c + k) * d + j] * w
                weightSum += w
            }
        }
        switch reduction {
        case .none:
            return FloatingData.array(losses, shape: target.shape, type: type)
        case .sum:
            return FloatingData.array([losses.reduce(0, +)], shape: [], type: type)
        case .mean:
            // Weighted mean; 0/0 (every target ignored) is NaN, as in ONNX's reference.
            return FloatingData.array([losses.reduce(0, +) / weightSum], shape: [], type: type)
        }
    }
}
