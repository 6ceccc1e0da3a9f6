import Foundation
import Testing
@testable import FreezerIR
@testable import FreezerKernels

// Hand-computed cases for the subtle attributes of the supplementary operators (losses, Unique,
// ScatterElements, MaxUnpool, CumProd, BitShift, Einsum diagonals). Floating kernels run both on
// float32 input and on float64 input (what the evaluator's float64 precision hands them).

private func f32(_ v: [Float], _ shape: [Int]) -> NDArray { NDArray(floats: v, shape: shape) }
private func f64(_ v: [Double], _ shape: [Int]) -> NDArray { NDArray(doubles: v, shape: shape) }
private func i64(_ v: [Int64], _ shape: [Int], _ type: ElementType = .int64) -> NDArray { NDArray(ints: v, shape: shape, type: type) }

/// The same values as float32 or float64.
private func floating(_ v: [Double], _ shape: [Int], double: Bool) -> NDArray {
    double ? f64(v, shape) : f32(v.map { Float($0) }, shape)
}

@Suite("Supplementary operators: losses")
struct LossTests {
    // Log-probabilities N=3, C=2: row n is [-(2n+1), -(2n+2)]; weights [2, 5].
    private func nll(_ reduction: String, ignore: Int64?, weighted: Bool, double: Bool) throws -> NDArray {
        var attributes = [attr("reduction", reduction)]
        if let ignore { attributes.append(attr("ignore_index", ignore)) }
        let input = floating([-1, -2, -3, -4, -5, -6], [3, 2], double: double)
        return try runNode("NegativeLogLikelihoodLoss", [input, i64([0, 1, 0], [3]), weighted ? floating([2, 5], [2], double: double) : nil],
                           attributes: attributes, opset: 13)[0]
    }

    @Test(arguments: [false, true])
    func nllWeightsAndIgnoreIndex(double: Bool) throws {
        // Per element: -input[n, t] · w[t] = 1·2, 4·5, 5·2; the ignored target (1) contributes 0 to both sums.
        expectMatches(try nll("none", ignore: nil, weighted: true, double: double), floating([2, 20, 10], [3], double: double), "none")
        expectMatches(try nll("none", ignore: 1, weighted: true, double: double), floating([2, 0, 10], [3], double: double), "none, ii")
        expectMatches(try nll("sum", ignore: 1, weighted: true, double: double), floating([12], [], double: double), "sum, ii")
        // Weighted mean divides by the weights of the targets that count: (2 + 20 + 10) / (2 + 5 + 2).
        expectMatches(try nll("mean", ignore: nil, weighted: true, double: double), floating([32.0 / 9], [], double: double), "mean")
        // With ignore_index 1: (2 + 10) / (2 + 2).
        expectMatches(try nll("mean", ignore: 1, weighted: true, double: double), floating([3], [], double: double), "mean, ii")
        // Unweighted mean over the two targets not ignored: (1 + 5) / 2.
        expectMatches(try nll("mean", ignore: 1, weighted: false, double: double), floating([3], [], double: double), "mean, ii, no weight")
        // An ignore_index outside [0, C) is allowed; every target then counts: (1 + 4 + 5) / 3.
        expectMatches(try nll("mean", ignore: -7, weighted: false, double: double), floating([10.0 / 3], [], double: double), "mean, ii outside")
    }

    @Test func nllSpatial() throws {
        // N=1, C=2, D=2: input[0, c, d]; targets [1, 0] pick input[0,1,0] = -3 and input[0,0,1] = -2.
        let input = f32([-1, -2, -3, -4], [1, 2, 2])
        let out = try runNode("NegativeLogLikelihoodLoss", [input, i64([1, 0], [1, 2])], attributes: [attr("reduction", "none")], opset: 22)[0]
        expectMatches(out, f32([3, 2], [1, 2]), "N×C×D")
        expectFailure("NegativeLogLikelihoodLoss", [input, i64([2, 0], [1, 2])], opset: 13, mentioning: "outside [0, 2)")
    }

