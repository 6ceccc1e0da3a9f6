import Testing
@testable import FreezerIR
@testable import FreezerKernels

// Golden values come from onnxruntime 1.32.0 (CPU) on x86-64, with single-node models built by
// onnx.helper; e.g. for Add:
//   a = (np.arange(6, dtype=np.float32).reshape(2,3,1) - 2.5) / 3; b = np.array([0.5,-2,4,8], np.float32)
//   onnxruntime.InferenceSession(model).run(None, {"a": a, "b": b})
// Exact float32 results are compared with ==; transcendental ones with isClose (rtol 1e-5 unless noted).

private func f32(_ v: [Float], _ shape: [Int]? = nil) -> NDArray { NDArray(floats: v, shape: shape ?? [v.count]) }
private func i64(_ v: [Int64], _ shape: [Int]? = nil, _ type: ElementType = .int64) -> NDArray {
    NDArray(ints: v, shape: shape ?? [v.count], type: type)
}
private func run1(_ op: String, _ inputs: [NDArray?], _ attributes: [Attribute] = [], opset: Int64 = 17) throws -> NDArray {
    try runNode(op, inputs, attributes: attributes, opset: opset)[0]
}
/// Bit-level equality that treats NaN as equal to NaN and distinguishes -0 from +0.
private func same(_ a: [Float], _ b: [Float]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { ($0.isNaN && $1.isNaN) || $0.bitPattern == $1.bitPattern }
}

@Suite("Elementwise: broadcasting")
struct BroadcastingTests {
    @Test func multidirectionalShapes() {
        #expect(Broadcasting.shape([[2, 3, 1], [4]]) == [2, 3, 4])
        #expect(Broadcasting.shape([[], [5]]) == [5])
        #expect(Broadcasting.shape([[1, 5], [3, 1], [2, 1, 1]]) == [2, 3, 5])
        #expect(Broadcasting.shape([[0, 3], [1, 3]]) == [0, 3])
        #expect(Broadcasting.shape([[2, 3], [3, 2]]) == nil)
        #expect(Broadcasting.broadcasts([3, 1], to: [2, 3, 4]))
        #expect(!Broadcasting.broadcasts([2, 3, 4], to: [3, 4]))
    }

    @Test func legacyPlacement() {
        #expect(Broadcasting.legacyShape([5], to: [2, 3, 4, 5], axis: nil) == [1, 1, 1, 5])
        #expect(Broadcasting.legacyShape([3, 4], to: [2, 3, 4, 5], axis: 1) == [1, 3, 4, 1])
        #expect(Broadcasting.legacyShape([2], to: [2, 3, 4, 5], axis: 0) == [2, 1, 1, 1])
        #expect(Broadcasting.legacyShape([1, 1], to: [2, 3], axis: nil) == [1, 1])
        #expect(Broadcasting.legacyShape([3], to: [2, 3, 4, 5], axis: nil) == nil)
    }

    /// The plan's strided walk agrees with a direct index computation for many shape combinations.
    @Test(arguments: [
        ([2, 3, 4], [4]), ([2, 3, 4], [3, 1]), ([2, 1, 4], [1, 3, 1]), ([1], [2, 2]), ([5, 1, 1, 3], [1, 4, 2, 1]),
        ([3, 1, 2, 1], [3, 4, 1, 5]), ([], [2, 3]), ([2, 0, 3], [3]), ([1, 1, 1], [1]),
    ] as [([Int], [Int])])
    func planMatchesNaiveIndexing(_ sa: [Int], _ sb: [Int]) throws {
        let out = try #require(Broadcasting.shape([sa, sb]))
        let a = (0..<sa.reduce(1, *)).map { Float($0) }
        let b = (0..<sb.reduce(1, *)).map { Float($0) * 1000 }
        let got = BroadcastMap.binary(a, b, BroadcastPlan(output: out, operands: [sa, sb])) { $0 + $1 }
        var expected: [Float] = []
        let n = out.reduce(1, *)
        for flat in 0..<n {
            var rest = flat, ia = 0, ib = 0, strideA = 1, strideB = 1
            for d in stride(from: out.count - 1, through: 0, by: -1) {
                let i = rest % out[d]; rest /= out[d]
                let da = d - (out.count - sa.count), db = d - (out.count - sb.count)
                if da >= 0 { if sa[da] != 1 { ia += i * strideA }; strideA *= sa[da] }
                if db >= 0 { if sb[db] != 1 { ib += i * strideB }; strideB *= sb[db] }
            }
            expected.append(a[ia] + b[ib])
        }
        #expect(got == expected)
        // Three operands (Where) walk the same way.
        let c = [Bool](repeating: true, count: 1)
        #expect(BroadcastMap.ternary(c, a, b, BroadcastPlan(output: out, operands: [[1], sa, sb])) { $0 ? $1 + $2 : 0 } == expected)
    }
}

@Suite("Elementwise: arithmetic")
struct ArithmeticTests {
    static let a = f32([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5].map { $0 / 3 }, [2, 3, 1])
    static let b = f32([0.5, -2, 4, 8])

