import Testing
@testable import FreezerIR
@testable import FreezerKernels

/// The quantization family and the low-precision casts on small tensors worked out by hand, in the
/// model's own precision and in float64 (the exact reference), where the quantized results must agree.
@Suite("Quantization")
struct QuantizationTests {
    static let precisions: [Precision] = [.own, .float64]

    // MARK: - Cast to and from the low-precision types

    @Test(arguments: precisions)
    func castToFloat8SaturatesOrNot(_ precision: Precision) throws {
        let x = NDArray(floats: [448, 500, 0x1p-9, .nan, -.infinity, 0x1p-10], shape: [6])
        let on = try runNode("Cast", [x], attributes: [attr("to", Int64(17))], opset: 19, precision: precision)[0]
        let off = try runNode("Cast", [x], attributes: [attr("to", Int64(17)), attr("saturate", Int64(0))], opset: 19,
                              precision: precision)[0]
        #expect(on.elementType == (precision == .own ? .float8e4m3fn : .double))
        // 2^-10 is half the smallest subnormal 2^-9: ties to even, 0.
        #expect(isSame(on.asDoubles, [448, 448, 0x1p-9, .nan, -448, 0]))
        #expect(isSame(off.asDoubles, [448, .nan, 0x1p-9, .nan, .nan, 0]))
        let e5m2 = try runNode("Cast", [x], attributes: [attr("to", Int64(19)), attr("saturate", Int64(0))], opset: 19,
                               precision: precision)[0]
        // 500 = 1.953125 · 2^8 rounds to 2^9 (quantum 64); the infinity stays.
        #expect(isSame(e5m2.asDoubles, [448, 512, 0x1p-9, .nan, -.infinity, 0x1p-10]))
    }

    @Test(arguments: precisions)
    func castLikeToFloat8RoundsUnderBothPrecisions(_ precision: Precision) throws {
        let x = NDArray(floats: [0.3, -1000], shape: [2])
        let like = NDArray(floats: [0], shape: [1], type: .float8e4m3fnuz)
        let y = try runNode("CastLike", [x, like], opset: 19, precision: precision)[0]
        // 0.3 = 1.2 · 2^-2, quantum 2^-5: 9.6 quanta → 10 → 0.3125; -1000 saturates to -240.
        #expect(y.asDoubles == [0.3125, -240])
    }