    @Test(arguments: [false, true])
    func softmaxCrossEntropyWithWeightsAndLogProb(double: Bool) throws {
        // Row 0: scores [0, 0] → log-probabilities [-ln 2, -ln 2]; row 1: [0, ln 3] → [ln 1/4, ln 3/4].
        let scores = floating([0, 0, 0, log(3)], [2, 2], double: double)
        let out = try runNode("SoftmaxCrossEntropyLoss", [scores, i64([0, 1], [2]), floating([1, 3], [2], double: double)],
                              attributes: [], outputs: 2, opset: 13)
        // Mean (default) weighted by [1, 3]: (ln 2 · 1 − ln(3/4) · 3) / (1 + 3).
        expectMatches(out[0], floating([(log(2) - 3 * log(0.75)) / 4], [], double: double), "loss")
        expectMatches(out[1], floating([-log(2), -log(2), log(0.25), log(0.75)], [2, 2], double: double), "log_prob")
        // ignore_index on the second target leaves only the first: ln 2 · 1 / 1.
        let ignored = try runNode("SoftmaxCrossEntropyLoss", [scores, i64([0, 1], [2]), floating([1, 3], [2], double: double)],
                                  attributes: [attr("ignore_index", Int64(1))], opset: 13)[0]
        expectMatches(ignored, floating([log(2)], [], double: double), "mean, ii")
    }
}

@Suite("Supplementary operators: tensors")
struct SupplementaryTensorTests {
    @Test func uniqueWithAxisSortedAndUnsorted() throws {
        // Columns of [[2, 1, 2], [0, 5, 0]]: (2,0), (1,5), (2,0).
        let x = f32([2, 1, 2, 0, 5, 0], [2, 3])
        let sorted = try runNode("Unique", [x], attributes: [attr("axis", Int64(1))], outputs: 4, opset: 11)
        expectMatches(sorted[0], f32([1, 2, 5, 0], [2, 2]), "Y sorted")
        expectMatches(sorted[1], i64([1, 0], [2]), "indices sorted")
        expectMatches(sorted[2], i64([1, 0, 1], [3]), "inverse sorted")
        expectMatches(sorted[3], i64([1, 2], [2]), "counts sorted")
        let unsorted = try runNode("Unique", [x], attributes: [attr("axis", Int64(-1)), attr("sorted", Int64(0))], outputs: 4, opset: 11)
        expectMatches(unsorted[0], f32([2, 1, 0, 5], [2, 2]), "Y unsorted")
        expectMatches(unsorted[1], i64([0, 1], [2]), "indices unsorted")
        expectMatches(unsorted[2], i64([0, 1, 0], [3]), "inverse unsorted")
        expectMatches(unsorted[3], i64([2, 1], [2]), "counts unsorted")
    }

    @Test func uniqueFlattened() throws {
        let out = try runNode("Unique", [i64([3, 1, 3, 2, 1], [5])], attributes: [attr("sorted", Int64(0))], outputs: 4, opset: 11)
        #expect(out[0].ints == [3, 1, 2] && out[1].ints == [0, 1, 3] && out[2].ints == [0, 1, 0, 2, 1] && out[3].ints == [2, 2, 1])
    }

    @Test(arguments: [("none", [1, 20, 3, 40]), ("add", [1, 32, 3, 74]), ("mul", [1, 400, 3, 4800]),
                      ("max", [1, 20, 3, 40]), ("min", [1, 2, 3, 4])] as [(String, [Double])])
    func scatterElementsReductionsWithDuplicates(_ reduction: String, _ expected: [Double]) throws {
        // Indices 1 and 3 (written -1) each receive two updates, applied in order.
        let inputs: [NDArray?] = [f32([1, 2, 3, 4], [4]), i64([1, 1, 3, -1], [4]), f32([10, 20, 30, 40], [4])]
        let out = try runNode("ScatterElements", inputs, attributes: [attr("reduction", reduction)], opset: 18)[0]
        expectMatches(out, f32(expected.map { Float($0) }, [4]), reduction)
        let wide = try runNode("ScatterElements", [f64([1, 2, 3, 4], [4]), inputs[1], f64([10, 20, 30, 40], [4])],
                               attributes: [attr("reduction", reduction)], opset: 18)[0]
        expectMatches(wide, f64(expected, [4]), "\(reduction) float64")
        let ints = try runNode("ScatterElements", [i64([1, 2, 3, 4], [4], .int32), inputs[1], i64([10, 20, 30, 40], [4], .int32)],
                               attributes: [attr("reduction", reduction)], opset: 18)[0]
        #expect(ints.ints == expected.map { Int64($0) })
    }

    @Test func scatterElementsAlongAxisAndOpsetLimits() throws {
        let out = try runNode("ScatterElements", [f32([0, 0, 0, 0, 0, 0], [2, 3]), i64([2, 2, 0, 1], [2, 2]), f32([1, 2, 3, 4], [2, 2])],
                              attributes: [attr("axis", Int64(1)), attr("reduction", "add")], opset: 16)[0]
        expectMatches(out, f32([0, 0, 3, 3, 4, 0], [2, 3]), "axis 1 add")
        expectFailure("ScatterElements", [f32([0], [1]), i64([0], [1]), f32([1], [1])], attributes: [attr("reduction", "max")],
                      opset: 16, mentioning: "reduction")
    }

