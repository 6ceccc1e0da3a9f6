import FreezerIR

/// Resize (opsets 10, 11, 13, 18, 19) and Upsample (7, 9): nearest and n-linear resampling.
///
/// Coordinates are computed in Float with onnxruntime's formulas and operation order, so that nearest
/// neighbours and interpolation weights are the ones onnxruntime picks; interpolated sums accumulate in
/// Double. Upsample and Resize-10 use onnxruntime's legacy rules: asymmetric coordinates, and nearest
/// index = truncation when upsampling, ceiling when downsampling. Cubic mode (cubic_coeff_a,
/// exclude_outside) and antialiased linear/cubic downsampling are computed by `resampleFiltered`
/// (Resize+Filters.swift).
/// Where onnxruntime departs from the ONNX specification this follows the specification (and the ONNX
/// reference implementation): an output of the input's shape is still resampled with the given scales
/// (onnxruntime copies the input), and tf_crop_and_resize maps coordinates by the formula for every shape.
/// align_corners uses the integer output length, as onnxruntime does (the ONNX reference implementation
/// uses scale * input length, which differs when downsampling by a scale whose product is not whole).
extension TensorOperators {
    /// How output coordinates map to input coordinates and how neighbours are picked.
    struct ResizeSettings {
        var linear: Bool
        var coordinate: String
        /// ONNX nearest_mode, or "legacy" for Upsample and Resize-10.
        var nearestMode: String
        var extrapolation: Float
    }

    static func registerResize(_ r: inout KernelRegistry) {
        r.register("Upsample", versions: 7...8) { ctx in
            guard let scales = ctx.floats("scales") else { throw ctx.fail("attribute 'scales' is required") }
            return [try legacyResize(ctx, scales: scales, upsample: true)]
        }
        // Upsample-10 only deprecates the operator; its semantics are those of 9.
        r.register("Upsample", versions: 9...10) { ctx in
            [try legacyResize(ctx, scales: try floatValues(ctx, 1, "scales"), upsample: true)]
        }
        r.register("Resize", versions: 10...10) { ctx in
            [try legacyResize(ctx, scales: try floatValues(ctx, 1, "scales"), upsample: false)]
        }
        r.register("Resize", versions: 11...Int64.max) { ctx in [try resize(ctx)] }
    }

    /// The values of a floating-point input as Float.
    private static func floatValues(_ ctx: KernelContext, _ i: Int, _ name: String) throws(EvaluationError) -> [Float] {
        let a = try ctx.input(i)
        switch a.storage {
        case .float(let v): return v
        case .double(let v): return v.map { Float($0) }
        default: throw ctx.fail("input '\(name)' must be a floating-point tensor, got \(a.elementType)")
        }
    }

    /// Upsample-7/9 and Resize-10: one scale per axis, output size floor(scale * size).
    static func legacyResize(_ ctx: KernelContext, scales: [Float], upsample: Bool) throws(EvaluationError) -> NDArray {
        let x = try ctx.input(0)
        let mode = ctx.string("mode", default: "nearest")
        guard mode == "nearest" || mode == "linear" || (upsample && mode == "bilinear" && ctx.opset < 9) else {
            throw ctx.fail("attribute 'mode' '\(mode)' is not supported (nearest or linear)")
        }
        guard scales.count == x.rank else { throw ctx.fail("'scales' has \(scales.count) values for input shape \(x.shape)") }
        var shape: [Int] = []
        for (s, n) in zip(scales, x.shape) {
            guard s.isFinite, s > 0, !(upsample && s < 1) else {
                throw ctx.fail("'scales' \(scales) must be finite and positive\(upsample ? ", and at least 1 for Upsample" : "")")
            }
            shape.append(try outputSize(ctx, s * Float(n)))
        }
        let settings = ResizeSettings(linear: mode != "nearest", coordinate: "asymmetric", nearestMode: "legacy", extrapolation: 0)
        return try resample(ctx, x, shape: shape, scales: scales, roi: nil, settings)
    }

    private static func outputSize(_ ctx: KernelContext, _ v: Float) throws(EvaluationError) -> Int {
        guard v.isFinite, v >= 0, v <= Float(IndexInputs.maxElements) else { throw ctx.fail("output size \(v) is invalid") }
        return Int(v)  // truncation, as onnxruntime's static_cast<int64_t>
    }

