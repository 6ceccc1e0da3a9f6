/// Bit-exact conversions for float16 and bfloat16, independent of platform `Float16` support.
public enum HalfPrecision {
    /// IEEE binary16 bits to Float; exact.
    public static func float(fromHalf h: UInt16) -> Float {
        let sign = UInt32(h & 0x8000) << 16
        let exp = Int((h >> 10) & 0x1F)
        let mant = UInt32(h & 0x3FF)
        if exp == 0 {
            // Zero or subnormal: value = mant * 2^-24.
            let v = Float(mant) * Float(bitPattern: 0x3380_0000)
            return sign != 0 ? -v : v
        }
        if exp == 31 { return Float(bitPattern: sign | 0x7F80_0000 | (mant << 13)) }
        return Float(bitPattern: sign | UInt32(exp + 112) << 23 | mant << 13)
    }

    /// Double to IEEE binary16 bits, rounded once to nearest even (overflow gives infinity).
    public static func half(fromDouble d: Double) -> UInt16 {
        if d.isNaN { return 0x7E00 }
        let sign: UInt16 = d.sign == .minus ? 0x8000 : 0
        let a = abs(d)
        if a >= 65520 { return sign | 0x7C00 } // rounds to infinity
        if a < 0x1p-14 {
            // Subnormal range: quantum 2^-24.
            let q = (a * 0x1p24).rounded(.toNearestOrEven)
            return sign | UInt16(q)
        }
        let e = Int(a.exponent)
        let scaled = (a / Double(sign: .plus, exponent: e, significand: 1) - 1) * 1024
        var m = scaled.rounded(.toNearestOrEven)
        var exp = e + 15
        if m >= 1024 { m = 0; exp += 1 }
        if exp >= 31 { return sign | 0x7C00 }
        return sign | UInt16(exp) << 10 | UInt16(m)
    }

    public static func float(fromBFloat16 b: UInt16) -> Float { Float(bitPattern: UInt32(b) << 16) }

    /// Double to bfloat16 bits, rounded once to nearest even.
    public static func bfloat16(fromDouble d: Double) -> UInt16 {
        if d.isNaN { return 0x7FC0 }
        // Round Double -> bfloat16 directly (not via Float) so there is a single rounding.
        if d.isInfinite { return d < 0 ? 0xFF80 : 0x7F80 }
        let a = abs(d)
        let sign: UInt16 = d.sign == .minus ? 0x8000 : 0
        if a == 0 { return sign }
        let e = max(Int(a.exponent), -126)
        let quantum = Double(sign: .plus, exponent: e - 7, significand: 1)
        let r = (a / quantum).rounded(.toNearestOrEven) * quantum
        let f = Float(r) // exact: r has at most 8 significant bits, or overflows to inf
        if f.isInfinite || r > Double(Float.greatestFiniteMagnitude) { return sign | 0x7F80 }
        return sign | UInt16(f.bitPattern >> 16)
    }
}
