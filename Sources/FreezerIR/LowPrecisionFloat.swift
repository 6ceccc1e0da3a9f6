/// Bit-exact conversions for the 8-bit and 4-bit floating-point formats of ONNX: float8e4m3fn,
/// float8e4m3fnuz, float8e5m2, float8e5m2fnuz (IR 9) and float4e2m1 (IR 11).
///
/// Decoding is exact (every value is a Float). Encoding rounds once to nearest even, from Double, on the
/// format's own grid, and then applies the Cast rules of ONNX for values beyond the largest finite value:
/// with `saturate` they become ±largest finite (±infinity too), without it they become infinity where the
/// format has one (e5m2) and NaN otherwise. NaN stays NaN; the fnuz formats have no negative zero (-0
/// encodes as +0) and one NaN, 0x80. float4e2m1 has neither infinity nor NaN: it always saturates and
/// NaN becomes zero, as ONNX's reference (ml_dtypes) gives.
public struct MiniFloat: Sendable, Equatable {
    public let exponentBits: Int
    public let mantissaBits: Int
    public let bias: Int
    public let specials: Specials
    /// The largest finite value.
    public let largestFinite: Double

    /// How a format spends its bit patterns on infinity, NaN and negative zero.
    public enum Specials: Sendable, Equatable {
        /// IEEE-like: all-ones exponent is infinity (mantissa 0) or NaN (e5m2).
        case ieee
        /// No infinity; only all-ones exponent and mantissa is NaN (e4m3fn).
        case nanOnlyAllOnes
        /// No infinity, no negative zero; the negative-zero pattern 0x80 is the only NaN (the fnuz formats).
        case unsignedZero
        /// Neither infinity nor NaN (float4e2m1).
        case finiteOnly
    }

    public static let e4m3fn = MiniFloat(exponentBits: 4, mantissaBits: 3, bias: 7, specials: .nanOnlyAllOnes, largestFinite: 448)
    public static let e4m3fnuz = MiniFloat(exponentBits: 4, mantissaBits: 3, bias: 8, specials: .unsignedZero, largestFinite: 240)
    public static let e5m2 = MiniFloat(exponentBits: 5, mantissaBits: 2, bias: 15, specials: .ieee, largestFinite: 57344)
    public static let e5m2fnuz = MiniFloat(exponentBits: 5, mantissaBits: 2, bias: 16, specials: .unsignedZero, largestFinite: 57344)
    public static let e2m1 = MiniFloat(exponentBits: 2, mantissaBits: 1, bias: 1, specials: .finiteOnly, largestFinite: 6)

    /// The format of `type`, or nil when it is not one of these five (float8e8m0 is `Float8E8M0`).
    public static func format(of type: ElementType) -> MiniFloat? {
        switch type {
        case .float8e4m3fn: .e4m3fn
        case .float8e4m3fnuz: .e4m3fnuz
        case .float8e5m2: .e5m2
        case .float8e5m2fnuz: .e5m2fnuz
        case .float4e2m1: .e2m1
        default: nil
        }
    }

    private var signBit: UInt8 { UInt8(1) << UInt8(exponentBits + mantissaBits) }
    private var exponentMask: UInt8 { UInt8((1 << exponentBits) - 1) }
    private var mantissaMask: UInt8 { UInt8((1 << mantissaBits) - 1) }
    /// Exponent of the smallest normal value: `1 - bias`.
    private var minimumExponent: Int { 1 - bias }

    /// The value of `bits` (the low 1 + exponent + mantissa bits); exact.
    public func decode(_ bits: UInt8) -> Float {
        let negative = bits & signBit != 0
        let exponent = (bits >> UInt8(mantissaBits)) & exponentMask
        let mantissa = bits & mantissaMask
        switch specials {
        case .unsignedZero where negative && exponent == 0 && mantissa == 0: return .nan
        case .nanOnlyAllOnes where exponent == exponentMask && mantissa == mantissaMask: return negative ? -.nan : .nan
        case .ieee where exponent == exponentMask:
            if mantissa != 0 { return negative ? -.nan : .nan }
            return negative ? -.infinity : .infinity
        default: break
        }
        let magnitude: Float = exponent == 0
            // Subnormal: mantissa × 2^(1 - bias - mantissaBits).
            ? Float(mantissa) * Float(sign: .plus, exponent: minimumExponent - mantissaBits, significand: 1)
            : Float(Int(mantissa) + (1 << mantissaBits)) * Float(sign: .plus, exponent: Int(exponent) - bias - mantissaBits, significand: 1)
        return negative ? -magnitude : magnitude
    }