    @Test(arguments: precisions)
    func castFromFloat8AndPackedIntegers(_ precision: Precision) throws {
        let f8 = NDArray(floats: [57344, 0x1p-16, -0.5], shape: [3], type: .float8e5m2)
        #expect(try runNode("Cast", [f8], attributes: [attr("to", Int64(1))], opset: 19, precision: precision)[0].asDoubles
                == [57344, 0x1p-16, -0.5])
        // Floating to int4 truncates; out of range gives 0 (ONNX's reference). Integers keep their low bits.
        let x = NDArray(floats: [7.9, -8.5, 8, -2.5], shape: [4])
        #expect(try runNode("Cast", [x], attributes: [attr("to", Int64(22))], opset: 21, precision: precision)[0].ints
                == [7, -8, 0, -2])
        let i = NDArray(ints: [-9, 8, 17, 3], shape: [4], type: .int8)
        #expect(try runNode("Cast", [i], attributes: [attr("to", Int64(22))], opset: 21)[0].ints == [7, -8, 1, 3])
        #expect(try runNode("Cast", [i], attributes: [attr("to", Int64(25))], opset: 25)[0].ints == [3, 0, 1, 3])
    }

    @Test func castToFloat8E8M0RoundModes() throws {
        let x = NDArray(floats: [1.1, 1.5, 0.124], shape: [3])
        func cast(_ mode: String) throws -> [Double] {
            try runNode("Cast", [x], attributes: [attr("to", Int64(24)), attr("round_mode", mode)], opset: 24)[0].asDoubles
        }
        #expect(try cast("up") == [2, 2, 0.125])
        #expect(try cast("down") == [1, 1, 0.0625])
        #expect(try cast("nearest") == [1, 2, 0.125])
    }

    @Test func lowPrecisionArraysRoundTripThroughTensors() throws {
        for (type, values) in [(ElementType.float8e4m3fn, [448.0, -0x1p-9, 0.3125]), (.float8e5m2, [.infinity, -57344, 0x1p-16]),
                               (.float8e4m3fnuz, [240, 0x1p-10, -1]), (.float8e5m2fnuz, [57344, 0x1p-17, 3]),
                               (.float4e2m1, [6, -0.5, 1.5]), (.float8e8m0, [0x1p-127, 1, 0x1p127])] {
            let a = NDArray(floats: values.map(Float.init), shape: [3], type: type)
            let back = try NDArray(a.tensor(name: "t"))
            #expect(back == a, "\(type)")
            #expect(try NDArray(a.tensor(name: "t"), precision: .float64).storage == .double(values), "\(type)")
        }
        let nan = try NDArray(NDArray(floats: [.nan], shape: [1], type: .float8e4m3fn).tensor(name: "n"))
        #expect(nan.floats[0].isNaN)
        for (type, values) in [(ElementType.int4, [Int64(-8), 7, 0]), (.uint4, [15, 0, 3]), (.int2, [-2, 1, -1]), (.uint2, [3, 0, 2])] {
            let a = NDArray(ints: values, shape: [3], type: type)
            #expect(try NDArray(a.tensor(name: "t")) == a, "\(type)")
        }
    }

    // MARK: - QuantizeLinear and DequantizeLinear

    @Test(arguments: precisions)
    func quantizePerAxisWithNegativeAxis(_ precision: Precision) throws {
        let x = NDArray(floats: [1, 2, 3, -4, 5, 6], shape: [2, 3])
        let scale = NDArray(floats: [1, 2, 4], shape: [3])
        let zero = NDArray(ints: [0, 1, 2], shape: [3], type: .int8)
        let y = try runNode("QuantizeLinear", [x, scale, zero], attributes: [attr("axis", Int64(-1))], opset: 13,
                            precision: precision)[0]
        // Column j divides by scale[j]: 2/2 = 1, 3/4 = 0.75 → 1; 5/2 = 2.5 → 2 and 6/4 = 1.5 → 2 (half to even).
        #expect(y.elementType == .int8)
        #expect(y.ints == [1, 2, 3, -4, 3, 4])
        // The same scale along axis -2 of a [3, 2] input.
        let t = NDArray(floats: [1, 2, 3, 4, 5, 6], shape: [3, 2])
        let z = try runNode("QuantizeLinear", [t, scale], attributes: [attr("axis", Int64(-2))], opset: 13, precision: precision)[0]
        #expect(z.elementType == .uint8 && z.ints == [1, 2, 2, 2, 1, 2]) // 1.5 → 2, 2.5 → 2, 1.25 → 1
    }

    @Test func quantizeSaturatesToEachIntegerType() throws {
        let x = NDArray(floats: [300, -300, 2.5, -2.5], shape: [4])
        let one = NDArray(floats: [1], shape: [])
        func q(_ type: ElementType, opset: Int64 = 25) throws -> [Int64] {
            try runNode("QuantizeLinear", [x, one], attributes: [attr("output_dtype", Int64(type.rawValue))], opset: opset)[0].ints
        }
        #expect(try runNode("QuantizeLinear", [x, one], opset: 10)[0].ints == [255, 0, 2, 0]) // uint8 by default
        #expect(try q(.int8) == [127, -128, 2, -2])
        #expect(try q(.int16) == [300, -300, 2, -2])
        #expect(try q(.int4) == [7, -8, 2, -2])
        #expect(try q(.uint4) == [15, 0, 2, 0])
        #expect(try q(.int2) == [1, -2, 1, -2])
        #expect(try q(.uint2) == [3, 0, 2, 0])
        let zp = NDArray(ints: [1], shape: [], type: .int8)
        #expect(throws: EvaluationError.self) {
            try runNode("QuantizeLinear", [x, one, zp], attributes: [attr("output_dtype", Int64(2))], opset: 21)
        }
    }

    @Test(arguments: precisions)
    func quantizeToFloat8(_ precision: Precision) throws {
        let x = NDArray(floats: [1000, 0.6, -3], shape: [3])
        let scale = NDArray(floats: [2], shape: [])
        let zero = NDArray(floats: [0], shape: [1], type: .float8e4m3fn)
        let on = try runNode("QuantizeLinear", [x, scale, zero], opset: 19, precision: precision)[0]
        let off = try runNode("QuantizeLinear", [x, scale, zero], attributes: [attr("saturate", Int64(0))], opset: 19,
                              precision: precision)[0]
        // 0.3 → 0.3125 (see castLike), 500 saturates to 448 or becomes NaN.
        #expect(isSame(on.asDoubles, [448, 0.3125, -1.5]))
        #expect(isSame(off.asDoubles, [.nan, 0.3125, -1.5]))
    }

    @Test func quantizeDividesInTheRequestedPrecision() throws {
        // float32: 4102 / 2 = 2051. With precision float16 (opset 23) x first rounds to float16, whose
        // spacing at 4096 is 4: 4102 ties between 4100 and 4104 and goes to even, 4104, so 2052.
        let x = NDArray(floats: [4102, 3], shape: [2])
        let scale = NDArray(floats: [2], shape: [])
        let zero = NDArray(ints: [0], shape: [], type: .int16)
        #expect(try runNode("QuantizeLinear", [x, scale, zero], opset: 23)[0].ints == [2051, 2])
        #expect(try runNode("QuantizeLinear", [x, scale, zero], attributes: [attr("precision", Int64(10))], opset: 23)[0].ints
                == [2052, 2])
    }

    @Test(arguments: precisions)
    func dequantizeBlocked(_ precision: Precision) throws {
        // x [2, 5] with blocks of 2 along axis 1 (the last block holds one column): scales [2, 3].
        let x = NDArray(ints: [1, 2, 3, 4, 5, -1, -2, -3, -4, -5], shape: [2, 5], type: .int8)
        let scale = NDArray(floats: [1, 2, 4, 0.5, 0.25, 8], shape: [2, 3])
        let zero = NDArray(ints: [0, 1, 2, 0, -1, 1], shape: [2, 3], type: .int8)
        for axis in [Int64(1), -1] {
            let y = try runNode("DequantizeLinear", [x, scale, zero], attributes: [attr("axis", axis), attr("block_size", Int64(2))],
                                opset: 21, precision: precision)[0]
            // Row 0: (1,2)·1, (3-1, 4-1)·2, (5-2)·4; row 1: (-1,-2)·0.5, (-3+1, -4+1)·0.25, (-5-1)·8.
            #expect(y.asDoubles == [1, 2, 4, 6, 12, -0.5, -1, -0.5, -0.75, -48])
        }
        // A scale whose blocked axis does not fit is refused.
        #expect(throws: EvaluationError.self) {
            try runNode("DequantizeLinear", [x, scale], attributes: [attr("axis", Int64(1)), attr("block_size", Int64(3))], opset: 21)
        }
    }

    @Test(arguments: precisions)
    func dequantizePackedAndFloat8Inputs(_ precision: Precision) throws {
        let x = NDArray(ints: [-8, 7, 1], shape: [3], type: .int4)
        let zero = NDArray(ints: [-1], shape: [1], type: .int4)
        let scale = NDArray(floats: [0.5], shape: [], type: .float16)
        let y = try runNode("DequantizeLinear", [x, scale, zero], opset: 21, precision: precision)[0]
        #expect(y.elementType == (precision == .own ? .float16 : .double))
        #expect(y.asDoubles == [-3.5, 4, 1])
        let f8 = NDArray(floats: [448, -0x1p-9], shape: [2], type: .float8e4m3fn)
        let out = try runNode("DequantizeLinear", [f8, NDArray(floats: [2], shape: [])],
                              attributes: [attr("output_dtype", Int64(10))], opset: 23, precision: precision)[0]
        #expect(out.asDoubles == [896, -0x1p-8])
    }

    @Test(arguments: precisions)
    func dynamicQuantize(_ precision: Precision) throws {
        let x = NDArray(floats: [-1, 3, 1], shape: [3])
        let out = try runNode("DynamicQuantizeLinear", [x], outputs: 3, opset: 11, precision: precision)
        // Range [-1, 3]: scale 4/255; zero point round(1 / (4/255)) = round(63.75) = 64;
        // y = round(x · 255/4) + 64: -63.75 → -64 + 64 = 0, 191.25 → 191 + 64 = 255, 63.75 → 64 + 64 = 128.
        #expect(out[0].ints == [0, 255, 128])
        #expect(abs(out[1].asDoubles[0] - 4.0 / 255) < 1e-8)
        #expect(out[2].ints == [64] && out[2].elementType == .uint8)
    }

    // MARK: - Integer and quantized products

    @Test func matMulIntegerWithPerRowAndPerColumnZeroPoints() throws {
        let a = NDArray(ints: [1, 2, 3, 4], shape: [2, 2], type: .uint8)
        let b = NDArray(ints: [1, 0, 0, 1], shape: [2, 2], type: .uint8)
        let y = try runNode("MatMulInteger", [a, b, NDArray(ints: [1, 2], shape: [2], type: .uint8),
                                              NDArray(ints: [0, 1], shape: [2], type: .uint8)], opset: 10)[0]
        // (A - [1; 2]) = [[0, 1], [1, 2]], (B - [0, 1]) = [[1, -1], [0, 0]].
        #expect(y.elementType == .int32 && y.ints == [0, 0, 1, -1])
    }

    @Test func convIntegerSubtractsZeroPointsAndPadsWithThem() throws {
        let x = NDArray(ints: [1, 2, 3, 4], shape: [1, 1, 2, 2], type: .uint8)
        let w = NDArray(ints: [2], shape: [1, 1, 1, 1], type: .uint8)
        let y = try runNode("ConvInteger", [x, w, NDArray(ints: [1], shape: [], type: .uint8)],
                            attributes: [attr("pads", [Int64(0), 0, 0, 1])], opset: 10)[0]
        // (x - 1) · 2 with a padded column that reads the zero point: 0.
        #expect(y.shape == [1, 1, 2, 3] && y.ints == [0, 2, 0, 4, 6, 0])
    }

    @Test(arguments: precisions)
    func qlinearProducts(_ precision: Precision) throws {
        let a = NDArray(ints: [2, 4], shape: [1, 2], type: .uint8)
        let b = NDArray(ints: [1, 1], shape: [2, 1], type: .uint8)
        let s = { (v: Float) in NDArray(floats: [v], shape: []) }
        let u8 = { (v: Int64) in NDArray(ints: [v], shape: [], type: .uint8) }
        // (2 + 4) · 0.5 · 1 / 1 = 3, plus 10.
        let y = try runNode("QLinearMatMul", [a, s(0.5), u8(0), b, s(1), u8(0), s(1), u8(10)], opset: 10, precision: precision)[0]
        #expect(y.elementType == .uint8 && y.ints == [13])
        // Per output channel: channel 0 scale 0.5, channel 1 scale 0.25, bias [1, -1]; y scale 0.5, zero point 3.
        let x = NDArray(ints: [3, 5], shape: [1, 1, 1, 2], type: .uint8)
        let w = NDArray(ints: [2, 4], shape: [2, 1, 1, 1], type: .uint8)
        let c = try runNode("QLinearConv", [x, s(1), u8(1), w, NDArray(floats: [0.5, 0.25], shape: [2]), u8(0), s(0.5), u8(3),
                                            NDArray(ints: [1, -1], shape: [2], type: .int32)], opset: 10, precision: precision)[0]
        // Channel 0: ((3-1)·2 + 1, (5-1)·2 + 1) · 0.5/0.5 = 5, 9 → 8, 12.
        // Channel 1: ((3-1)·4 - 1, (5-1)·4 - 1) · 0.25/0.5 = 3.5, 7.5 → 4, 8 (half to even) → 7, 11.
        #expect(c.ints == [8, 12, 7, 11])
    }

    @Test(arguments: precisions)
    func bitCastKeepsTheBits(_ precision: Precision) throws {
        let x = NDArray(floats: [1, -2], shape: [2])
        let y = try runNode("BitCast", [x], attributes: [attr("to", Int64(6))], opset: 26, precision: precision)[0]
        #expect(y.elementType == .int32 && y.ints == [0x3F80_0000, -0x4000_0000])
        let back = try runNode("BitCast", [y], attributes: [attr("to", Int64(1))], opset: 26, precision: precision)[0]
        #expect(back.asDoubles == [1, -2])
        #expect(throws: EvaluationError.self) { try runNode("BitCast", [x], attributes: [attr("to", Int64(7))], opset: 26) }
    }

    /// Equal, NaN equal to NaN.
    func isSame(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
    }
}
