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
            let x = try ctx.takeInput(0)
            // Spelled out: `ctx.attribute("min")?.floatValue.map(Double.init)` crashes the Swift 6.3
            // optimizer (SIL ownership verifier, "Found outside of lifetime use") in release builds.
            var lo: Double?, hi: Double?
            if let v = ctx.attribute("min")?.floatValue { lo = Double(v) }
            if let v = ctx.attribute("max")?.floatValue { hi = Double(v) }
            return [try clip(ctx, x, lo: lo, hi: hi, intsAllowed: false)]
        }
        r.register("Clip", versions: 11...Int64.max) { ctx in
            // Only the type is read here: holding `x` would keep its buffer shared (see `takeInput`).
            let type = try ctx.input(0).elementType
            func bound(_ k: Int, _ name: String) throws(EvaluationError) -> NDArray? {
                guard let b = ctx.optionalInput(k) else { return nil }
                guard b.count == 1 else { throw ctx.fail("'\(name)' (input \(k)) must be a scalar, got shape \(Broadcasting.text(b.shape))") }
                guard b.elementType == type else {
                    throw ctx.fail("'\(name)' (input \(k)) must have the input's element type \(type), got \(b.elementType)")
                }
                return b
            }
            let lo = try bound(1, "min"), hi = try bound(2, "max")
            guard NDArray.kind(of: type) == .int else {
                return [try clip(ctx, try ctx.takeInput(0), lo: lo.map { $0.asDoubles[0] }, hi: hi.map { $0.asDoubles[0] }, intsAllowed: false)]
            }
            guard ctx.opset >= 12 else { throw ctx.unsupported(type) }
            var out = try ctx.takeInput(0)
            let l = lo?.ints[0], h = hi?.ints[0]
            if type == .uint64 {
                let lu = l.map { UInt64(bitPattern: $0) }, hu = h.map { UInt64(bitPattern: $0) }
                _ = out.updateInts { v in
                    BroadcastMap.update(&v) { value in
                        var t = UInt64(bitPattern: value)
                        if let lu, lu > t { t = lu }
                        if let hu, hu < t { t = hu }
                        return Int64(bitPattern: t)
                    }
                }
            } else {
                _ = out.updateInts { v in
                    BroadcastMap.update(&v) { value in
                        var t = value
                        if let l, l > t { t = l }
                        if let h, h < t { t = h }
                        return t
                    }
                }
            }
            return [out]
        }
    }

    /// Writes into `x`'s buffer (taken from the node's inputs, so reused when this is its last reader).
    static func clip(_ ctx: KernelContext, _ x: consuming NDArray, lo: Double?, hi: Double?, intsAllowed: Bool) throws(EvaluationError) -> NDArray {
        var out = x
        let limit = Float(largestFinite(out.elementType))
        let l = lo.map { Float($0) } ?? -limit, h = hi.map { Float($0) } ?? limit
        let ld = lo ?? -Double.greatestFiniteMagnitude, hd = hi ?? Double.greatestFiniteMagnitude
        let done = out.updateFloats { v in
            BroadcastMap.update(&v) { value in
                let t = l > value ? l : value
                return h < t ? h : t
            }
        } || out.updateDoubles { v in
            BroadcastMap.update(&v) { value in
                let t = ld > value ? ld : value
                return hd < t ? hd : t
            }
        }
        guard done else { throw ctx.unsupported(out.elementType) }
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
