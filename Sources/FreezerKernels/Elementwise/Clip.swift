import FreezerIR

/// Clip: bounds from the `min`/`max` attributes (opsets 1–10) or from optional one-element inputs 1 and 2
/// (opset 11+; integer types from opset 12).
///
/// Computed as `min(max(x, lo), hi)` with onnxruntime's NaN behaviour: a NaN input stays NaN, a NaN bound
/// is ignored, and when lo > hi every value becomes hi. An absent bound is the type's lowest/greatest
/// finite value (as the standard and onnxruntime say), so infinities are clipped to the finite range.
enum Clip {
    static func register(_ r: inout KernelRegistry) {
        r.register("Clip", versions: 1...10) { ctx in
            let x = try ctx.input(0)
            // Spelled out: `ctx.attribute("min")?.floatValue.map(Double.init)` crashes the Swift 6.3
            // optimizer (SIL ownership verifier, "Found outside of lifetime use") in release builds.
            var lo: Double?, hi: Double?
            if let v = ctx.attribute("min")?.floatValue { lo = Double(v) }
            if let v = ctx.attribute("max")?.floatValue { hi = Double(v) }
            return [try clip(ctx, x, lo: lo, hi: hi, intsAllowed: false)]
        }
        r.register("Clip", versions: 11...Int64.max) { ctx in
            let x = try ctx.input(0)
            func bound(_ k: Int, _ name: String) throws(EvaluationError) -> NDArray? {
                guard let b = ctx.optionalInput(k) else { return nil }
                guard b.count == 1 else { throw ctx.fail("'\(name)' (input \(k)) must be a scalar, got shape \(Broadcasting.text(b.shape))") }
                guard b.elementType == x.elementType else {
                    throw ctx.fail("'\(name)' (input \(k)) must have the input's element type \(x.elementType), got \(b.elementType)")
                }
                return b
            }
            let lo = try bound(1, "min"), hi = try bound(2, "max")
            let intsAllowed = ctx.opset >= 12
            switch x.storage {
            case .int(let v) where intsAllowed:
                let l = lo?.ints[0], h = hi?.ints[0]
                var out = x
                if x.elementType == .uint64 {
                    let lu = l.map { UInt64(bitPattern: $0) }, hu = h.map { UInt64(bitPattern: $0) }
                    out.storage = .int(BroadcastMap.unary(v) { value in
                        var t = UInt64(bitPattern: value)
                        if let lu, lu > t { t = lu }
                        if let hu, hu < t { t = hu }
                        return Int64(bitPattern: t)
                    })
                } else {
                    out.storage = .int(BroadcastMap.unary(v) { value in
                        var t = value
                        if let l, l > t { t = l }
                        if let h, h < t { t = h }
                        return t
                    })
                }
                return [out]
            default:
                return [try clip(ctx, x, lo: lo.map { $0.asDoubles[0] }, hi: hi.map { $0.asDoubles[0] }, intsAllowed: false)]
            }
        }
    }

    /// Clips a floating input to optional bounds given as Double (exact for every float32/float16 bound).
    static func clip(_ ctx: KernelContext, _ x: NDArray, lo: Double?, hi: Double?, intsAllowed: Bool) throws(EvaluationError) -> NDArray {
        var out = x
        switch x.storage {
        case .float(let v):
            let limit = Float(largestFinite(x.elementType))
            let l = lo.map { Float($0) } ?? -limit, h = hi.map { Float($0) } ?? limit
            out.storage = .float(BroadcastMap.unary(v) { value in
                let t = l > value ? l : value
                return h < t ? h : t
            })
        case .double(let v):
            let l = lo ?? -Double.greatestFiniteMagnitude, h = hi ?? Double.greatestFiniteMagnitude
            out.storage = .double(BroadcastMap.unary(v) { value in
                let t = l > value ? l : value
                return h < t ? h : t
            })
        default:
            throw ctx.unsupported(x.elementType)
        }
        return out
    }

    /// The greatest finite value of a floating type held as Float.
    static func largestFinite(_ type: ElementType) -> Double {
        switch type {
        case .float16: 65504
        case .bfloat16: Double(HalfPrecision.float(fromBFloat16: 0x7F7F))
        default: Double(Float.greatestFiniteMagnitude)
        }
    }
}
