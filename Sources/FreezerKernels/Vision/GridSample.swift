import Foundation
import FreezerIR

extension VisionSignalOperators {
    /// GridSample (16, 20, 22): samples X [N, C, D1…Dr] at the normalized positions of grid
    /// [N, O1…Or, r] (innermost dimension first: x, y, z), giving [N, C, O1…Or].
    ///
    /// A normalized coordinate g maps to the pixel coordinate ((g + 1)/2)·(d − 1) with align_corners = 1,
    /// else ((g + 1)·d − 1)/2. Modes: nearest (round half to even), linear (N-linear) and cubic (N-cubic,
    /// Keys kernel with a = −0.75 over the 4 neighbours); opset 16 names them bilinear, nearest, bicubic and
    /// accepts only 4-D X. Padding: zeros (neighbours outside the image count 0), border (coordinates and
    /// neighbours clamped to the image; cubic clamps only the neighbours), reflection (reflected at the
    /// borders −0.5 and d − 0.5, or 0 and d − 1 with align_corners, until inside). Integer X is sampled
    /// in Double and truncated at the end.
    static func gridSample(_ ctx: KernelContext, legacyNames: Bool) throws(EvaluationError) -> [NDArray?] {
        let x = try ctx.input(0)
        let (grid, g) = try floatInput(ctx, 1, "grid")
        guard x.kind == .float || x.kind == .double || x.kind == .int else {
            throw ctx.unsupportedFeature("GridSample of \(x.elementType) data")
        }
        let r = x.rank - 2
        guard r >= 1, !(legacyNames && r != 2) else {
            throw ctx.fail("X must be [N, C, H, W]\(legacyNames ? "" : " or of higher rank") at opset \(ctx.opset), got \(text(x.shape))")
        }
        guard grid.rank == r + 2, grid.shape[0] == x.shape[0], grid.shape[r + 1] == r else {
            throw ctx.fail("grid must be [\(x.shape[0]), out dims…, \(r)] for X \(text(x.shape)), got \(text(grid.shape))")
        }
        let modeName = ctx.string("mode", default: legacyNames ? "bilinear" : "linear")
        let modes: [String: Int] = legacyNames ? ["nearest": 0, "bilinear": 1, "bicubic": 2] : ["nearest": 0, "linear": 1, "cubic": 2]
        guard let mode = modes[modeName] else { throw ctx.fail("mode '\(modeName)' is not one of \(modes.keys.sorted())") }
        let padding = ctx.string("padding_mode", default: "zeros")
        guard ["zeros", "border", "reflection"].contains(padding) else { throw ctx.fail("padding_mode '\(padding)' is not zeros, border or reflection") }
        let alignCorners = ctx.int("align_corners", default: 0) != 0

        let n = x.shape[0], channels = x.shape[1], dims = Array(x.shape[2...])
        let outDims = Array(grid.shape[1...r])
        let positions = outDims.reduce(1, *), plane = dims.reduce(1, *)
        let strides = NDArray.strides(of: dims)
        let values = x.asDoubles
        let shape = [n, channels] + outDims
        var out = [Double](repeating: 0, count: try IndexInputs.count(shape, ctx, "output"))
        let sampler = GridSampler(mode: mode, padding: padding, alignCorners: alignCorners)
        var taps: [[(Int, Double)]] = Array(repeating: [], count: r)
        for b in 0..<n {
            for p in 0..<positions {
                for i in 0..<r {
                    let normalized = g[(b * positions + p) * r + (r - 1 - i)]
                    taps[i] = sampler.taps(normalized, size: dims[i])
                }
                // The tensor product of the per-dimension taps, as (offset in the plane, weight).
                var combined: [(Int, Double)] = [(0, 1)]
                for i in 0..<r {
                    var next: [(Int, Double)] = []
                    for (o, w) in combined {
                        for (index, v) in taps[i] where index >= 0 { next.append((o + index * strides[i], w * v)) }
                    }
                    combined = next
                }
                for c in 0..<channels {
                    let base = (b * channels + c) * plane
                    var sum = 0.0
                    for (o, w) in combined { sum += w * values[base + o] }
                    out[(b * channels + c) * positions + p] = sum
                }
            }
        }
        if x.kind == .int {
            let ints = out.map { v -> Int64 in
                guard v.isFinite, let i = Int64(exactly: v.rounded(.towardZero)) else { return 0 }
                return IntegerWrap.wrap(i, x.elementType)
            }
            return [NDArray(ints: ints, shape: shape, type: x.elementType)]
        }
        return [result(out, shape: shape, like: x)]
    }
}