    @Test func maxUnpoolWithAndWithoutOutputShape() throws {
        // Indices are flat over the inferred 4×4 output: 5 → (1,1), 7 → (1,3), 13 → (3,1), 15 → (3,3).
        let x = f32([5, 6, 7, 8], [1, 1, 2, 2]), indices = i64([5, 7, 13, 15], [1, 1, 2, 2])
        let attributes = [attr("kernel_shape", [Int64(2), 2]), attr("strides", [Int64(2), 2])]
        let plain = try runNode("MaxUnpool", [x, indices], attributes: attributes, opset: 11)[0]
        var expected = [Float](repeating: 0, count: 16)
        expected[5] = 5; expected[7] = 6; expected[13] = 7; expected[15] = 8
        expectMatches(plain, f32(expected, [1, 1, 4, 4]), "inferred shape")
        // output_shape 5×5: the 4×4 result sits in the leading corner, so (r, c) moves to r·5 + c.
        let shaped = try runNode("MaxUnpool", [x, indices, i64([1, 1, 5, 5], [4])], attributes: attributes, opset: 22)[0]
        var expected5 = [Float](repeating: 0, count: 25)
        expected5[6] = 5; expected5[8] = 6; expected5[16] = 7; expected5[18] = 8
        expectMatches(shaped, f32(expected5, [1, 1, 5, 5]), "output_shape")
    }

    @Test func cumProdExclusiveAndReverse() throws {
        func run(_ x: NDArray, exclusive: Int64, reverse: Int64, axis: Int64 = 0) throws -> NDArray {
            try runNode("CumProd", [x, i64([axis], [])], attributes: [attr("exclusive", exclusive), attr("reverse", reverse)], opset: 26)[0]
        }
        let x = f32([1, 2, 3, 4], [4])
        expectMatches(try run(x, exclusive: 0, reverse: 0), f32([1, 2, 6, 24], [4]), "plain")
        expectMatches(try run(x, exclusive: 1, reverse: 0), f32([1, 1, 2, 6], [4]), "exclusive")
        expectMatches(try run(x, exclusive: 0, reverse: 1), f32([24, 24, 12, 4], [4]), "reverse")
        expectMatches(try run(x, exclusive: 1, reverse: 1), f32([24, 12, 4, 1], [4]), "exclusive reverse")
        expectMatches(try run(f64([1, 2, 3, 4], [2, 2]), exclusive: 1, reverse: 1, axis: -1), f64([2, 1, 4, 1], [2, 2]), "2-D last axis, float64")
        // int8 wraps: 100 · 3 = 300 ≡ 44.
        #expect(try run(i64([100, 3], [2], .int8), exclusive: 0, reverse: 0).ints == [100, 44])
    }

    @Test func centerCropPadOddDifferences() throws {
        // Axis 0: 5 → 2 crops ⌊3/2⌋ = 1 before; axis 1: 1 → 4 pads ⌊3/2⌋ = 1 before, 2 after.
        let x = f32([1, 2, 3, 4, 5], [5, 1])
        let out = try runNode("CenterCropPad", [x, i64([2, 4], [2])], opset: 18)[0]
        expectMatches(out, f32([0, 2, 0, 0, 0, 3, 0, 0], [2, 4]), "crop and pad")
    }

    @Test func reverseSequenceAndCompress() throws {
        // time × batch = 3 × 2, lengths [3, 1]: column 0 reversed entirely, column 1 untouched.
        let out = try runNode("ReverseSequence", [f32([1, 2, 3, 4, 5, 6], [3, 2]), i64([3, 1], [2])], opset: 10)[0]
        expectMatches(out, f32([5, 2, 3, 4, 1, 6], [3, 2]), "ReverseSequence")
        let compressed = try runNode("Compress", [f32([1, 2, 3, 4, 5, 6], [3, 2]), NDArray(bools: [false, true], shape: [2])],
                                     attributes: [attr("axis", Int64(0))], opset: 11)[0]
        expectMatches(compressed, f32([3, 4], [1, 2]), "Compress with a short condition")
    }
}