    /// Resize-11 and later: roi, scales or sizes inputs; axes and keep_aspect_ratio_policy from 18.
    static func resize(_ ctx: KernelContext) throws(EvaluationError) -> NDArray {
        let x = try ctx.input(0)
        let opset = ctx.opset
        let mode = ctx.string("mode", default: "nearest")
        guard mode == "nearest" || mode == "linear" || mode == "cubic" else {
            throw ctx.fail("attribute 'mode' '\(mode)' is not one of nearest, linear, cubic")
        }
        var coordinates = ["half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric", "tf_crop_and_resize"]
        if opset < 13 { coordinates.append("tf_half_pixel_for_nn") }
        if opset >= 19 { coordinates.append("half_pixel_symmetric") }
        let coordinate = ctx.string("coordinate_transformation_mode", default: "half_pixel")
        guard coordinates.contains(coordinate) else {
            throw ctx.fail("coordinate_transformation_mode '\(coordinate)' is not valid at opset \(opset) (valid: \(coordinates.joined(separator: ", ")))")
        }
        let nearestMode = ctx.string("nearest_mode", default: "round_prefer_floor")
        guard ["round_prefer_floor", "round_prefer_ceil", "floor", "ceil"].contains(nearestMode) else {
            throw ctx.fail("nearest_mode '\(nearestMode)' is not one of round_prefer_floor, round_prefer_ceil, floor, ceil")
        }
        let axes = opset >= 18 ? try IndexInputs.axes(ctx.ints("axes") ?? (0..<Int64(x.rank)).map { $0 }, rank: x.rank, ctx)
                               : Array(0..<x.rank)

        // Empty scales/sizes inputs count as absent (opset 11 requires a scales input even with sizes).
        let scalesInput = ctx.optionalInput(2).flatMap { $0.count > 0 ? $0 : nil }
        let sizesInput = ctx.optionalInput(3).flatMap { $0.count > 0 ? $0 : nil }
        guard (scalesInput == nil) != (sizesInput == nil) else {
            throw ctx.fail("exactly one of the inputs 'scales' and 'sizes' must be given (non-empty)")
        }
        var scales = [Float](repeating: 1, count: x.rank)
        var shape = x.shape
        if scalesInput != nil {
            let given = try floatValues(ctx, 2, "scales")
            guard given.count == axes.count else { throw ctx.fail("'scales' has \(given.count) values; expected \(axes.count) for input shape \(x.shape)") }
            for (k, a) in axes.enumerated() {
                guard given[k].isFinite, given[k] > 0 else { throw ctx.fail("'scales' \(given) must be finite and positive") }
                scales[a] = given[k]
                shape[a] = try outputSize(ctx, given[k] * Float(x.shape[a]))
            }
        } else {
            let given = try IndexInputs.ints(ctx, 3, "sizes")
            guard given.count == axes.count else { throw ctx.fail("'sizes' has \(given.count) values; expected \(axes.count) for input shape \(x.shape)") }
            for (k, a) in axes.enumerated() {
                shape[a] = try IndexInputs.dimension(given[k], ctx, "'sizes' value")
                guard x.shape[a] > 0 || shape[a] == 0 else { throw ctx.fail("cannot resize axis \(a) of size 0 to \(shape[a])") }
                scales[a] = x.shape[a] == 0 ? 1 : Float(shape[a]) / Float(x.shape[a])
            }
            let policy = opset >= 18 ? ctx.string("keep_aspect_ratio_policy", default: "stretch") : "stretch"
            switch policy {
            case "stretch": break
            case "not_larger", "not_smaller":
                var common = policy == "not_larger" ? Float.greatestFiniteMagnitude : -Float.greatestFiniteMagnitude
                for a in axes { common = policy == "not_larger" ? min(common, scales[a]) : max(common, scales[a]) }
                for a in axes {
                    scales[a] = common
                    shape[a] = try outputSize(ctx, (common * Float(x.shape[a])).rounded())
                }
            default:
                throw ctx.fail("keep_aspect_ratio_policy '\(policy)' is not one of stretch, not_larger, not_smaller")
            }
        }
        // Antialiasing only changes linear and cubic downsampling (nearest ignores it, as onnxruntime does).
        let antialias = opset >= 18 && ctx.int("antialias", default: 0) != 0 && mode != "nearest"
            && axes.contains(where: { scales[$0] < 1 })
        var roi: [Float]?
        if coordinate == "tf_crop_and_resize" {
            guard let r = ctx.optionalInput(1), r.count > 0 else { throw ctx.fail("coordinate_transformation_mode tf_crop_and_resize needs the 'roi' input") }
            let given = try floatValues(ctx, 1, "roi")
            guard given.count == 2 * axes.count else { throw ctx.fail("'roi' has \(given.count) values; expected \(2 * axes.count)") }
            var full = [Float](repeating: 0, count: x.rank) + [Float](repeating: 1, count: x.rank)
            for (k, a) in axes.enumerated() {
                full[a] = given[k]
                full[x.rank + a] = given[axes.count + k]
            }
            roi = full
        }
        let settings = ResizeSettings(linear: mode == "linear", coordinate: coordinate, nearestMode: nearestMode,
                                      extrapolation: ctx.float("extrapolation_value", default: 0))
        if mode == "cubic" || antialias {
            let filter = ResizeFilter(cubic: mode == "cubic", antialias: antialias,
                                      cubicA: Double(ctx.float("cubic_coeff_a", default: -0.75)),
                                      excludeOutside: ctx.int("exclude_outside", default: 0) != 0)
            return try resampleFiltered(ctx, x, shape: shape, scales: scales, roi: roi, settings, filter)
        }
        return try resample(ctx, x, shape: shape, scales: scales, roi: roi, settings)
    }