/// The neighbours and weights GridSample reads along one dimension.
struct GridSampler {
    /// 0 nearest, 1 linear, 2 cubic.
    let mode: Int
    let padding: String
    let alignCorners: Bool

    /// (index, weight) pairs for normalized coordinate `g` along a dimension of `size`; index −1 reads 0.
    func taps(_ g: Double, size d: Int) -> [(Int, Double)] {
        let lo = alignCorners ? 0 : -0.5, hi = alignCorners ? Double(d - 1) : Double(d) - 0.5
        var v = alignCorners ? (g + 1) / 2 * Double(d - 1) : ((g + 1) * Double(d) - 1) / 2
        if mode == 0 { v = v.rounded(.toNearestOrEven) }
        if v < lo || v > hi {
            // Cubic border padding clamps each neighbour, not the coordinate (as onnxruntime and PyTorch
            // do; the ONNX reference also clamps the coordinate, which no ONNX test exercises).
            if padding == "border" && mode != 2 { v = min(max(v, 0), Double(d - 1)) }
            else if padding == "reflection" { v = reflect(v, lo, hi) }
        }
        guard v.isFinite, abs(v) < 1e15 else { return [(pixel(0, d, lo, hi, outside: true), 0)] }
        if mode == 0 { return [(pixel(Int(v), d, lo, hi), 1)] }
        let f = v.rounded(.down), t = v - f, i0 = Int(f)
        if mode == 1 { return [(pixel(i0, d, lo, hi), 1 - t), (pixel(i0 + 1, d, lo, hi), t)] }
        let c = GridSampler.cubicCoefficients(t, a: -0.75)
        return (0..<4).map { (pixel(i0 - 1 + $0, d, lo, hi), c[$0]) }
    }

    /// The index read for integer position `i` (−1: a zero of the zeros padding).
    private func pixel(_ i: Int, _ d: Int, _ lo: Double, _ hi: Double, outside: Bool = false) -> Int {
        switch padding {
        case "zeros": return !outside && i >= 0 && i < d ? i : -1
        case "border": return min(max(i, 0), d - 1)
        default: return min(max(Int(reflect(Double(i), lo, hi)), 0), d - 1)
        }
    }

    /// `v` reflected at `lo` and `hi` until it lies between them.
    func reflect(_ v: Double, _ lo: Double, _ hi: Double) -> Double {
        let range = hi - lo
        guard range > 0 else { return max(lo, 0) }
        if v < lo {
            let dx = lo - v, k = (dx / range).rounded(.towardZero), rest = dx - k * range
            return k.truncatingRemainder(dividingBy: 2) == 0 ? lo + rest : hi - rest
        }
        if v > hi {
            let dx = v - hi, k = (dx / range).rounded(.towardZero), rest = dx - k * range
            return k.truncatingRemainder(dividingBy: 2) == 0 ? hi - rest : lo + rest
        }
        return v
    }

    /// Keys cubic convolution weights of the neighbours at distances 1 + t, t, 1 − t, 2 − t.
    static func cubicCoefficients(_ t: Double, a: Double) -> [Double] {
        func near(_ x: Double) -> Double { ((a + 2) * x - (a + 3)) * x * x + 1 }
        func far(_ x: Double) -> Double { ((a * x - 5 * a) * x + 8 * a) * x - 4 * a }
        return [far(1 + t), near(t), near(1 - t), far(2 - t)]
    }
}