@Suite("Supplementary operators: math")
struct SupplementaryMathTests {
    @Test func bitShiftWidthAndSign() throws {
        func shift(_ x: [Int64], _ s: [Int64], _ type: ElementType, _ direction: String) throws -> [Int64] {
            try runNode("BitShift", [i64(x, [x.count], type), i64(s, [s.count], type)], attributes: [attr("direction", direction)], opset: 11)[0].ints
        }
        // A negative or too large amount shifts everything out: 0 to the left, the sign to the right.
        #expect(try shift([-8, 4, -1], [-1, 8, 9], .int8, "LEFT") == [0, 0, 0])
        #expect(try shift([-8, 4, -1], [-1, 8, 100], .int8, "RIGHT") == [-1, 0, -1])
        #expect(try shift([64, -64], [1, 1], .int8, "LEFT") == [-128, -128])
        #expect(try shift([-8], [1], .int8, "RIGHT") == [-4])
        #expect(try shift([Int64(bitPattern: 0x8000_0000_0000_0000)], [63], .uint64, "RIGHT") == [1])
        #expect(try shift([200], [1], .uint8, "LEFT") == [144])
    }

    @Test func bitwiseOperators() throws {
        let a = i64([0b1100, -1], [2], .int16), b = i64([0b1010, 5], [2], .int16)
        #expect(try runNode("BitwiseAnd", [a, b], opset: 18)[0].ints == [0b1000, 5])
        #expect(try runNode("BitwiseOr", [a, b], opset: 18)[0].ints == [0b1110, -1])
        #expect(try runNode("BitwiseXor", [a, b], opset: 18)[0].ints == [0b0110, -6])
        #expect(try runNode("BitwiseNot", [i64([0, 200], [2], .uint8)], opset: 18)[0].ints == [255, 55])
    }

    @Test func einsumDiagonalAndTrace() throws {
        let m = f32([1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 3])
        expectMatches(try runNode("Einsum", [m], attributes: [attr("equation", "ii->i")], opset: 12)[0], f32([1, 5, 9], [3]), "diagonal")
        expectMatches(try runNode("Einsum", [m], attributes: [attr("equation", "ii")], opset: 12)[0], f32([15], []), "trace")
        // Batched diagonal times a vector: Σ_i A[b,i,i]·v[i].
        let batch = f64([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2])
        let out = try runNode("Einsum", [batch, f64([10, 100], [2])], attributes: [attr("equation", "bii,i->b")], opset: 12)[0]
        expectMatches(out, f64([1 * 10 + 4 * 100, 5 * 10 + 8 * 100], [2]), "batched diagonal contraction")
    }

    @Test(arguments: [false, true])
    func reduceLogSumAndNormalizations(double: Bool) throws {
        let x = floating([1, 2, 3, 4], [2, 2], double: double)
        let logSum = try runNode("ReduceLogSum", [x, i64([1], [1])], attributes: [attr("keepdims", Int64(0))], opset: 18)[0]
        expectMatches(logSum, floating([log(3), log(7)], [2], double: double), "ReduceLogSum")
        let l1 = try runNode("LpNormalization", [x], attributes: [attr("p", Int64(1)), attr("axis", Int64(0))], opset: 1)[0]
        expectMatches(l1, floating([0.25, 2.0 / 6, 0.75, 4.0 / 6], [2, 2], double: double), "L1 along axis 0")
        let hardmax = try runNode("Hardmax", [floating([3, 1, 3, 0], [2, 2], double: double)], opset: 13)[0]
        expectMatches(hardmax, floating([1, 0, 1, 0], [2, 2], double: double), "Hardmax: first maximum")
        let det = try runNode("Det", [floating([0, 2, 3, 4], [2, 2], double: double)], opset: 11)[0]
        expectMatches(det, floating([-6], [], double: double), "Det with a pivot swap")
    }

    @Test func optimizersOneStep() throws {
        let domain = "ai.onnx.preview.training"
        let r = f32([0.1], []), t = i64([1], [])
        // Momentum, standard: V' = 0.9·1 + 0.5·2 = 1.9, X' = 1 − 0.1·1.9.
        let momentum = try runNode("Momentum", [r, t, f32([1], [1]), f32([2], [1]), f32([1], [1])],
                                   attributes: [attr("alpha", Float(0.9)), attr("beta", Float(0.5)), attr("mode", "standard"),
                                                attr("norm_coefficient", Float(0))], outputs: 2, opset: 17, domain: domain)
        expectMatches(momentum[0], f32([0.81], [1]), "Momentum X")
        expectMatches(momentum[1], f32([1.9], [1]), "Momentum V")
        // Adagrad: H' = 1 + 3² = 10, X' = 1 − 0.1 / (1 + 1·0.5) · 3 / √10.
        let adagrad = try runNode("Adagrad", [r, t, f32([1], [1]), f32([3], [1]), f32([1], [1])],
                                  attributes: [attr("decay_factor", Float(0.5))], outputs: 2, opset: 17, domain: domain)
        expectMatches(adagrad[0], f32([Float(1 - 0.1 / 1.5 * 3 / 10.0.squareRoot())], [1]), "Adagrad X")
        expectMatches(adagrad[1], f32([10], [1]), "Adagrad H")
    }
}