    /// The input coordinate of output coordinate `o` along one axis (onnxruntime's formulas, in Float).
    @inline(__always)
    static func originalCoordinate(_ o: Float, scale: Float, outLength: Float, inLength: Float,
                                   roiStart: Float, roiEnd: Float, mode: String) -> Float {
        switch mode {
        case "asymmetric": return o / scale
        case "pytorch_half_pixel": return outLength > 1 ? (o + 0.5) / scale - 0.5 : 0
        case "tf_half_pixel_for_nn": return (o + 0.5) / scale
        case "align_corners": return outLength == 1 ? 0 : o * (inLength - 1) / (outLength - 1)
        case "tf_crop_and_resize":
            if outLength > 1 { return roiStart * (inLength - 1) + (o * (roiEnd - roiStart) * (inLength - 1)) / (outLength - 1) }
            return Float(0.5 * Double(roiStart + roiEnd) * Double(inLength - 1))
        case "half_pixel_symmetric":
            let adjustment = outLength / (scale * inLength)
            let center = inLength / 2
            let offset = center * (1 - adjustment)
            return offset + (o + 0.5) / scale - 0.5
        default: return (o + 0.5) / scale - 0.5
        }
    }

    /// Resamples `x` to `shape` with per-axis `scales` (output/input) and, for tf_crop_and_resize, `roi`.
    static func resample(_ ctx: KernelContext, _ x: NDArray, shape: [Int], scales: [Float], roi: [Float]?,
                         _ s: ResizeSettings) throws(EvaluationError) -> NDArray {
        let rank = x.rank
        let n = try IndexInputs.count(shape, ctx, "output")
        let strides = x.strides
        let crop = s.coordinate == "tf_crop_and_resize"
        // Per axis and output coordinate: first neighbour, second neighbour, their weights, and whether the
        // coordinate falls outside the input (tf_crop_and_resize extrapolation).
        var first: [[Int]] = [], second: [[Int]] = [], w0: [[Float]] = [], w1: [[Float]] = [], outside: [[Bool]] = []
        for d in 0..<rank {
            let inLen = x.shape[d], outLen = shape[d]
            guard inLen > 0 || outLen == 0 else { throw ctx.fail("cannot resize axis \(d) of size 0 to \(outLen)") }
            var f = [Int](repeating: 0, count: outLen), g = f
            var a = [Float](repeating: 1, count: outLen), b = [Float](repeating: 0, count: outLen)
            var out = [Bool](repeating: false, count: outLen)
            let last = Float(inLen - 1)
            for o in 0..<outLen {
                let c = originalCoordinate(Float(o), scale: scales[d], outLength: Float(outLen), inLength: Float(inLen),
                                           roiStart: roi?[d] ?? 0, roiEnd: roi?[rank + d] ?? 1, mode: s.coordinate)
                guard !c.isNaN else { throw ctx.fail("resize coordinate on axis \(d) is not a number (scales \(scales))") }
                if crop && (c < 0 || c > last) { out[o] = true; continue }
                if s.linear {
                    let cc = max(0, min(c, last))
                    let i1 = min(Int(cc), inLen - 1), i2 = min(i1 + 1, inLen - 1)
                    f[o] = i1 * strides[d]
                    g[o] = i2 * strides[d]
                    if i1 != i2 { a[o] = abs(cc - Float(i2)); b[o] = abs(cc - Float(i1)) }
                } else {
                    let cc = max(-1, min(c, Float(inLen)))
                    var i: Int
                    switch s.nearestMode {
                    case "legacy": i = scales[d] < 1 ? Int(cc.rounded(.up)) : Int(cc)
                    case "round_prefer_ceil": i = Int(cc.rounded())
                    case "floor": i = Int(cc.rounded(.down))
                    case "ceil": i = Int(cc.rounded(.up))
                    default: i = cc == Float(Int(cc)) + 0.5 ? Int(cc.rounded(.down)) : Int(cc.rounded())
                    }
                    f[o] = min(max(i, 0), inLen - 1) * strides[d]
                }
            }
            first.append(f); second.append(g); w0.append(a); w1.append(b); outside.append(out)
        }
        let e = Double(s.extrapolation)
        let fill = NDArray.filled(x.kind == .int && !(e.isFinite && abs(e) < 9e18) ? 0 : e, shape: [], type: x.elementType)
        if !s.linear {
            let offsets = (0..<rank).map { d in zip(first[d], outside[d]).map { $1 ? TensorLayout.outside : $0 } }
            return TensorLayout.take(x, TensorLayout.positions(shape: shape, offsets: offsets), shape: shape, fill: fill)
        }
        guard x.kind == .float || x.kind == .double || x.kind == .int else { throw ctx.fail("linear Resize does not accept \(x.elementType)") }
        let values = x.asDoubles
        let interpolated = (0..<rank).filter { d in w1[d].contains { $0 != 0 } }
        let corners = 1 << interpolated.count
        var result = [Double](repeating: Double(s.extrapolation), count: n)
        var coord = [Int](repeating: 0, count: rank)
        for k in 0..<n {
            var base = 0, isOutside = false
            for d in 0..<rank {
                base += first[d][coord[d]]
                isOutside = isOutside || outside[d][coord[d]]
            }
            if !isOutside {
                var sum = 0.0
                for corner in 0..<corners {
                    var w = 1.0, at = base
                    for (bit, d) in interpolated.enumerated() {
                        let o = coord[d]
                        if corner & (1 << bit) != 0 {
                            w *= Double(w1[d][o])
                            at += second[d][o] - first[d][o]
                        } else {
                            w *= Double(w0[d][o])
                        }
                    }
                    if w != 0 { sum += w * values[at] }
                }
                result[k] = sum
            }
            advance(&coord, within: shape)
        }
        return resizedArray(result, like: x, shape: shape)
    }

    /// The next coordinate in row-major order (the last axis fastest), wrapping to all zeros after the last.
    static func advance(_ coord: inout [Int], within shape: [Int]) {
        var d = shape.count - 1
        while d >= 0 {
            coord[d] += 1
            if coord[d] < shape[d] { return }
            coord[d] = 0
            d -= 1
        }
    }

    /// Interpolated values (computed in Double) in `x`'s element type. Integer images: onnxruntime casts the
    /// interpolated value, truncating toward zero.
    static func resizedArray(_ values: [Double], like x: NDArray, shape: [Int]) -> NDArray {
        switch x.storage {
        case .float: return NDArray(elementType: x.elementType, shape: shape, storage: .float(values.map { Float($0) }))
        case .double: return NDArray(doubles: values, shape: shape)
        default:
            let ints = values.map { IntegerWrap.wrap($0.isFinite ? Int64(clamping: Int64(exactly: $0.rounded(.towardZero)) ?? 0) : 0, x.elementType) }
            return NDArray(ints: ints, shape: shape, type: x.elementType)
        }
    }
}