    /// `x` rounded once to nearest even on the format's grid, as bits (see the type's doc for the rules
    /// beyond the finite range).
    public func encode(_ x: Double, saturate: Bool) -> UInt8 {
        let sign: UInt8 = x.sign == .minus ? signBit : 0
        if x.isNaN {
            switch specials {
            case .ieee: return sign | exponentMask << UInt8(mantissaBits) | 1 << UInt8(mantissaBits - 1)
            case .nanOnlyAllOnes: return sign | exponentMask << UInt8(mantissaBits) | mantissaMask
            case .unsignedZero: return 0x80
            case .finiteOnly: return 0
            }
        }
        let a = abs(x)
        // The quantum is 2^(e - mantissaBits) with e the value's exponent, never below the smallest
        // normal exponent (subnormals share its quantum); dividing and multiplying by it is exact.
        let rounded: Double
        if a.isInfinite {
            rounded = .infinity
        } else if a == 0 {
            rounded = 0
        } else {
            let e = max(Int(a.exponent), minimumExponent)
            let quantum = Double(sign: .plus, exponent: e - mantissaBits, significand: 1)
            rounded = (a / quantum).rounded(.toNearestOrEven) * quantum
        }
        if rounded > largestFinite {
            if saturate || specials == .finiteOnly { return sign | bits(ofFinite: largestFinite) }
            switch specials {
            case .ieee: return sign | exponentMask << UInt8(mantissaBits)
            case .nanOnlyAllOnes: return sign | exponentMask << UInt8(mantissaBits) | mantissaMask
            default: return 0x80
            }
        }
        if rounded == 0 { return specials == .unsignedZero ? 0 : sign }
        return sign | bits(ofFinite: rounded)
    }

    /// Bits of a positive value on the grid, not above the largest finite value.
    private func bits(ofFinite v: Double) -> UInt8 {
        let e = Int(v.exponent)
        if e < minimumExponent {
            let mantissa = v / Double(sign: .plus, exponent: minimumExponent - mantissaBits, significand: 1)
            return UInt8(mantissa)
        }
        let mantissa = (v / Double(sign: .plus, exponent: e, significand: 1) - 1) * Double(1 << mantissaBits)
        return UInt8(e + bias) << UInt8(mantissaBits) | UInt8(mantissa)
    }

    /// `x` rounded to the format and widened back (exact).
    public func rounded(_ x: Double, saturate: Bool) -> Float { decode(encode(x, saturate: saturate)) }
}

/// float8e8m0 (IR 11, the shared scale of the microscaling formats): 8 exponent bits, no sign, no
/// mantissa, bias 127. Bits `e` stand for 2^(e - 127); 0xFF is NaN; there is no zero and no infinity.
public enum Float8E8M0 {
    /// Rounding of a value between two powers of two (Cast's `round_mode`).
    public enum RoundMode: String, Sendable {
        /// To the larger power of two (away from zero); ONNX's default.
        case up
        /// To the smaller power of two (toward zero).
        case down
        /// To the nearer power of two by value, ties to the larger.
        case nearest
    }

    public static let nanBits: UInt8 = 0xFF
    /// E8M0_MAX = 2^127.
    public static let largestBits: UInt8 = 0xFE

    /// The value of `bits`; exact (2^-127 is a Float subnormal).
    public static func decode(_ bits: UInt8) -> Float {
        bits == nanBits ? .nan : Float(sign: .plus, exponent: Int(bits) - 127, significand: 1)
    }

    /// `x` as float8e8m0 bits, following the Cast table of ONNX: NaN stays NaN; with `saturate`,
    /// infinity and values above 2^127 after rounding give E8M0_MAX and values below 2^-127 (zero too)
    /// give E8M0_MIN; without it they are NaN. Negative values are unspecified by ONNX: their magnitude is
    /// converted, as ONNX's reference does.
    public static func encode(_ x: Double, saturate: Bool, roundMode: RoundMode) -> UInt8 {
        if x.isNaN { return nanBits }
        let a = abs(x)
        if a.isInfinite { return saturate ? largestBits : nanBits }
        guard a >= 0x1p-127 else { return saturate ? 0 : nanBits }
        let k = Int(a.exponent)
        let fraction = a / Double(sign: .plus, exponent: k, significand: 1) - 1 // in [0, 1), exact
        let up: Bool
        switch roundMode {
        case .up: up = fraction > 0
        case .down: up = false
        case .nearest: up = fraction >= 0.5 // 2^k·1.5 is halfway between 2^k and 2^(k+1)
        }
        let code = k + 127 + (up ? 1 : 0)
        if code > Int(largestBits) { return saturate ? largestBits : nanBits }
        return UInt8(code)
    }
}