    @Test(arguments: [
        ("Add", [-0.3333333134651184, -2.8333332538604736, 3.1666667461395264, 7.166666507720947, 0.0, -2.5, 3.5, 7.5, 0.3333333134651184, -2.1666667461395264, 3.8333332538604736, 7.833333492279053, 0.6666666865348816, -1.8333333730697632, 4.166666507720947, 8.166666984558105, 1.0, -1.5, 4.5, 8.5, 1.3333332538604736, -1.1666667461395264, 4.833333492279053, 8.833333015441895]),
        ("Sub", [-1.3333332538604736, 1.1666667461395264, -4.833333492279053, -8.833333015441895, -1.0, 1.5, -4.5, -8.5, -0.6666666865348816, 1.8333333730697632, -4.166666507720947, -8.166666984558105, -0.3333333134651184, 2.1666667461395264, -3.8333332538604736, -7.833333492279053, 0.0, 2.5, -3.5, -7.5, 0.3333333134651184, 2.8333332538604736, -3.1666667461395264, -7.166666507720947]),
        ("Mul", [-0.4166666567325592, 1.6666666269302368, -3.3333332538604736, -6.666666507720947, -0.25, 1.0, -2.0, -4.0, -0.0833333358168602, 0.3333333432674408, -0.6666666865348816, -1.3333333730697632, 0.0833333358168602, -0.3333333432674408, 0.6666666865348816, 1.3333333730697632, 0.25, -1.0, 2.0, 4.0, 0.4166666567325592, -1.6666666269302368, 3.3333332538604736, 6.666666507720947]),
        ("Div", [-1.6666666269302368, 0.4166666567325592, -0.2083333283662796, -0.1041666641831398, -1.0, 0.25, -0.125, -0.0625, -0.3333333432674408, 0.0833333358168602, -0.0416666679084301, -0.02083333395421505, 0.3333333432674408, -0.0833333358168602, 0.0416666679084301, 0.02083333395421505, 1.0, -0.25, 0.125, 0.0625, 1.6666666269302368, -0.4166666567325592, 0.2083333283662796, 0.1041666641831398]),
    ] as [(String, [Double])])
    func floatBroadcastMatchesOnnxruntime(_ op: String, _ expected: [Double]) throws {
        for opset: Int64 in [7, 13, 14] {
            let y = try run1(op, [Self.a, Self.b], opset: opset)
            #expect(y.shape == [2, 3, 4] && y.elementType == .float)
            #expect(y.floats == expected.map { Float($0) })
        }
    }

    @Test func integerDivisionTruncatesTowardZeroAndWraps() throws {
        let q = try run1("Div", [i64([7, -7, 7, -7, -2147483648], [5], .int32), i64([2, 2, -2, -2, -1], [5], .int32)])
        #expect(q.ints == [3, -3, -3, 3, -2147483648] && q.elementType == .int32)
        #expect(try run1("Div", [i64([.min]), i64([-1])]).ints == [.min])
        #expect(try run1("Add", [i64([127, -128], [2], .int8), i64([1, -1], [2], .int8)]).ints == [-128, 127])
        #expect(try run1("Mul", [i64([1 << 62]), i64([4])]).ints == [0])
        #expect(try run1("Sub", [i64([0], [1], .uint8), i64([1], [1], .uint8)]).ints == [255])
        // uint64 values above Int64.max are held as bit patterns and divided unsigned.
        #expect(try run1("Div", [i64([-2], [1], .uint64), i64([2], [1], .uint64)]).ints == [Int64.max])
    }

    @Test func errorsNameTheProblem() {
        let zero = #expect(throws: EvaluationError.self) { try run1("Div", [i64([1, 2]), i64([1, 0])]) }
        #expect(zero?.description.contains("division by zero") == true)
        let shapes = #expect(throws: EvaluationError.self) { try run1("Add", [f32([1, 2, 3]), f32([1, 2])]) }
        #expect(shapes?.description.contains("[3] and [2]") == true)
        let types = #expect(throws: EvaluationError.self) { try run1("Mul", [f32([1]), i64([1])]) }
        #expect(types?.description.contains("float32 and int64") == true)
        #expect(throws: EvaluationError.self) { try run1("Add", [NDArray(bools: [true], shape: [1]), NDArray(bools: [true], shape: [1])]) }
    }

    @Test func legacyBroadcastAttributes() throws {
        let a = f32((0..<24).map(Float.init), [2, 3, 4])
        let b = f32([10, 20, 30])
        let y = try run1("Add", [a, b], [attr("broadcast", Int64(1)), attr("axis", Int64(1))], opset: 6)
        #expect(y.shape == [2, 3, 4])
        #expect(y.floats == [10, 11, 12, 13, 24, 25, 26, 27, 38, 39, 40, 41, 22, 23, 24, 25, 36, 37, 38, 39, 50, 51, 52, 53])
        // Default axis aligns B with A's trailing dimensions; a one-element B is a scalar.
        #expect(try run1("Sub", [f32([1, 2, 3, 4], [2, 2]), f32([1, 2])], [attr("broadcast", Int64(1))], opset: 1).floats == [0, 0, 2, 2])
        #expect(try run1("Mul", [f32([1, 2, 3, 4], [2, 2]), f32([3], [1, 1])], [attr("broadcast", Int64(1))], opset: 6).floats == [3, 6, 9, 12])
        let off = #expect(throws: EvaluationError.self) { try run1("Add", [a, b], opset: 6) }
        #expect(off?.description.contains("'broadcast' is not 1") == true)
        #expect(throws: EvaluationError.self) { try run1("Add", [a, b], [attr("broadcast", Int64(1))], opset: 6) }
    }

    @Test func float16StaysFloat16AndRounds() throws {
        let h = NDArray(floats: [1, 2048, 0.1], shape: [3], type: .float16).rounded()
        let y = try run1("Add", [h, NDArray(floats: [0.0009765625, 1, 0.2], shape: [3], type: .float16).rounded()])
        #expect(y.elementType == .float16)
        #expect(y.floats == [1.0009765625, 2048.0, 0.2998046875])
    }

