/// Bit-exact conversions for float16 and bfloat16, independent of platform `Float16` support.
public enum HalfPrecision {
    /// IEEE binary16 bits to Float; exact. Inlinable, as the folds of float16 weights call it per element.
    @inlinable
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

    /// Double to IEEE binary16 bits, rounded once to nearest even (overflow gives infinity, NaN the quiet
    /// NaN 0x7E00). Read from the double's bits: the 10 bits of the half's significand are kept and the
    /// rest decides the rounding (halfway: to the even one), so no division and no library call.
    @inlinable
    public static func half(fromDouble d: Double) -> UInt16 {
        let bits = d.bitPattern
        let sign = UInt16(truncatingIfNeeded: (bits >> 48) & 0x8000)
        let biased = Int((bits >> 52) & 0x7FF)
        let mantissa = bits & 0x000F_FFFF_FFFF_FFFF
        if biased == 0x7FF { return mantissa != 0 ? 0x7E00 : sign | 0x7C00 }
        let e = biased - 1023
        if e >= 16 { return sign | 0x7C00 }
        if e < -25 { return sign } // below 2^-25, half the smallest subnormal: rounds to zero
        // The significand (with its leading 1) scaled so that one unit of the result is `shift` bits up:
        // 42 bits for a normal half, more in the subnormal range, whose quantum is 2^-24.
        let significand = mantissa | (1 << 52)
        let shift = e >= -14 ? 42 : 28 - e
        var kept = significand >> UInt64(shift)
        let rest = significand & ((1 << UInt64(shift)) - 1)
        let halfway: UInt64 = 1 << UInt64(shift - 1)
        if rest > halfway || (rest == halfway && kept & 1 == 1) { kept += 1 }
        guard e >= -14 else { return sign | UInt16(kept) } // 1024 is the smallest normal's bits: still right
        // kept holds the leading 1 at bit 10; rounding up may carry it to bit 11 (the next binade).
        let exponent = UInt64(e + 15) + (kept >> 11)
        if exponent >= 31 { return sign | 0x7C00 }
        return sign | UInt16(exponent << 10 | (kept & 0x3FF))
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
