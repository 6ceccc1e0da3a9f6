import Testing
@testable import FreezerIR

@Suite("Tensor values")
struct TensorValueTests {
    @Test(arguments: [ElementType.float, .double, .float16, .bfloat16, .int8, .uint8, .int16, .uint16,
                      .int32, .uint32, .int64, .uint64, .bool])
    func makeThenReadRoundTrips(type: ElementType) throws {
        let values: [Double] = type == .bool ? [1, 0, 1] : [0, 1, 2.5, 100]
        let expected = type.isFloatingPoint ? values : values.map { $0.rounded(.towardZero) }
        let t = Tensor.make(name: "t", type: type, dims: [Int64(values.count)], values: values)
        #expect(try t.rawBytes().count == values.count * type.byteWidth!)
        #expect(try t.doubles() == expected)
    }

    @Test func float16ConversionIsExactAndRoundsToNearestEven() {
        #expect(HalfPrecision.float(fromHalf: 0x3C00) == 1)
        #expect(HalfPrecision.float(fromHalf: 0xC000) == -2)
        #expect(HalfPrecision.float(fromHalf: 0x7BFF) == 65504)
        #expect(HalfPrecision.float(fromHalf: 0x0001) == Float(0x1p-24))
        #expect(HalfPrecision.float(fromHalf: 0x7C00) == .infinity)
        #expect(HalfPrecision.float(fromHalf: 0x7E00).isNaN)
        #expect(HalfPrecision.half(fromDouble: 1) == 0x3C00)
        #expect(HalfPrecision.half(fromDouble: 65504) == 0x7BFF)
        #expect(HalfPrecision.half(fromDouble: 65520) == 0x7C00)
        #expect(HalfPrecision.half(fromDouble: 0x1p-24) == 0x0001)
        // 1 + 2^-11 lies exactly between 1 and the next half (1 + 2^-10): ties go to even (1).
        #expect(HalfPrecision.half(fromDouble: 1 + 0x1p-11) == 0x3C00)
        #expect(HalfPrecision.half(fromDouble: 1 + 3 * 0x1p-11) == 0x3C02)
        for bits in stride(from: UInt16(0), to: 0x7C00, by: 37) {
            #expect(HalfPrecision.half(fromDouble: Double(HalfPrecision.float(fromHalf: bits))) == bits)
        }
    }

    /// Rounding to float16 by its arithmetic definition: the nearest multiple of the quantum of the value's
    /// binade, ties to even, with division and library rounding (what the bit-level conversion replaced).
    static func halfByArithmetic(_ d: Double) -> UInt16 {
        if d.isNaN { return 0x7E00 }
        let sign: UInt16 = d.sign == .minus ? 0x8000 : 0
        let a = abs(d)
        if a >= 65520 { return sign | 0x7C00 }
        if a < 0x1p-14 { return sign | UInt16((a * 0x1p24).rounded(.toNearestOrEven)) }
        let e = Int(a.exponent)
        var m = ((a / Double(sign: .plus, exponent: e, significand: 1) - 1) * 1024).rounded(.toNearestOrEven)
        var exp = e + 15
        if m >= 1024 { m = 0; exp += 1 }
        if exp >= 31 { return sign | 0x7C00 }
        return sign | UInt16(exp) << 10 | UInt16(m)
    }

    @Test func halfConversionFromTheBitsEqualsTheArithmeticDefinition() {
        var generator = SystemRandomNumberGenerator()
        var values: [Double] = [0, -0, 1, -1, 65504, 65519.99, 65520, 65536, 1e300, .infinity, -.infinity, .nan, -.nan,
                                0x1p-24, 0x1p-25, 0x1.0000001p-25, 0x1p-26, 0x1.8p-24, 0x1.ffcp-15, 0x1.ffep-15, 0x1p-14,
                                .leastNonzeroMagnitude, .leastNormalMagnitude, 1 + 0x1p-11, 1 + 3 * 0x1p-11, 2047, 2049, 4097]
        // Every half value, the midpoints between neighbours (ties) and points just beside them.
        for bits in UInt16(0)..<0x7C00 {
            let v = Double(HalfPrecision.float(fromHalf: bits)), next = Double(HalfPrecision.float(fromHalf: bits + 1))
            let middle = (v + next) / 2
            values += [v, -v, middle, -middle, middle.nextUp, middle.nextDown]
        }
        for _ in 0..<200_000 {
            values.append(Double(bitPattern: UInt64.random(in: 0x3E40_0000_0000_0000...0x40F0_0000_0000_0000, using: &generator)))
        }
        for d in values {
            #expect(HalfPrecision.half(fromDouble: d) == Self.halfByArithmetic(d), "\(d) (bits \(String(d.bitPattern, radix: 16)))")
        }
    }