    @Test func mod() throws {
        #expect(try run1("Mod", [i64([7, -7, 7, -7]), i64([3, 3, -3, -3])], opset: 13).ints == [1, 2, -2, -1])
        #expect(try run1("Mod", [i64([7, -7, 7, -7]), i64([3, 3, -3, -3])], [attr("fmod", Int64(1))], opset: 13).ints == [1, -1, 1, -1])
        #expect(try run1("Mod", [i64([-1, 5], [2], .uint64), i64([10, 3], [2], .uint64)]).ints == [5, 2])
        let x = f32([-2.5, 2.5, 0, -0.0, .infinity, 3, -3, 3, .nan])
        let y = f32([2, -2, -3, 3, 2, .infinity, .infinity, 0, 1])
        #expect(same(try run1("Mod", [x, y], [attr("fmod", Int64(1))], opset: 13).floats, [-0.5, 0.5, 0, -0.0, .nan, 3, -3, .nan, .nan]))
        // fmod=0 on floats: refused before opset 28 (as onnxruntime), floored remainder from 28.
        let refused = #expect(throws: EvaluationError.self) { try run1("Mod", [x, y], opset: 13) }
        #expect(refused?.description.contains("'fmod' must be 1") == true)
        #expect(same(try run1("Mod", [x, y], opset: 28).floats, [1.5, -1.5, -0.0, 0, .nan, 3, .infinity, .nan, .nan]))
        #expect(throws: EvaluationError.self) { try run1("Mod", [i64([1]), i64([0])]) }
    }

    @Test func pow() throws {
        #expect(try run1("Pow", [i64([2, 3, -2, 5]), i64([3, 2, 3, 0])], opset: 15).ints == [8, 9, -8, 1])
        #expect(try run1("Pow", [i64([2, 3, -2, 5], [4], .int32), i64([3, 2, -1, 0], [4], .int32)]).ints == [8, 9, 0, 1])
        // Out-of-range integer results: x86 "integer indefinite", as onnxruntime.
        #expect(try run1("Pow", [i64([2, 3, 1, 0], [4], .int32), i64([40, 21, -2, -1], [4], .int32)]).ints
                == [-2147483648, -2147483648, 1, -2147483648])
        #expect(try run1("Pow", [i64([2, 3, -2, 5]), f32([0.5, 2.7, 3.9, -1])], opset: 15).ints == [1, 19, .min, 0])
        #expect(try run1("Pow", [f32([2, 3, -2, 5]), i64([3, 2, 3, -1])], opset: 15).floats == [8, 9, -8, 0.2])
        #expect(try run1("Pow", [f32([2, 3, 0.5, 9]), f32([0.5, 2.5, -1.5, 0.5])]).floats
                == [1.4142135381698608, 15.588457107543945, 2.8284270763397217, 3.0])
        #expect(try run1("Pow", [f32([1.1, -2.2, 3.3]), f32([3], [])]).floats == [1.3310000896453857, -10.648000717163086, 35.93699645996094])
        #expect(try run1("Pow", [f32([1.1, 2.2, 3.3]), NDArray(doubles: [0.3, 1.7, 2.9], shape: [3])], opset: 15).floats
                == [1.029005765914917, 3.8204855918884277, 31.892635345458984])
        #expect(throws: EvaluationError.self) { try run1("Pow", [f32([2]), i64([2])], opset: 7) }
    }
}

@Suite("Elementwise: variadic")
struct VariadicTests {
    @Test func maxMinPropagateNaN() throws {
        let a = f32([1, .nan, 3]), b = f32([.nan, 2, 1])
        #expect(same(try run1("Max", [a, b]).floats, [.nan, .nan, 3]))
        #expect(same(try run1("Min", [a, b]).floats, [.nan, .nan, 1]))
        #expect(same(try run1("Max", [a]).floats, [1, .nan, 3]))
        #expect(try run1("Max", [i64([-1, 5], [2], .uint64), i64([3, 7], [2], .uint64)]).ints == [-1, 7])
        #expect(try run1("Min", [i64([4, -9], [2], .int8), i64([2], [1], .int8), i64([3, 3], [2], .int8)], opset: 13).ints == [2, -9])
    }

    @Test func sumAndMeanBroadcast() throws {
        let y = try run1("Sum", [f32([1, 2, 3], [3, 1]), f32([10, 20]), f32([100], [])])
        #expect(y.shape == [3, 2] && y.floats == [111, 121, 112, 122, 113, 123])
        // Mean is the sum times 1/n in float32, as onnxruntime (differs from sum/n in the last bit for some values).
        let a: [Float] = [0.1, 0.7, 1e-3], b: [Float] = [0.2, 0.3, 3], c: [Float] = [0.3, 0.11, 5]
        let expected = zip(zip(a, b), c).map { (($0.0 + $0.1) + $1) * (Float(1) / 3) }
        #expect(try run1("Mean", [f32(a), f32(b), f32(c)]).floats == expected)
        #expect(throws: EvaluationError.self) { try run1("Sum", [f32([1, 2]), f32([1, 2, 3])]) }
        #expect(throws: EvaluationError.self) { try run1("Mean", [i64([1]), i64([2])]) }
    }
}

@Suite("Elementwise: unary")
struct UnaryTests {
    static let x: [Float] = [-3, -1.5, -0.5, 0, 0.25, 1, 2.5, 6]