@Suite("Supplementary operators: strings")
struct SupplementaryStringTests {
    private func strings(_ v: [String], _ shape: [Int]) -> NDArray { NDArray(strings: v, shape: shape) }

    @Test func splitOnWhitespaceAndDelimiter() throws {
        // No delimiter: whitespace runs separate, the ends are trimmed; after maxsplit the rest is one piece.
        let x = strings(["  a  b c ", "", "x,,y"], [3])
        let ws = try runNode("StringSplit", [x], attributes: [attr("maxsplit", Int64(1))], outputs: 2, opset: 20)
        #expect(ws[0].strings == ["a", "b c ", "", "", "x,,y", ""] && ws[0].shape == [3, 2])
        #expect(ws[1].ints == [2, 0, 1])
        // A delimiter: consecutive ones delimit empty strings, an empty input is one empty piece.
        let comma = try runNode("StringSplit", [x], attributes: [attr("delimiter", ",")], outputs: 2, opset: 20)
        #expect(comma[0].strings == ["  a  b c ", "", "", "", "", "", "x", "", "y"] && comma[1].ints == [1, 1, 3])
    }

    @Test func normalizerAndRegex() throws {
        let words = strings(["Monday", "tuesday", "MONDAY"], [1, 3])
        let out = try runNode("StringNormalizer", [words],
                              attributes: [Attribute(name: "stopwords", value: .strings([Array("monday".utf8)])), attr("case_change_action", "UPPER")],
                              opset: 10)[0]
        #expect(out.strings == ["TUESDAY"] && out.shape == [1, 1])
        let match = try runNode("RegexFullMatch", [strings(["ab12", "ab1x", "é1"], [3])], attributes: [attr("pattern", "\\w+\\d")], opset: 20)[0]
        // \w is ASCII only, as in RE2.
        #expect(match.bools == [true, false, false])
    }

    @Test func tfIdfSkipGramsAndWeights() throws {
        // Pool: 1-grams [1, 2], 2-grams [(1, 3)]; outputs 0, 1, 2. Row [1, 2, 3, 1]: the 1-grams 1 (twice)
        // and 2 once; the 2-gram (1, 3) only with distance 2 (positions 0 and 2).
        let attributes = [attr("min_gram_length", Int64(1)), attr("max_gram_length", Int64(2)), attr("max_skip_count", Int64(1)),
                          attr("ngram_counts", [Int64(0), 2]), attr("ngram_indexes", [Int64(0), 1, 2]),
                          attr("pool_int64s", [Int64(1), 2, 1, 3])]
        let x = i64([1, 2, 3, 1], [1, 4])
        let tf = try runNode("TfIdfVectorizer", [x], attributes: attributes + [attr("mode", "TF")], opset: 9)[0]
        #expect(tf.floats == [2, 1, 1] && tf.shape == [1, 3])
        let weighted = try runNode("TfIdfVectorizer", [x], attributes: attributes + [attr("mode", "TFIDF"),
                                                                                  Attribute(name: "weights", value: .floats([0.5, 2, 3]))], opset: 9)[0]
        #expect(weighted.floats == [1, 2, 3])
        let noSkip = attributes.map { $0.name == "max_skip_count" ? attr("max_skip_count", Int64(0)) : $0 }
        #expect(try runNode("TfIdfVectorizer", [x], attributes: noSkip + [attr("mode", "IDF")], opset: 9)[0].floats == [1, 1, 0])
    }
}

@Suite("Supplementary operators: Unique with NaN")
struct UniqueNaNTests {
    @Test func nanIsOneValueSortedLast() throws {
        let out = try runNode("Unique", [NDArray(floats: [.nan, 1, .nan, -0.0, 0], shape: [5])], outputs: 4, opset: 11)
        #expect(out[0].floats.count == 3 && out[0].floats[0] == 0 && out[0].floats[1] == 1 && out[0].floats[2].isNaN)
        #expect(out[1].ints == [3, 1, 0] && out[2].ints == [2, 1, 2, 0, 0] && out[3].ints == [2, 1, 2])
    }
}
