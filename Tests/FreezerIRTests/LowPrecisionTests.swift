import Testing
@testable import FreezerIR

/// The float8, float4 and float8e8m0 codecs and the packed sub-byte tensor layouts, against values
/// worked out by hand from the formats' definitions (sign, exponent bias, mantissa width).
@Suite("Low-precision element types")
struct LowPrecisionTests {
    /// (format, largest finite bits and value, smallest subnormal bits and value, a NaN pattern).
    static let extremes: [(MiniFloat, UInt8, Float, UInt8, Float, UInt8)] = [
        (.e4m3fn, 0x7E, 448, 0x01, 0x1p-9, 0x7F),
        (.e4m3fnuz, 0x7F, 240, 0x01, 0x1p-10, 0x80),
        (.e5m2, 0x7B, 57344, 0x01, 0x1p-16, 0x7E),
        (.e5m2fnuz, 0x7F, 57344, 0x01, 0x1p-17, 0x80),
        (.e2m1, 0x7, 6, 0x1, 0.5, 0), // float4e2m1 has no NaN
    ]

    @Test(arguments: 0..<extremes.count)
    func extremesDecodeAndEncode(_ k: Int) {
        let (f, maxBits, maxValue, subBits, subValue, nanBits) = Self.extremes[k]
        #expect(f.decode(maxBits) == maxValue)
        #expect(f.encode(Double(maxValue), saturate: false) == maxBits)
        #expect(f.decode(subBits) == subValue)
        #expect(f.encode(Double(subValue), saturate: false) == subBits)
        // Half the smallest subnormal is a tie between 0 and it: to even, 0.
        #expect(f.encode(Double(subValue) / 2, saturate: true) == 0)
        // 1.5 subnormal quanta tie between 1 and 2 quanta: to even, 2.
        #expect(f.decode(f.encode(Double(subValue) * 1.5, saturate: true)) == 2 * subValue)
        if f.specials != .finiteOnly {
            #expect(f.decode(nanBits).isNaN)
            #expect(f.decode(f.encode(.nan, saturate: true)).isNaN)
        }
        // Saturation clamps beyond the range, infinities included.
        #expect(f.decode(f.encode(1e9, saturate: true)) == maxValue)
        #expect(f.decode(f.encode(-.infinity, saturate: true)) == -maxValue)
    }

    @Test func withoutSaturationOverflowIsInfinityOrNaN() {
        #expect(MiniFloat.e4m3fn.encode(500, saturate: false) == 0x7F) // NaN
        #expect(MiniFloat.e4m3fn.encode(-.infinity, saturate: false) == 0xFF) // -NaN
        #expect(MiniFloat.e4m3fnuz.encode(300, saturate: false) == 0x80)
        #expect(MiniFloat.e5m2.encode(1e6, saturate: false) == 0x7C) // +inf
        #expect(MiniFloat.e5m2.decode(0xFC) == -.infinity)
        #expect(MiniFloat.e5m2fnuz.encode(.infinity, saturate: false) == 0x80)
        // 61440 lies halfway between 57344 (mantissa 11, odd) and 65536: to even, which overflows.
        #expect(MiniFloat.e5m2.encode(61440, saturate: false) == 0x7C)
        #expect(MiniFloat.e5m2.encode(61439, saturate: false) == 0x7B)
        // 464 lies halfway between 448 (mantissa 110, even) and 480 (the NaN pattern): stays 448.
        #expect(MiniFloat.e4m3fn.encode(464, saturate: false) == 0x7E)
        #expect(MiniFloat.e2m1.encode(100, saturate: false) == 0x7) // float4e2m1 always saturates
    }

    @Test func negativeZeroAndFnuz() {
        #expect(MiniFloat.e4m3fn.encode(-0.0, saturate: true) == 0x80)
        #expect(MiniFloat.e5m2.encode(-0.0, saturate: true) == 0x80)
        #expect(MiniFloat.e4m3fnuz.encode(-0.0, saturate: true) == 0x00)
        #expect(MiniFloat.e5m2fnuz.encode(-1e-30, saturate: true) == 0x00)
        #expect(MiniFloat.e2m1.encode(-0.0, saturate: true) == 0x8)
        #expect(MiniFloat.e2m1.encode(.nan, saturate: true) == 0)
    }

    @Test func roundsToNearestEven() {
        // e2m1 values: 0, 0.5, 1, 1.5, 2, 3, 4, 6.
        #expect(MiniFloat.e2m1.decode(MiniFloat.e2m1.encode(0.75, saturate: true)) == 1) // 0.5 odd, 1 even
        #expect(MiniFloat.e2m1.decode(MiniFloat.e2m1.encode(-5, saturate: true)) == -4) // 4 even, 6 odd
        #expect(MiniFloat.e2m1.decode(MiniFloat.e2m1.encode(2.5, saturate: true)) == 2)
        // e4m3fn around 1: quantum 1/8; 1 + 1/16 ties to 1, 1 + 3/16 ties to 1.25.
        #expect(MiniFloat.e4m3fn.rounded(1 + 1.0 / 16, saturate: true) == 1)
        #expect(MiniFloat.e4m3fn.rounded(1 + 3.0 / 16, saturate: true) == 1.25)
        #expect(MiniFloat.e4m3fn.rounded(0.3, saturate: true) == 0.3125)
    }