    @Test(arguments: [
        ("Exp", [0.049787066876888275, 0.22313016653060913, 0.6065306663513184, 1.0, 1.2840254306793213, 2.7182817459106445, 12.182494163513184, 403.4288024902344]),
        ("Erf", [-0.9999778866767883, -0.9661051630973816, -0.5204998850822449, 0.0, 0.27632638812065125, 0.8427007794380188, 0.9995930790901184, 1.0]),
        ("Sin", [-0.14112000167369843, -0.9974949955940247, -0.4794255495071411, 0.0, 0.24740396440029144, 0.8414709568023682, 0.5984721779823303, -0.279415488243103]),
        ("Cos", [-0.9899924993515015, 0.07073719799518585, 0.8775825500488281, 1.0, 0.9689124226570129, 0.5403022766113281, -0.8011435866355896, 0.9601702690124512]),
        ("Tanh", [-0.9950547218322754, -0.9051482081413269, -0.46211716532707214, 0.0, 0.24491865932941437, 0.7615941762924194, 0.9866143465042114, 0.9999876022338867]),
    ] as [(String, [Double])])
    func mathMatchesOnnxruntime(_ op: String, _ expected: [Double]) throws {
        #expect(isClose(try run1(op, [f32(Self.x)], opset: 13).floats, expected.map { Float($0) }, rtol: 2e-7, atol: 0))
        // float64 agrees with the float32 result to float32 precision.
        let d = try run1(op, [NDArray(doubles: Self.x.map(Double.init), shape: [8])], opset: 13)
        #expect(d.elementType == .double && isClose(d.doubles.map { Float($0) }, expected.map { Float($0) }, rtol: 2e-7, atol: 0))
    }

    @Test func logSqrtRoundingSign() throws {
        #expect(try run1("Sqrt", [f32(Self.x.map { abs($0) })]).floats
                == [1.7320507764816284, 1.2247449159622192, 0.7071067690849304, 0.0, 0.5, 1.0, 1.5811388492584229, 2.4494898319244385])
        #expect(isClose(try run1("Log", [f32(Self.x.map { abs($0) + 1 })]).floats,
                        [1.3862943649291992, 0.9162907600402832, 0.40546509623527527, 0.0, 0.2231435477733612, 0.6931471824645996, 1.252763032913208, 1.9459102153778076],
                        rtol: 2e-7, atol: 0))
        let r = f32([.nan, -2.5, -0.5, 0.5, 1.5, 2.5, 5, -0.0, .infinity, -.infinity])
        #expect(same(try run1("Round", [r], opset: 11).floats, [.nan, -2, -0.0, 0, 2, 2, 5, -0.0, .infinity, -.infinity]))
        #expect(same(try run1("Sign", [r], opset: 13).floats, [.nan, -1, -1, 1, 1, 1, 1, 0, 1, -1]))
        #expect(try run1("Sign", [i64([-3, 0, 4], [3], .int32)]).ints == [-1, 0, 1])
        #expect(try run1("Sign", [i64([-1, 0], [2], .uint64)]).ints == [1, 0])
        #expect(same(try run1("Floor", [f32([-1.5, 1.5, -0.0])]).floats, [-2, 1, -0.0]))
        #expect(try run1("Ceil", [f32([-1.5, 1.5])]).floats == [-1, 2])
        #expect(try run1("Reciprocal", [f32([4, -0.5])]).floats == [0.25, -2])
        #expect(throws: EvaluationError.self) { try run1("Sqrt", [i64([4])]) }
    }

    @Test func absNegWrapIntegers() throws {
        #expect(try run1("Abs", [i64([-128, 0, 4], [3], .int8)]).ints == [-128, 0, 4])
        #expect(try run1("Neg", [i64([-128, 0, 4], [3], .int8)]).ints == [-128, 0, -4])
        #expect(try run1("Abs", [i64([-1], [1], .uint64)]).ints == [-1])
        #expect(try run1("Abs", [f32([-0.0, -2])]).floats == [0, 2])
        #expect(throws: EvaluationError.self) { try run1("Neg", [i64([1], [1], .uint8)]) }
    }

    @Test func nanInfTests() throws {
        let x = f32([.nan, 1, .infinity, -.infinity])
        #expect(try run1("IsNaN", [x]).bools == [true, false, false, false])
        #expect(try run1("IsInf", [x]).bools == [false, false, true, true])
        #expect(try run1("IsInf", [x], [attr("detect_negative", Int64(0))]).bools == [false, false, true, false])
        #expect(try run1("IsInf", [x], [attr("detect_positive", Int64(0))]).bools == [false, false, false, true])
        #expect(try run1("Not", [NDArray(bools: [true, false], shape: [2])]).bools == [false, true])
    }
}

@Suite("Elementwise: activations")
struct ActivationTests {
    static let x: [Float] = [-3, -1.5, -0.5, 0, 0.25, 1, 2.5, 6]

