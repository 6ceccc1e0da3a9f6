import Foundation
import FreezerIR

/// How `resampleFiltered` weighs neighbours: the Keys cubic kernel or the triangle (linear) kernel,
/// stretched by 1/scale when antialiasing a downsampled axis.
struct ResizeFilter {
    var cubic: Bool
    var antialias: Bool
    /// cubic_coeff_a (default −0.75).
    var cubicA: Double
    /// Whether neighbours outside the input get weight 0 (weights renormalized to sum 1).
    var excludeOutside: Bool

    /// The kernel value at distance `x` (in input pixels, times the filter scale when antialiasing).
    func kernel(_ x: Double) -> Double {
        let x = abs(x)
        guard cubic else { return max(0, 1 - x) }
        let a = cubicA
        if x <= 1 { return ((a + 2) * x - (a + 3)) * x * x + 1 }
        if x < 2 { return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a }
        return 0
    }

    /// (input index, weight) of the neighbours of input coordinate `c` along an axis of `length` pixels
    /// resized by `scale`. Indices outside the input are clamped to its edge (edge padding).
    func taps(_ c: Double, scale: Double, length: Int) -> [(Int, Double)] {
        let base = c.rounded(.down), t = c - base, i0 = Int(base)
        // Without antialias the kernel spans 2 (cubic: 4) pixels; antialiasing widens it by 1/scale.
        let s = antialias ? min(scale, 1) : 1
        let support = cubic ? 2.0 : 1.0
        let first = Int((-support / s).rounded(.down)) + 1, last = 1 - first
        var taps: [(Int, Double)] = []
        var sum = 0.0
        for k in first...max(first, last) {
            let w = kernel((Double(k) - t) * s)
            taps.append((i0 + k, w))
            sum += w
        }
        // Antialiased weights are normalized to sum 1; plain cubic weights already are.
        if antialias && sum != 0 { taps = taps.map { ($0.0, $0.1 / sum) } }
        if excludeOutside {
            var inside = 0.0
            for (i, w) in taps where i >= 0 && i < length { inside += w }
            taps = taps.map { i, w in (i, i >= 0 && i < length && inside != 0 ? w / inside : 0) }
        }
        return taps.map { (min(max($0.0, 0), length - 1), $0.1) }
    }
}

extension TensorOperators {
    /// Cubic and antialiased Resize: each axis is resampled in turn (the filters are separable) in Double.
    ///
    /// Output coordinate o maps to input coordinate c by the coordinate transformation (as the linear and
    /// nearest modes compute it); with f = ⌊c⌋ and t = c − f, cubic mode weighs inputs f − 1 … f + 2 by the
    /// Keys kernel with a = cubic_coeff_a at distances 1 + t, t, 1 − t, 2 − t. Antialiasing an axis
    /// downsampled by scale s < 1 stretches the kernel (cubic or triangle) to support 2/s (1/s), evaluates
    /// it at s·(k − t) for inputs f + k, and normalizes the weights to sum 1, as the ONNX reference does.
    /// Neighbours outside the input repeat the edge pixel, or with exclude_outside = 1 get weight 0 and the
    /// others are renormalized. tf_crop_and_resize outputs whose coordinate leaves the input on any axis
    /// are extrapolation_value.
    static func resampleFiltered(_ ctx: KernelContext, _ x: NDArray, shape: [Int], scales: [Float], roi: [Float]?,
                                 _ s: ResizeSettings, _ filter: ResizeFilter) throws(EvaluationError) -> NDArray {
        guard x.kind == .float || x.kind == .double || x.kind == .int else {
            throw ctx.fail("\(filter.cubic ? "cubic" : "antialiased linear") Resize does not accept \(x.elementType)")
        }
        let rank = x.rank
        let n = try IndexInputs.count(shape, ctx, "output")
        let crop = s.coordinate == "tf_crop_and_resize"
        var values = x.asDoubles
        var current = x.shape
        var outside: [[Bool]] = []
        for d in 0..<rank {
            let inLen = x.shape[d], outLen = shape[d]
            guard inLen > 0 || outLen == 0 else { throw ctx.fail("cannot resize axis \(d) of size 0 to \(outLen)") }
            var out = [Bool](repeating: false, count: outLen)
            if scales[d] == 1 && inLen == outLen && !crop { outside.append(out); continue }
            var taps: [[(Int, Double)]] = []
            taps.reserveCapacity(outLen)
            for o in 0..<outLen {
                let c = Double(originalCoordinate(Float(o), scale: scales[d], outLength: Float(outLen), inLength: Float(inLen),
                                                  roiStart: roi?[d] ?? 0, roiEnd: roi?[rank + d] ?? 1, mode: s.coordinate))
                guard c.isFinite, abs(c) < 1e15 else { throw ctx.fail("resize coordinate on axis \(d) is \(c) (scales \(scales))") }
                if crop && (c < 0 || c > Double(inLen - 1)) { out[o] = true }
                taps.append(filter.taps(c, scale: Double(scales[d]), length: inLen))
            }
            outside.append(out)
            let outer = current[..<d].reduce(1, *), inner = current[(d + 1)...].reduce(1, *)
            var next = [Double](repeating: 0, count: outer * outLen * inner)
            for a in 0..<outer {
                for o in 0..<outLen {
                    let to = (a * outLen + o) * inner
                    for (i, w) in taps[o] where w != 0 {
                        let from = (a * inLen + i) * inner
                        for j in 0..<inner { next[to + j] += w * values[from + j] }
                    }
                }
            }
            values = next
            current[d] = outLen
        }
        if crop {
            let e = Double(s.extrapolation)
            var coord = [Int](repeating: 0, count: rank)
            for k in 0..<n {
                if (0..<rank).contains(where: { outside[$0][coord[$0]] }) { values[k] = e }
                advance(&coord, within: shape)
            }
        }
        return resizedArray(values, like: x, shape: shape)
    }
}