    /// Every bit pattern that is not NaN decodes to a value that encodes back to it.
    @Test(arguments: [MiniFloat.e4m3fn, .e4m3fnuz, .e5m2, .e5m2fnuz, .e2m1])
    func everyPatternRoundTrips(_ f: MiniFloat) {
        let patterns = f == .e2m1 ? 0..<16 : 0..<256
        for bits in patterns.map(UInt8.init) {
            let v = f.decode(bits)
            if v.isNaN { continue }
            #expect(f.encode(Double(v), saturate: false) == bits, "\(f) \(bits)")
        }
    }

    @Test func float8e8m0() {
        #expect(Float8E8M0.decode(127) == 1)
        #expect(Float8E8M0.decode(0) == 0x1p-127)
        #expect(Float8E8M0.decode(254) == 0x1p127)
        #expect(Float8E8M0.decode(255).isNaN)
        #expect(Float8E8M0.encode(1.1, saturate: true, roundMode: .up) == 128)
        #expect(Float8E8M0.encode(1.1, saturate: true, roundMode: .down) == 127)
        #expect(Float8E8M0.encode(1.5, saturate: true, roundMode: .nearest) == 128) // ties up
        #expect(Float8E8M0.encode(1.4, saturate: true, roundMode: .nearest) == 127)
        #expect(Float8E8M0.encode(4, saturate: true, roundMode: .up) == 129)
        #expect(Float8E8M0.encode(0, saturate: true, roundMode: .up) == 0)
        #expect(Float8E8M0.encode(0, saturate: false, roundMode: .nearest) == 255)
        #expect(Float8E8M0.encode(0x1.8p127, saturate: true, roundMode: .up) == 254)
        #expect(Float8E8M0.encode(0x1.8p127, saturate: false, roundMode: .up) == 255)
        #expect(Float8E8M0.encode(.infinity, saturate: true, roundMode: .up) == 254)
        #expect(Float8E8M0.encode(.nan, saturate: true, roundMode: .up) == 255)
    }

    @Test func packedIntegersUseTheLowBitsFirst() throws {
        let int4 = Tensor.make(name: "a", type: .int4, dims: [5], values: [-8, 7, 1, -1, 3])
        #expect(try bytes(int4) == [0x78, 0xF1, 0x03])
        #expect(try int4.doubles() == [-8, 7, 1, -1, 3])
        let uint2 = Tensor.make(name: "b", type: .uint2, dims: [5], values: [0, 1, 2, 3, 3])
        #expect(try bytes(uint2) == [0xE4, 0x03])
        #expect(try uint2.doubles() == [0, 1, 2, 3, 3])
        let int2 = Tensor.make(name: "c", type: .int2, dims: [2, 2], values: [-2, -1, 0, 1])
        #expect(try bytes(int2) == [0x4E])
        #expect(try int2.int64s() == [-2, -1, 0, 1])
        let uint4 = Tensor.make(name: "d", type: .uint4, dims: [3], values: [15, 0, 9])
        #expect(try bytes(uint4) == [0x0F, 0x09])
        let float4 = Tensor.make(name: "e", type: .float4e2m1, dims: [3], values: [-6, 0.5, 1.5])
        #expect(try bytes(float4) == [0x1F, 0x03])
        #expect(try float4.doubles() == [-6, 0.5, 1.5])
    }

    func bytes(_ t: Tensor) throws -> [UInt8] { try t.rawBytes().withUnsafeBytes { Array($0) } }

    @Test func int32DataHoldsOnePackedBytePerEntry() throws {
        var fields = TypedFields()
        fields.int32Data = [0x78, 0xF1, 0x03]
        let t = Tensor(name: "t", elementType: .int4, dims: [5], payload: .fields(fields))
        #expect(try t.doubles() == [-8, 7, 1, -1, 3])
        fields.int32Data = [0x78, 0xF1]
        #expect(throws: TensorError.self) { try Tensor(name: "t", elementType: .int4, dims: [5], payload: .fields(fields)).checkSize() }
        var f8 = TypedFields()
        f8.int32Data = [0x7E, 0x01, 0x7F]
        #expect(try Tensor(name: "f", elementType: .float8e4m3fn, dims: [3], payload: .fields(f8)).doubles().prefix(2) == [448, 0x1p-9])
    }

    @Test func elementTypeFacts() {
        #expect(ElementType.float8e8m0.description == "float8e8m0" && ElementType.int2.description == "int2")
        #expect(ElementType.uint2.bitWidth == 2 && ElementType.int4.bitWidth == 4 && ElementType.float8e8m0.bitWidth == 8)
        #expect(ElementType.int2.byteCount(elements: 5) == 2 && ElementType.int4.byteCount(elements: 5) == 3)
        #expect(ElementType.float8e8m0.isFloatingPoint && ElementType.float8e8m0.isLowPrecisionFloat)
        #expect(!ElementType.int4.isFloatingPoint && ElementType.int4.isPacked)
    }
}
