import FreezerIR

/// How integer values of each ONNX type behave when held as Int64: wrap-around to the type's width, and
/// the float-to-integer conversion onnxruntime performs on x86-64.
enum IntegerSemantics {
    /// `v` reduced to `type`'s width with two's-complement wrap-around (uint64 stays a bit pattern).
    @inline(__always)
    static func wrap(_ v: Int64, _ type: ElementType) -> Int64 {
        switch type {
        case .int8: Int64(Int8(truncatingIfNeeded: v))
        case .uint8: v & 0xFF
        case .int16: Int64(Int16(truncatingIfNeeded: v))
        case .uint16: v & 0xFFFF
        case .int32: Int64(Int32(truncatingIfNeeded: v))
        case .uint32: v & 0xFFFF_FFFF
        case .bool: v & 1
        case .uint4: v & 0xF
        case .int4: (v & 0xF) >= 8 ? (v & 0xF) - 16 : v & 0xF
        case .uint2: v & 0x3
        case .int2: (v & 0x3) >= 2 ? (v & 0x3) - 4 : v & 0x3
        default: v
        }
    }

    /// Whether `type` needs `wrap` after Int64 arithmetic (int64 and uint64 wrap natively with `&+`).
    static func isNarrow(_ type: ElementType) -> Bool { type != .int64 && type != .uint64 }

    /// Wraps every value in place to `type`'s width.
    static func wrapAll(_ values: inout [Int64], _ type: ElementType) {
        guard isNarrow(type) else { return }
        values.withUnsafeMutableBufferPointer { p in
            for i in p.indices { p[i] = wrap(p[i], type) }
        }
    }

    /// Whether the Int64 values of `type` must be compared and divided as unsigned (only uint64: every
    /// narrower unsigned type is held as a non-negative Int64).
    static func isUnsigned64(_ type: ElementType) -> Bool { type == .uint64 }

    /// The value as Double (uint64 read as unsigned).
    @inline(__always)
    static func double(_ v: Int64, _ type: ElementType) -> Double {
        type == .uint64 ? Double(UInt64(bitPattern: v)) : Double(v)
    }

    /// The value as Float, rounded once (uint64 read as unsigned).
    @inline(__always)
    static func float(_ v: Int64, _ type: ElementType) -> Float {
        type == .uint64 ? Float(UInt64(bitPattern: v)) : Float(v)
    }

    // MARK: - Float to integer, as onnxruntime computes it on x86-64

    // ONNX leaves out-of-range float-to-integer conversion undefined. onnxruntime's `static_cast` compiles to
    // the SSE truncating conversions, whose out-of-range and NaN result is the "integer indefinite" value
    // (the type's minimum); narrower types convert through int32 and keep the low bits; unsigned 32/64-bit
    // types subtract 2^31/2^63 first for values at or above it. These functions reproduce that exactly so
    // that the reference agrees with onnxruntime even where the standard does not say what happens.

    /// SSE `cvttsd2si` to 32 bits: truncation, Int32.min when out of range or NaN.
    @inline(__always)
    static func cvtt32(_ x: Double) -> Int64 {
        x > -2_147_483_649.0 && x < 2_147_483_648.0 ? Int64(x) : Int64(Int32.min)
    }

    /// SSE `cvttsd2si` to 64 bits: truncation, Int64.min when out of range or NaN.
    @inline(__always)
    static func cvtt64(_ x: Double) -> Int64 {
        x >= -9_223_372_036_854_775_808.0 && x < 9_223_372_036_854_775_808.0 ? Int64(x) : Int64.min
    }

    /// A floating value converted to integer `type` (held as Int64) the way onnxruntime does on x86-64.
    @inline(__always)
    static func fromFloating(_ x: Double, _ type: ElementType) -> Int64 {
        switch type {
        case .int64: return cvtt64(x)
        case .uint64:
            if x >= 9_223_372_036_854_775_808.0 { return cvtt64(x - 9_223_372_036_854_775_808.0) ^ Int64.min }
            return cvtt64(x)
        case .uint32:
            if x >= 2_147_483_648.0 { return (cvtt32(x - 2_147_483_648.0) ^ 0x8000_0000) & 0xFFFF_FFFF }
            return cvtt32(x) & 0xFFFF_FFFF
        case .bool: return x != 0 || x.isNaN ? 1 : 0
        case .int4, .uint4, .int2, .uint2:
            // onnxruntime has no such SSE path; ONNX's reference (ml_dtypes) truncates and gives 0 out of range.
            guard let range = type.packedIntegerRange, x.isFinite else { return 0 }
            let t = x.rounded(.towardZero)
            return t >= Double(range.lowerBound) && t <= Double(range.upperBound) ? Int64(t) : 0
        default: return wrap(cvtt32(x), type)
        }
    }

    /// A float32 value converted to integer `type`. Float32 to 32-bit conversions use `cvttss2si`, which
    /// behaves as the Double form for every Float.
    @inline(__always)
    static func fromFloating(_ x: Float, _ type: ElementType) -> Int64 { fromFloating(Double(x), type) }
}