    @Test(arguments: [
        ("Relu", [], 13, [0.0, 0.0, 0.0, 0.0, 0.25, 1.0, 2.5, 6.0]),
        ("LeakyRelu", [attr("alpha", Float(0.1))], 16, [-0.30000001192092896, -0.15000000596046448, -0.05000000074505806, 0.0, 0.25, 1.0, 2.5, 6.0]),
        ("Elu", [attr("alpha", Float(0.5))], 6, [-0.47510647773742676, -0.38843491673469543, -0.19673466682434082, 0.0, 0.25, 1.0, 2.5, 6.0]),
        ("Selu", [], 6, [-1.6705687046051025, -1.3658143281936646, -0.6917581558227539, 0.0, 0.2626752555370331, 1.0507010221481323, 2.6267526149749756, 6.304205894470215]),
        ("Celu", [attr("alpha", Float(2))], 12, [-1.5537396669387817, -1.0552668571472168, -0.44239842891693115, 0.0, 0.25, 1.0, 2.5, 6.0]),
        ("Sigmoid", [], 13, [0.04742586612701416, 0.18242555856704712, 0.3775407075881958, 0.5, 0.5621764659881592, 0.7310585975646973, 0.9241418242454529, 0.9975273609161377]),
        ("HardSigmoid", [], 6, [0.0, 0.19999998807907104, 0.4000000059604645, 0.5, 0.550000011920929, 0.699999988079071, 1.0, 1.0]),
        ("HardSwish", [], 14, [-0.0, -0.375, -0.2083333283662796, 0.0, 0.1354166716337204, 0.6666666865348816, 2.2916667461395264, 6.0]),
        ("Softplus", [], 1, [0.04858735576272011, 0.20141325891017914, 0.4740769863128662, 0.6931471824645996, 0.8259394764900208, 1.3132617473602295, 2.578889846801758, 6.002475738525391]),
        ("Softsign", [], 1, [-0.75, -0.6000000238418579, -0.3333333432674408, 0.0, 0.20000000298023224, 0.5, 0.7142857313156128, 0.8571429252624512]),
        ("Mish", [], 18, [-0.14564745128154755, -0.29809969663619995, -0.22074377536773682, 0.0, 0.16957242786884308, 0.8650984764099121, 2.4713923931121826, 5.999927043914795]),
        ("Gelu", [], 20, [-0.0040496885776519775, -0.10021081566810608, -0.1542687714099884, 0.0, 0.14967657625675201, 0.8413447141647339, 2.484476089477539, 6.0]),
        ("Gelu", [attr("approximate", "tanh")], 20, [-0.0036375224590301514, -0.10042843222618103, -0.1542859971523285, 0.0, 0.14967535436153412, 0.8411920070648193, 2.4849157333374023, 6.0]),
    ] as [(String, [Attribute], Int64, [Double])])
    func matchesOnnxruntime(_ op: String, _ attributes: [Attribute], _ opset: Int64, _ expected: [Double]) throws {
        let y = try run1(op, [f32(Self.x)], attributes, opset: opset)
        #expect(y.elementType == .float)
        #expect(isClose(y.floats, expected.map { Float($0) }, rtol: 1e-6, atol: 1e-7))
        // float64 agrees to float32 precision (absolute: float32 Gelu-tanh loses digits to cancellation near -3).
        let d = try run1(op, [NDArray(doubles: Self.x.map(Double.init), shape: [8])], attributes, opset: opset)
        #expect(isClose(d.doubles.map { Float($0) }, expected.map { Float($0) }, rtol: 1e-6, atol: 1e-6))
    }

    @Test func edgeValues() throws {
        let x = f32([.nan, -0.0, -.infinity, .infinity, -100, 100])
        #expect(same(try run1("Relu", [x]).floats, [.nan, -0.0, 0, .infinity, 0, 100]))
        let s = try run1("Sigmoid", [x]).floats
        #expect(s[0].isNaN && s[2] == 0 && s[3] == 1 && s[4] >= 0 && s[4] < 1e-30 && s[5] == 1)
        let sp = try run1("Softplus", [x]).floats
        #expect(sp[3] == .infinity && sp[5] == 100 && sp[4] > 0)
        #expect(try run1("Relu", [i64([-3, 4], [2], .int32)], opset: 14).ints == [0, 4])
        #expect(throws: EvaluationError.self) { try run1("Relu", [i64([-3], [1], .int32)], opset: 13) }
        #expect(throws: EvaluationError.self) { try run1("Gelu", [x], [attr("approximate", "erf")], opset: 20) }
    }

    @Test func preluBroadcastsSlope() throws {
        let x = f32([-1, 2, -3, 4, -5, 6], [2, 3])
        #expect(try run1("PRelu", [x, f32([0.5])], opset: 9).floats == [-0.5, 2, -1.5, 4, -2.5, 6])
        #expect(try run1("PRelu", [x, f32([1, 2, 3])], opset: 16).floats == [-1, 2, -9, 4, -10, 6])
        #expect(try run1("PRelu", [i64([-1, 2, -3, 4], [2, 2], .int32), i64([2, 3], [2], .int32)], opset: 16).ints == [-2, 2, -6, 4])
        let bad = #expect(throws: EvaluationError.self) { try run1("PRelu", [x, f32([1, 2])]) }
        #expect(bad?.description.contains("slope of shape [2]") == true)
    }
}

@Suite("Elementwise: softmax")
struct SoftmaxTests {
    static let x = f32((0..<24).map { Float($0) / 7 - 1 }, [2, 3, 4])