    @Test func bfloat16RoundsOnce() {
        #expect(HalfPrecision.float(fromBFloat16: 0x3F80) == 1)
        #expect(HalfPrecision.bfloat16(fromDouble: 1) == 0x3F80)
        #expect(HalfPrecision.bfloat16(fromDouble: 1 + 0x1p-8) == 0x3F80) // tie to even
        #expect(HalfPrecision.bfloat16(fromDouble: 1 + 3 * 0x1p-8) == 0x3F82)
        #expect(HalfPrecision.bfloat16(fromDouble: -2) == 0xC000)
        #expect(HalfPrecision.bfloat16(fromDouble: .infinity) == 0x7F80)
    }

    @Test func typedFieldsAreReadPerElementType() throws {
        var f = TypedFields()
        f.int32Data = [0x3C00, 0xC000] // float16 bits
        let half = Tensor(name: "h", elementType: .float16, dims: [2], payload: .fields(f))
        #expect(try half.doubles() == [1, -2])

        var g = TypedFields()
        g.int64Data = [Int64.min, Int64.max]
        let wide = Tensor(name: "i", elementType: .int64, dims: [2], payload: .fields(g))
        #expect(try wide.int64s() == [Int64.min, Int64.max])

        var u = TypedFields()
        u.uint64Data = [UInt64.max]
        let unsigned = Tensor(name: "u", elementType: .uint64, dims: [1], payload: .fields(u))
        #expect(try unsigned.int64s() == [-1])

        var b = TypedFields()
        b.int32Data = [1, 0, 1]
        #expect(try Tensor(name: "b", elementType: .bool, dims: [3], payload: .fields(b)).doubles() == [1, 0, 1])
    }

    @Test func sizeMismatchesNameTheTensorAndBothSizes() {
        let short = Tensor(name: "w", elementType: .float, dims: [2, 3], payload: .raw(Bytes([UInt8](repeating: 0, count: 20))))
        let error = #expect(throws: TensorError.self) { try short.doubles() }
        #expect(error == .sizeMismatch(tensor: "w", elementType: .float, dims: [2, 3], expected: 24, actual: 20, field: "raw_data"))
        #expect(error!.description.contains("'w'"))

        var f = TypedFields()
        f.floatData = [1, 2]
        let typed = Tensor(name: "v", elementType: .float, dims: [3], payload: .fields(f))
        #expect(throws: TensorError.sizeMismatch(tensor: "v", elementType: .float, dims: [3], expected: 3, actual: 2, field: "float_data")) {
            try typed.checkSize()
        }
        #expect(throws: TensorError.invalidDims(tensor: "n", dims: [-1])) {
            try Tensor(name: "n", elementType: .float, dims: [-1], payload: .raw(.empty)).checkSize()
        }
    }

    @Test func scalarHasOneElement() throws {
        let s = Tensor.make(name: "s", type: .float, dims: [], values: [3])
        #expect(s.elementCount == 1)
        #expect(try s.doubles() == [3])
    }

    /// Numbers outside an integer type's range saturate and NaN becomes 0 instead of trapping (a folded or
    /// a test constant may hold them).
    @Test func integerEncodingSaturatesInsteadOfTrapping() throws {
        let values = [Double(Int64.max), -1e30, .nan, .infinity, -.infinity, 3.7]
        #expect(try Tensor.make(name: "a", type: .int64, dims: [6], values: values).int64s() == [.max, .min, 0, .max, .min, 3])
        #expect(try Tensor.make(name: "b", type: .int32, dims: [6], values: values).int64s() == [Int64(Int32.max), Int64(Int32.min), 0, Int64(Int32.max), Int64(Int32.min), 3])
        #expect(try Tensor.make(name: "c", type: .uint8, dims: [6], values: values).int64s() == [255, 0, 0, 255, 0, 3])
    }
}
