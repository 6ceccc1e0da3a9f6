import CFreezerKernels
import Testing
@testable import FreezerIR
@testable import FreezerKernels

/// The AVX-512 float16 conversions give HalfPrecision's bits: rounding to nearest even at every
/// exponent, subnormal halves, overflow to infinity, signed zeros, NaN as the one quiet NaN.
@Suite("Native float16 conversions")
struct NativeHalfTests {
    static func samples() -> [Float] {
        var g = UInt64(0x9E37_79B9_7F4A_7C15)
        func next() -> UInt32 { g = g &* 6364136223846793005 &+ 1442695040888963407; return UInt32(truncatingIfNeeded: g >> 32) }
        var values: [Float] = [0, -0, 1, -1, 65504, 65519.99, 65520, -65520, 1e9, .infinity, -.infinity, .nan, -.nan,
                               Float(bitPattern: 0x7F80_0001), 0x1p-14, 0x1p-24, 0x1p-25, 0x1.8p-25, 0x1p-26, 2049, 2051, 4097]
        for _ in 0..<20_000 { values.append(Float(bitPattern: next())) }               // every exponent
        for _ in 0..<20_000 { values.append(Float(bitPattern: 0x3000_0000 | (next() & 0x0FFF_FFFF)) - 1) } // near 1 and halfway cases
        for _ in 0..<5_000 { values.append(Float(Int32(truncatingIfNeeded: next())) * 0x1p-40) }        // subnormal halves
        return values
    }

    @Test func roundingMatchesHalfPrecisionBitForBit() throws {
        try #require(NativeKernels.isAvailable, "no AVX-512 here: the Swift path is the one used")
        let values = Self.samples()
        for count in [values.count, 1, 15, 17, 33] {
            var native = Array(values.prefix(count))
            native.withUnsafeMutableBufferPointer { fz_round_to_half($0.baseAddress!, $0.count) }
            for (x, y) in zip(values.prefix(count), native) {
                let expected = HalfPrecision.float(fromHalf: HalfPrecision.half(fromDouble: Double(x)))
                #expect(y.bitPattern == expected.bitPattern, "\(x) (bits \(String(x.bitPattern, radix: 16)))")
            }
        }
    }

    @Test func wideningMatchesHalfPrecisionBitForBit() throws {
        try #require(NativeKernels.isAvailable, "no AVX-512 here: the Swift path is the one used")
        // Signalling NaNs are quieted by the hardware; HalfPrecision keeps them signalling.
        func isSignallingNaN(_ h: UInt16) -> Bool {
            let exponentAllOnes = h & 0x7C00 == 0x7C00
            let payload = h & 0x3FF
            return exponentAllOnes && payload != 0 && payload & 0x200 == 0
        }
        let halves: [UInt16] = (0...UInt16.max).filter { !isSignallingNaN($0) }
        var out = [Float](repeating: 0, count: halves.count)
        halves.withUnsafeBufferPointer { h in out.withUnsafeMutableBufferPointer { fz_half_to_float(h.baseAddress!, $0.baseAddress!, h.count) } }
        for (h, y) in zip(halves, out) { #expect(y.bitPattern == HalfPrecision.float(fromHalf: h).bitPattern, "half \(String(h, radix: 16))") }
    }

    @Test func float16TensorsDecodeAndRoundAsBefore() throws {
        let values = Self.samples().prefix(3000).map(Double.init)
        let tensor = Tensor.make(name: "w", type: .float16, dims: [Int64(values.count)], values: values)
        let decoded = try NDArray(tensor)
        let expected = try tensor.doubles().map { Float($0) }
        #expect(zip(decoded.floats, expected).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) })
        let widened = try NDArray(tensor, precision: .float64)
        #expect(zip(widened.doubles, expected).allSatisfy { $0 == Double($1) || ($0.isNaN && $1.isNaN) })
    }
}