    @Test(arguments: [
        ("Softmax", 11, Int64?.none, [0.03373047709465027, 0.03891029208898544, 0.044885553419589996, 0.0517784059047699, 0.05972976237535477, 0.0689021572470665, 0.07948311418294907, 0.09168893843889236, 0.10576915740966797, 0.12201158702373505, 0.1407483071088791, 0.16236230731010437, 0.03373047709465027, 0.03891029208898544, 0.044885553419589996, 0.0517784021794796, 0.05972976237535477, 0.0689021572470665, 0.07948310673236847, 0.09168892353773117, 0.10576914995908737, 0.12201158702373505, 0.1407482773065567, 0.16236232221126556]),
        ("Softmax", 13, nil, [0.1992293745279312, 0.229824036359787, 0.26511695981025696, 0.3058296740055084, 0.19922935962677002, 0.2298240065574646, 0.26511693000793457, 0.30582961440086365, 0.1992293745279312, 0.2298240065574646, 0.26511695981025696, 0.30582961440086365, 0.1992293745279312, 0.2298240065574646, 0.26511695981025696, 0.30582961440086365, 0.1992293745279312, 0.2298240214586258, 0.26511693000793457, 0.30582958459854126, 0.1992293745279312, 0.229824036359787, 0.26511693000793457, 0.3058296740055084]),
        ("Softmax", 13, 1, [0.1693047136068344, 0.1693047285079956, 0.1693047136068344, 0.1693047285079956, 0.2998039424419403, 0.2998039424419403, 0.2998039424419403, 0.2998039424419403, 0.5308912992477417, 0.5308912992477417, 0.5308912992477417, 0.5308912992477417, 0.1693047136068344, 0.1693047136068344, 0.1693047285079956, 0.1693047136068344, 0.2998039424419403, 0.2998039424419403, 0.2998039424419403, 0.2998039126396179, 0.5308912992477417, 0.5308912992477417, 0.5308912992477417, 0.5308913588523865]),
        ("LogSoftmax", 11, nil, [-3.3893535137176514, -3.2464964389801025, -3.1036391258239746, -2.960782051086426, -2.817924976348877, -2.675067901611328, -2.5322105884552, -2.3893535137176514, -2.2464962005615234, -2.1036391258239746, -1.9607820510864258, -1.817924976348877, -3.3893535137176514, -3.2464964389801025, -3.1036391258239746, -2.960782051086426, -2.817924976348877, -2.675067901611328, -2.5322108268737793, -2.3893537521362305, -2.2464962005615234, -2.1036391258239746, -1.9607821702957153, -1.8179248571395874]),
        ("LogSoftmax", 13, nil, [-1.6132984161376953, -1.4704413414001465, -1.327584147453308, -1.1847269535064697, -1.6132984161376953, -1.4704413414001465, -1.3275842666625977, -1.1847270727157593, -1.6132984161376953, -1.4704413414001465, -1.327584147453308, -1.1847270727157593, -1.6132984161376953, -1.4704413414001465, -1.327584147453308, -1.1847270727157593, -1.6132984161376953, -1.4704413414001465, -1.3275842666625977, -1.1847271919250488, -1.6132984161376953, -1.4704413414001465, -1.3275842666625977, -1.1847269535064697]),
        ("LogSoftmax", 13, 1, [-1.776055097579956, -1.776055097579956, -1.776055097579956, -1.776055097579956, -1.2046265602111816, -1.2046265602111816, -1.2046265602111816, -1.2046265602111816, -0.6331979632377625, -0.6331979632377625, -0.6331979632377625, -0.6331979632377625, -1.776055097579956, -1.776055097579956, -1.776055097579956, -1.7760552167892456, -1.2046265602111816, -1.2046265602111816, -1.2046265602111816, -1.2046266794204712, -0.6331979632377625, -0.6331979632377625, -0.6331979632377625, -0.6331979036331177]),
    ] as [(String, Int64, Int64?, [Double])])
    func bothAxisConventions(_ op: String, _ opset: Int64, _ axis: Int64?, _ expected: [Double]) throws {
        let y = try run1(op, [Self.x], axis.map { [attr("axis", $0)] } ?? [], opset: opset)
        #expect(y.shape == [2, 3, 4])
        #expect(isClose(y.floats, expected.map { Float($0) }, rtol: 1e-6, atol: 1e-7))
    }

    @Test func largeInputsAreStableAndBadAxisIsRefused() throws {
        #expect(isClose(try run1("Softmax", [f32([1000, 1001, 1002])], opset: 13).floats,
                        [0.09003057330846786, 0.2447284758090973, 0.6652409434318542], rtol: 1e-6))
        #expect(try run1("LogSoftmax", [f32([1000, 1000])], opset: 13).floats == [-0.6931471824645996, -0.6931471824645996])
        let e = #expect(throws: EvaluationError.self) { try run1("Softmax", [Self.x], [attr("axis", Int64(3))], opset: 13) }
        #expect(e?.description.contains("axis 3") == true)
        // Opset 11 axis=2 equals opset 13 axis=-1 on the last dimension.
        #expect(try run1("Softmax", [Self.x], [attr("axis", Int64(2))], opset: 11) == (try run1("Softmax", [Self.x], opset: 13)))
    }
}

@Suite("Elementwise: comparison and logic")
struct ComparisonTests {
    @Test func comparisons() throws {
        let a = f32([1, 2, .nan, -0.0], [4]), b = f32([2, 2, .nan, 0], [4])
        #expect(try run1("Equal", [a, b]).bools == [false, true, false, true])
        #expect(try run1("Less", [a, b]).bools == [true, false, false, false])
        #expect(try run1("LessOrEqual", [a, b]).bools == [true, true, false, true])
        #expect(try run1("Greater", [a, b]).bools == [false, false, false, false])
        #expect(try run1("GreaterOrEqual", [a, b]).bools == [false, true, false, true])
        let g = try run1("Greater", [i64([1, 5, 9], [3, 1]), i64([4, 6])])
        #expect(g.shape == [3, 2] && g.bools == [false, false, true, false, true, true])
        #expect(try run1("Less", [i64([-1], [1], .uint64), i64([1], [1], .uint64)]).bools == [false])
        #expect(try run1("Equal", [NDArray(strings: ["a", "b"], shape: [2]), NDArray(strings: ["a"], shape: [1])], opset: 19).bools == [true, false])
        #expect(try run1("Less", [f32([1, 5, 2, 7], [2, 2]), f32([3])], [attr("broadcast", Int64(1))], opset: 1).bools == [true, false, true, false])
    }

    @Test func logic() throws {
        let t = NDArray(bools: [true, true, false, false], shape: [2, 2]), u = NDArray(bools: [true, false], shape: [2])
        #expect(try run1("And", [t, u]).bools == [true, false, false, false])
        #expect(try run1("Or", [t, u]).bools == [true, true, true, false])
        #expect(try run1("Xor", [t, u]).bools == [false, true, true, false])
        #expect(throws: EvaluationError.self) { try run1("And", [f32([1]), f32([1])]) }
    }

    @Test func whereBroadcastsThreeOperands() throws {
        let c = NDArray(bools: [true, false, true], shape: [3, 1])
        let y = try run1("Where", [c, f32([1, 2]), f32([-1], [])])
        #expect(y.shape == [3, 2] && y.floats == [1, 2, -1, -1, 1, 2])
        let s = try run1("Where", [NDArray(bools: [false, true], shape: [2]), NDArray(strings: ["x", "y"], shape: [2]), NDArray(strings: ["z"], shape: [1])])
        #expect(s.strings == ["z", "y"])
        #expect(throws: EvaluationError.self) { try run1("Where", [c, f32([1, 2]), i64([1])]) }
        #expect(throws: EvaluationError.self) { try run1("Where", [f32([1]), f32([1]), f32([1])]) }
    }
}

@Suite("Elementwise: Clip")
struct ClipTests {
    static let x = f32([.nan, -2.5, -0.5, 0.5, 1.5, 2.5, 5, -0.0, .infinity, -.infinity])

    @Test func boundsAsInputsAndAttributes() throws {
        let expected: [Float] = [.nan, -1, -0.5, 0.5, 1.5, 2, 2, -0.0, 2, -1]
        #expect(same(try run1("Clip", [Self.x, f32([-1], []), f32([2], [])], opset: 13).floats, expected))
        #expect(same(try run1("Clip", [Self.x], [attr("min", Float(-1)), attr("max", Float(2))], opset: 6).floats, expected))
        // min > max: everything becomes max; a NaN bound is ignored; absent bounds are the finite limits.
        #expect(same(try run1("Clip", [Self.x, f32([2], []), f32([-1], [])], opset: 13).floats, [.nan] + [Float](repeating: -1, count: 9)))
        #expect(same(try run1("Clip", [Self.x, f32([.nan], []), f32([2], [])], opset: 13).floats, [.nan, -2.5, -0.5, 0.5, 1.5, 2, 2, -0.0, 2, -.infinity]))
        #expect(try run1("Clip", [f32([.infinity, -.infinity, 1])], opset: 13).floats == [.greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1])
        #expect(try run1("Clip", [f32([.infinity, 1]), nil, f32([0], [])], opset: 13).floats == [0, 0])
    }

    @Test func integers() throws {
        #expect(try run1("Clip", [i64([-5, 0, 5, 100], [4], .int32), i64([-1], [], .int32), i64([7], [], .int32)], opset: 13).ints == [-1, 0, 5, 7])
        #expect(try run1("Clip", [i64([-5, 0, 5, 100], [4], .int8), nil, i64([7], [], .int8)], opset: 12).ints == [-5, 0, 5, 7])
        #expect(throws: EvaluationError.self) { try run1("Clip", [i64([1], [1], .int32)], opset: 11) }
        #expect(throws: EvaluationError.self) { try run1("Clip", [f32([1]), f32([0, 1])], opset: 13) }
    }
}

@Suite("Elementwise: Cast")
struct CastTests {
    static let x: [Float] = [1.7, -1.7, 300, -300, 70000, -70000, 3e9, -3e9, 1e20, .nan, .infinity, -.infinity, 0.5, -0.0]

    /// Out-of-range float to integer: what onnxruntime gives on x86-64 (ONNX leaves it undefined).
    @Test(arguments: [
        (ElementType.int8, [1, -1, 44, -44, 112, -112, 0, 0, 0, 0, 0, 0, 0, 0]),
        (.uint8, [1, 255, 44, 212, 112, 144, 0, 0, 0, 0, 0, 0, 0, 0]),
        (.int16, [1, -1, 300, -300, 4464, -4464, 0, 0, 0, 0, 0, 0, 0, 0]),
        (.uint16, [1, 65535, 300, 65236, 4464, 61072, 0, 0, 0, 0, 0, 0, 0, 0]),
        (.int32, [1, -1, 300, -300, 70000, -70000, -2147483648, -2147483648, -2147483648, -2147483648, -2147483648, -2147483648, 0, 0]),
        (.uint32, [1, 4294967295, 300, 4294966996, 70000, 4294897296, 3000000000, 2147483648, 0, 2147483648, 0, 2147483648, 0, 0]),
        (.int64, [1, -1, 300, -300, 70000, -70000, 3000000000, -3000000000, .min, .min, .min, .min, 0, 0]),
        (.uint64, [1, -1, 300, -300, 70000, -70000, 3000000000, -3000000000, 0, .min, 0, .min, 0, 0]),
    ] as [(ElementType, [Int64])])
    func floatToIntegerAsOnnxruntime(_ type: ElementType, _ expected: [Int64]) throws {
        let y = try run1("Cast", [f32(Self.x)], [attr("to", Int64(type.rawValue))], opset: 13)
        #expect(y.elementType == type && y.ints == expected)
        let d = try run1("Cast", [NDArray(doubles: Self.x.map(Double.init), shape: [14])], [attr("to", Int64(type.rawValue))], opset: 13)
        #expect(d.ints == expected)
    }

    @Test func numericConversions() throws {
        #expect(try run1("Cast", [f32(Self.x)], [attr("to", Int64(9))]).bools == [true, true, true, true, true, true, true, true, true, true, true, true, true, false])
        #expect(try run1("Cast", [i64([200], [1], .int16)], [attr("to", Int64(3))]).ints == [-56])
        #expect(try run1("Cast", [i64([-1], [1], .int64)], [attr("to", Int64(13))]).ints == [-1])
        #expect(try run1("Cast", [i64([-1], [1], .uint64)], [attr("to", Int64(1))]).floats == [0x1p64])
        #expect(try run1("Cast", [i64([16_777_217])], [attr("to", Int64(1))]).floats == [16_777_216])
        // float64 to float16 rounds through float32, as onnxruntime: 1 + 2^-11 + 2^-30 becomes 1, not 1 + 2^-10.
        let h = try run1("Cast", [NDArray(doubles: [1 + 0x1p-11 + 0x1p-30, 70000], shape: [2])], [attr("to", Int64(10))])
        #expect(h.elementType == .float16 && h.floats == [1, .infinity])
        #expect(try run1("Cast", [NDArray(bools: [true, false], shape: [2])], [attr("to", Int64(11))]).doubles == [1, 0])
        // float16/bfloat16 to uint32 takes onnxruntime's scalar int64 path: NaN and ±inf give 0.
        for type in [ElementType.float16, .bfloat16] {
            let u = try run1("Cast", [NDArray(floats: [.nan, .infinity, -.infinity, -5], shape: [4], type: type)], [attr("to", Int64(12))])
            #expect(u.ints == [0, 0, 0, 4294967291])
        }
        // Opset 1 names the type.
        #expect(try run1("Cast", [f32([2.9])], [attr("to", "INT32")], opset: 1).ints == [2])
        let like = try run1("CastLike", [f32([2.5]), NDArray(doubles: [0], shape: [1])], opset: 15)
        #expect(like.elementType == .double && like.doubles == [2.5])
    }

    @Test func strings() throws {
        let s = try run1("Cast", [f32([1.5, 0.1, 1e20, -0.0, .nan, .infinity, -.infinity, 3, 1.0 / 3, 123456792])], [attr("to", Int64(8))])
        #expect(s.strings == ["1.5", "0.1", "1e+20", "-0", "NaN", "INF", "-INF", "3", "0.33333334", "1.2345679e+08"])
        #expect(try run1("Cast", [i64([-5, 1 << 40])], [attr("to", Int64(8))]).strings == ["-5", "1099511627776"])
        #expect(try run1("Cast", [NDArray(bools: [true, false], shape: [2])], [attr("to", Int64(8))]).strings == ["1", "0"])
        let text = NDArray(strings: ["1.5", " 2", "inf", "-INF", "NaN", "1e3", "3.9", "-0"], shape: [8])
        #expect(same(try run1("Cast", [text], [attr("to", Int64(1))]).floats, [1.5, 2, .infinity, -.infinity, .nan, 1000, 3.9, -0.0]))
        #expect(try run1("Cast", [NDArray(strings: ["12", "-7", " 8", "3.9", "+5"], shape: [5])], [attr("to", Int64(2))]).ints == [12, 249, 8, 3, 5])
        #expect(try run1("Cast", [NDArray(strings: ["99999999999"], shape: [1])], [attr("to", Int64(6))]).ints == [1215752191])
        let bad = #expect(throws: EvaluationError.self) { try run1("Cast", [NDArray(strings: ["abc"], shape: [1])], [attr("to", Int64(1))]) }
        #expect(bad?.description.contains("\"abc\"") == true)
    }

    @Test func unsupportedTypeIsRefusedClearly() {
        // float6e2m3 (27): a type the evaluator does not hold (float8 casts are in QuantizationTests).
        let e = #expect(throws: EvaluationError.self) { try run1("Cast", [f32([1])], [attr("to", Int64(27))], opset: 25) }
        #expect(e?.description.contains("casting to type(27) is not supported") == true)
        #expect(throws: EvaluationError.self) { try run1("Cast", [f32([1])]) }
    }
}

@Suite("Selu defaults by opset")
struct SeluDefaultTests {
    /// Selu-1's documented defaults are 1.6732 / 1.0507; from opset 6 they are the full-precision constants.
    @Test func eachVersionUsesItsOwnDefaults() throws {
        let x = NDArray(floats: [-1, 2], shape: [2])
        let old = try runNode("Selu", [x], opset: 1)[0].floats
        let new = try runNode("Selu", [x], opset: 6)[0].floats
        #expect(old[1] == Float(1.0507) * 2)
        #expect(new[1] == Float(1.05070102214813232421875) * 2)
        #expect(old[0] != new[0])
    }
}
