import Testing
@testable import FreezerIR
@testable import FreezerKernels

/// Behaviour of the NeuralNetwork family that golden values do not show: Dropout and BatchNormalization
/// modes per opset, inference semantics, integer arithmetic, and refusals of bad inputs.
@Suite("NeuralNetwork")
struct NeuralNetworkTests {
    static let x = NDArray(floats: [1, -2, 3, -4, 5, 6], shape: [2, 3])

    // MARK: - Dropout

    /// (opset, attributes, inputs after X, mask type) for Dropout forms evaluated at inference.
    static let inferenceDropouts: [(Int64, [Attribute], [NDArray?], ElementType)] = [
        (1, [attr("is_test", Int64(1)), attr("ratio", Float(0.3))], [], .float),
        (6, [attr("is_test", Int64(1))], [], .float),
        (7, [attr("ratio", Float(0.4))], [], .float),
        (9, [], [], .float),
        (10, [attr("ratio", Float(0.4))], [], .bool),
        (12, [], [], .bool),
        (12, [], [NDArray.scalar(0.7, type: .float)], .bool),
        (13, [], [NDArray.scalar(0.7, type: .float), NDArray(bools: [false], shape: [])], .bool),
        (22, [], [], .bool),
    ]

    @Test(arguments: 0..<inferenceDropouts.count)
    func dropoutAtInferenceIsIdentityWithAllTrueMask(_ k: Int) throws {
        let (opset, attributes, extra, maskType) = Self.inferenceDropouts[k]
        let out = try runNode("Dropout", [Self.x] + extra, attributes: attributes, outputs: 2, opset: opset)
        #expect(out[0] == Self.x)
        #expect(out[1].elementType == maskType && out[1].shape == Self.x.shape)
        #expect(out[1].asDoubles.allSatisfy { $0 == 1 })
    }

    @Test(arguments: [Int64(1), 6])
    func legacyDropoutDefaultsToTrainingAndIsRefused(_ opset: Int64) {
        let error = #expect(throws: EvaluationError.self) {
            try runNode("Dropout", [Self.x], attributes: [attr("ratio", Float(0.4))], opset: opset)
        }
        #expect(error?.description.contains("training-mode Dropout (ratio 0.4") == true)
        #expect(error?.description.contains("evaluate with inference semantics") == true)
    }

    @Test(arguments: [Int64(12), 13, 22])
    func trainingDropoutIsRefusedUnlessInferenceSemanticsOrRatioZero(_ opset: Int64) throws {
        let train = NDArray(bools: [true], shape: [])
        #expect(throws: EvaluationError.self) {
            try runNode("Dropout", [Self.x, NDArray.scalar(0.5, type: .float), train], opset: opset)
        }
        // Absent ratio means 0.5: still random.
        #expect(throws: EvaluationError.self) { try runNode("Dropout", [Self.x, nil, train], opset: opset) }
        let zero = try runNode("Dropout", [Self.x, NDArray.scalar(0, type: .float), train], outputs: 2, opset: opset)
        #expect(zero[0] == Self.x && zero[1].bools.allSatisfy { $0 })
        let frozen = try runNode("Dropout", [Self.x, NDArray.scalar(0.5, type: .float), train], outputs: 2,
                                 opset: opset, inferenceSemantics: true)
        #expect(frozen[0] == Self.x && frozen[1] == NDArray(bools: [Bool](repeating: true, count: 6), shape: [2, 3]))
    }

    @Test func legacyTrainingDropoutUnderInferenceSemanticsHasMaskOfInputType() throws {
        let half = NDArray(floats: [1, 2], shape: [2], type: .float16)
        let out = try runNode("Dropout", [half], outputs: 2, opset: 6, inferenceSemantics: true)
        #expect(out[0] == half)
        #expect(out[1] == NDArray(floats: [1, 1], shape: [2], type: .float16))
    }

    @Test func dropoutRejectsMalformedTrainingModeAndRatio() {
        #expect(throws: EvaluationError.self) {
            try runNode("Dropout", [Self.x, nil, NDArray(floats: [1], shape: [1])], opset: 13)
        }
        #expect(throws: EvaluationError.self) {
            try runNode("Dropout", [Self.x, NDArray(floats: [0.1, 0.2], shape: [2])], opset: 13)
        }
    }

    // MARK: - BatchNormalization

    static let bnX = NDArray(floats: [1, 2, 3, 4, 5, 6, 7, 8], shape: [2, 2, 2, 1])
    static let bnScale = NDArray(floats: [1, 2], shape: [2])
    static let bnBias = NDArray(floats: [0.5, -0.5], shape: [2])
    static let bnMean = NDArray(floats: [1, 2], shape: [2])
    static let bnVar = NDArray(floats: [4, 9], shape: [2])

    @Test func batchNormInternalTrainingMatchesOnnxruntimeTest() throws {
        // onnxruntime's own test (orttraining batch_norm_internal_test.cc, ForwardTrainingTest).
        let x = NDArray(floats: [-0.2953, 0.1180, 1.0973, -0.1931, -0.1999, -0.0237, 1.5181, 0.0076,
                                 -1.0830, -1.5433, 0.4327, -0.9813, 0.7875, -0.4080, -2.3144, 1.5493], shape: [2, 2, 2, 2])
        let ones = NDArray(floats: [1, 1], shape: [2]), zeros = NDArray(floats: [0, 0], shape: [2])
        let out = try runNode("BatchNormInternal", [x, ones, zeros, NDArray(floats: [1, 2], shape: [2]), NDArray(floats: [1, 2], shape: [2])],
                              attributes: [attr("epsilon", Float(1e-5)), attr("momentum", Float(0.1))],
                              outputs: 5, domain: "com.microsoft")
        #expect(isClose(out[0].floats, [0.0131, 0.5210, 1.7244, 0.1387, -0.2708, -0.1191, 1.2089, -0.0922,
                                        -0.9548, -1.5203, 0.9077, -0.8298, 0.5796, -0.4501, -2.0921, 1.2358], rtol: 1e-3, atol: 1e-4))
        #expect(isClose(out[1].floats, [-0.1754, 0.303106], rtol: 1e-4, atol: 1e-4))
        #expect(isClose(out[2].floats, [0.696052, 1.41316], rtol: 1e-4, atol: 1e-4))
        #expect(isClose(out[3].floats, [-0.306, 0.114562], rtol: 1e-4, atol: 1e-4))
        #expect(isClose(out[4].floats, [1.2288, 0.861317], rtol: 1e-4, atol: 1e-4))
    }

    @Test func batchNormInternalUnderInferenceSemanticsUsesRunningStatistics() throws {
        let out = try runNode("BatchNormInternal", [Self.bnX, Self.bnScale, Self.bnBias, Self.bnMean, Self.bnVar],
                              attributes: [attr("epsilon", Float(0))], outputs: 5, domain: "com.microsoft",
                              inferenceSemantics: true)
        // y = scale (x − mean) / sqrt(var) + B: channel 0 (x−1)/2 + 0.5, channel 1 2(x−2)/3 − 0.5.
        let expected: [Float] = [0.5, 1, -0.5 + 2.0 / 3, -0.5 + 4.0 / 3, 2.5, 3, -0.5 + 10.0 / 3, -0.5 + 12.0 / 3]
        #expect(isClose(out[0].floats, expected, rtol: 1e-6))
        #expect(out[1] == Self.bnMean && out[2] == Self.bnVar && out[3] == Self.bnMean)
        #expect(isClose(out[4].floats, [0.5, 1.0 / 3], rtol: 1e-6))
    }

    @Test(arguments: [Int64(14), 15])
    func batchNormTrainingUnderInferenceSemanticsReturnsRunningStatisticsUnchanged(_ opset: Int64) throws {
        let inputs = [Self.bnX, Self.bnScale, Self.bnBias, Self.bnMean, Self.bnVar]
        let frozen = try runNode("BatchNormalization", inputs, attributes: [attr("training_mode", Int64(1))], outputs: 3,
                                 opset: opset, inferenceSemantics: true)
        let inference = try runNode("BatchNormalization", inputs, opset: opset)
        #expect(frozen[0] == inference[0])
        #expect(frozen[1] == Self.bnMean && frozen[2] == Self.bnVar)
    }

    @Test func batchNormOpset9WithOneOutputIsInference() throws {
        let inputs = [Self.bnX, Self.bnScale, Self.bnBias, Self.bnMean, Self.bnVar]
        let one = try runNode("BatchNormalization", inputs, opset: 9)
        let five = try runNode("BatchNormalization", inputs, outputs: 5, opset: 9)
        #expect(one[0] != five[0], "five outputs mean training: batch statistics")
        let frozen = try runNode("BatchNormalization", inputs, outputs: 5, opset: 9, inferenceSemantics: true)
        #expect(frozen[0] == one[0])
        #expect(frozen[1] == Self.bnMean && frozen[2] == Self.bnVar && frozen[3] == Self.bnMean && frozen[4] == Self.bnVar)
    }

    @Test func batchNormRunningStatisticsKeepTheirOwnType() throws {
        // Opset 15: X float16, scale/B float32, mean/var float64.
        let x = NDArray(floats: [1, 2, 3, 4], shape: [2, 2], type: .float16)
        let mean = NDArray(doubles: [0.5, 1], shape: [2]), variance = NDArray(doubles: [1, 2], shape: [2])
        let out = try runNode("BatchNormalization", [x, Self.bnScale, Self.bnBias, mean, variance],
                              attributes: [attr("training_mode", Int64(1)), attr("momentum", Float(0.5))], outputs: 3, opset: 15)
        #expect(out[0].elementType == .float16)
        #expect(out[1].elementType == .double && out[2].elementType == .double)
        // Batch means 2 and 3; population variances 1 and 1.
        #expect(out[1].doubles == [1.25, 2] && out[2].doubles == [1, 1.5])
    }

    @Test func batchNormOneDimensionalInputIsOneChannel() throws {
        let x = NDArray(floats: [1, 2, 3], shape: [3])
        let one = NDArray(floats: [1], shape: [1]), zero = NDArray(floats: [0], shape: [1])
        let out = try runNode("BatchNormalization", [x, one, zero, zero, one], attributes: [attr("epsilon", Float(0))], opset: 15)
        #expect(out[0].floats == [1, 2, 3])
    }

    @Test func batchNormRejectsParametersOfTheWrongSize() {
        let error = #expect(throws: EvaluationError.self) {
            try runNode("BatchNormalization", [Self.bnX, NDArray(floats: [1, 2, 3], shape: [3]), Self.bnBias, Self.bnMean, Self.bnVar], opset: 15)
        }
        #expect(error?.description.contains("input scale is [3]") == true)
        #expect(throws: EvaluationError.self) {
            try runNode("BatchNormalization", [Self.bnX, Self.bnScale, Self.bnBias, Self.bnMean, Self.bnVar],
                        attributes: [attr("spatial", Int64(0))], opset: 7)
        }
    }

    // MARK: - MatMul and Gemm

    @Test func integerMatMulWrapsLikeTheType() throws {
        let a = NDArray(ints: [Int64(Int32.max), 2], shape: [1, 2], type: .int32)
        let b = NDArray(ints: [2, 1], shape: [2, 1], type: .int32)
        let out = try runNode("MatMul", [a, b], opset: 13)
        #expect(out[0].elementType == .int32 && out[0].ints == [Int64(Int32.max &* 2 &+ 2)])
        let u = NDArray(ints: [-1, 1], shape: [1, 2], type: .uint64)   // bit pattern of UInt64.max
        let one = NDArray(ints: [1, 1], shape: [2, 1], type: .uint64)
        #expect(try runNode("MatMul", [u, one], opset: 13)[0].ints == [0])
    }

    @Test func integerGemm() throws {
        let a = NDArray(ints: [1, 2, 3, 4], shape: [2, 2], type: .int64)
        let c = NDArray(ints: [10, 20], shape: [2], type: .int64)
        let out = try runNode("Gemm", [a, a, c], opset: 13)
        #expect(out[0].ints == [17, 30, 25, 42])
        let scaled = try runNode("Gemm", [a, a, c], attributes: [attr("alpha", Float(0.5)), attr("beta", Float(2))], opset: 13)
        #expect(scaled[0].ints == [23, 45, 27, 51])
    }

    @Test func matMulWithAnEmptyInnerDimensionIsZeros() throws {
        let a = NDArray(floats: [], shape: [2, 0]), b = NDArray(floats: [], shape: [0, 3])
        let out = try runNode("MatMul", [a, b], opset: 13)[0]
        #expect(out.shape == [2, 3])
        #expect(out.floats == [Float](repeating: 0, count: 6))
        let batched = try runNode("MatMul", [NDArray(floats: [], shape: [2, 1, 0]), NDArray(floats: [], shape: [2, 0, 2])], opset: 13)[0]
        #expect(batched.shape == [2, 1, 2] && batched.floats == [0, 0, 0, 0])
    }

    @Test func matMulAndGemmRefuseMismatchedShapes() {
        let a = NDArray(floats: [Float](repeating: 1, count: 6), shape: [2, 3])
        let error = #expect(throws: EvaluationError.self) { try runNode("MatMul", [a, a], opset: 13) }
        #expect(error?.description.contains("A is [2,3] and B is [2,3]") == true)
        #expect(throws: EvaluationError.self) {
            try runNode("MatMul", [NDArray(floats: [1, 2], shape: [2, 1, 1]), NDArray(floats: [1, 2, 3], shape: [3, 1, 1])], opset: 13)
        }
        let b = NDArray(floats: [Float](repeating: 1, count: 6), shape: [3, 2])
        #expect(throws: EvaluationError.self) {
            try runNode("Gemm", [a, b, NDArray(floats: [1, 2, 3], shape: [3])], opset: 13)
        }
        // Before opset 7, C must have the output shape unless broadcast = 1.
        #expect(throws: EvaluationError.self) {
            try runNode("Gemm", [a, b, NDArray(floats: [1, 2], shape: [2])], opset: 6)
        }
        #expect(throws: EvaluationError.self) { try runNode("Gemm", [a, b], opset: 9) }
        #expect(throws: EvaluationError.self) { try runNode("MatMul", [NDArray(bools: [true], shape: [1, 1]), NDArray(bools: [true], shape: [1, 1])], opset: 13) }
    }

    @Test func emptyInnerDimensionGivesZeros() throws {
        let a = NDArray(floats: [], shape: [2, 0]), b = NDArray(floats: [], shape: [0, 3])
        let out = try runNode("MatMul", [a, b], opset: 13)
        #expect(out[0].shape == [2, 3] && out[0].floats.allSatisfy { $0 == 0 })
    }

    // MARK: - Conv and pooling

    @Test func convRefusesInconsistentGroupsAndKernelShape() {
        let x = NDArray(floats: [Float](repeating: 1, count: 2 * 3 * 3), shape: [1, 2, 3, 3])
        let w = NDArray(floats: [Float](repeating: 1, count: 4 * 2 * 2 * 2), shape: [4, 2, 2, 2])
        let error = #expect(throws: EvaluationError.self) {
            try runNode("Conv", [x, w], attributes: [attr("group", Int64(2))])
        }
        #expect(error?.description.contains("group 2") == true)
        #expect(throws: EvaluationError.self) {
            try runNode("Conv", [x, w], attributes: [attr("kernel_shape", [3, 3] as [Int64])])
        }
        #expect(throws: EvaluationError.self) {
            try runNode("Conv", [x, w], attributes: [attr("auto_pad", "SAME")])
        }
        #expect(throws: EvaluationError.self) {
            try runNode("Conv", [x, NDArray(floats: [Float](repeating: 1, count: 4 * 2 * 4 * 4), shape: [4, 2, 4, 4])])
        }
        #expect(throws: EvaluationError.self) {
            try runNode("Conv", [x, w], attributes: [attr("strides", [1] as [Int64])])
        }
        #expect(throws: EvaluationError.self) {
            try runNode("Conv", [x, w, NDArray(floats: [1], shape: [1])])
        }
    }

    @Test func poolingRefusesMissingKernelShapeAndWrongTypes() {
        let x = NDArray(floats: [Float](repeating: 1, count: 9), shape: [1, 1, 3, 3])
        #expect(throws: EvaluationError.self) { try runNode("MaxPool", [x], opset: 12) }
        #expect(throws: EvaluationError.self) {
            try runNode("AveragePool", [NDArray(ints: [Int64](repeating: 1, count: 9), shape: [1, 1, 3, 3])],
                        attributes: [attr("kernel_shape", [2, 2] as [Int64])], opset: 11)
        }
        #expect(throws: EvaluationError.self) {
            try runNode("MaxPool", [x], attributes: [attr("kernel_shape", [2, 2] as [Int64]), attr("storage_order", Int64(2))], opset: 12)
        }
    }

    @Test func float16ConvKeepsItsType() throws {
        let x = NDArray(floats: [1, 2, 3, 4], shape: [1, 1, 2, 2], type: .float16)
        let w = NDArray(floats: [0.5], shape: [1, 1, 1, 1], type: .float16)
        let out = try runNode("Conv", [x, w])
        #expect(out[0].elementType == .float16 && out[0].floats == [0.5, 1, 1.5, 2])
    }

    /// The 7×7 stride-2 stem of ResNet-style networks on a 224×224 image runs (no timing asserted);
    /// one output per corner and the centre is checked against a direct sum.
    @Test func imageSizedConvolutionRuns() throws {
        let xs: [Float] = (0..<(3 * 224 * 224)).map { (i: Int) -> Float in Float((i * 7919) % 251) / 251 - 0.5 }
        let ws: [Float] = (0..<(64 * 3 * 7 * 7)).map { (i: Int) -> Float in Float((i * 104729) % 97) / 97 - 0.5 }
        let x = NDArray(floats: xs, shape: [1, 3, 224, 224]), w = NDArray(floats: ws, shape: [64, 3, 7, 7])
        let out = try runNode("Conv", [x, w], attributes: [attr("strides", [2, 2] as [Int64]), attr("pads", [3, 3, 3, 3] as [Int64])])
        #expect(out[0].shape == [1, 64, 112, 112])
        let y = out[0].floats
        for (m, oh, ow) in [(0, 0, 0), (63, 111, 111), (17, 56, 40), (5, 0, 111)] {
            var sum = 0.0
            for c in 0..<3 {
                for kh in 0..<7 {
                    for kw in 0..<7 {
                        let ih = oh * 2 - 3 + kh, iw = ow * 2 - 3 + kw
                        guard (0..<224).contains(ih), (0..<224).contains(iw) else { continue }
                        sum += Double(xs[(c * 224 + ih) * 224 + iw]) * Double(ws[((m * 3 + c) * 7 + kh) * 7 + kw])
                    }
                }
            }
            let got = Double(y[(m * 112 + oh) * 112 + ow])
            let tolerance: Double = 1e-4 * max(1, abs(sum))
            #expect(abs(got - sum) <= tolerance)
        }
    }

    /// Layers too large for one im2col/col2im buffer are computed in channel slices; with the buffer
    /// limit lowered, the sliced computation matches the unsliced one.
    @Test func slicedIm2colMatchesUnsliced() {
        let xs: [Float] = (0..<(2 * 6 * 5 * 4)).map { (i: Int) -> Float in Float((i * 37) % 23) / 23 - 0.5 }
        let ws: [Float] = (0..<(4 * 6 * 3 * 3)).map { (i: Int) -> Float in Float((i * 53) % 19) / 19 - 0.5 }
        let geometry = NeuralNetworkOperators.SpatialGeometry(input: [5, 4], kernel: [3, 3], strides: [1, 1], dilations: [1, 1],
                                                              padBegin: [1, 1], padEnd: [1, 1], output: [5, 4])
        var problem = NeuralNetworkOperators.ConvProblem(n: 2, c: 6, m: 4, group: 1, geometry: geometry)
        let whole = NeuralNetworkOperators.convolve(xs, ws, nil, problem)
        problem.bufferLimit = 2 * 9 * 20   // two input channels per slice
        #expect(isClose(NeuralNetworkOperators.convolve(xs, ws, nil, problem), whole, rtol: 1e-5, atol: 1e-6))
        problem.bufferLimit = 1
        #expect(isClose(NeuralNetworkOperators.convolve(xs, ws, nil, problem), whole, rtol: 1e-5, atol: 1e-6))

        // ConvTranspose: X 2×4×5×4 (C = 4), W 4×6×3×3 (M = 6); geometry runs from X positions to Y.
        let tx: [Float] = Array(xs[0..<(2 * 4 * 20)])
        let tw: [Float] = (0..<(4 * 6 * 9)).map { (i: Int) -> Float in Float((i * 29) % 17) / 17 - 0.5 }
        let tGeometry = NeuralNetworkOperators.SpatialGeometry(input: [9, 7], kernel: [3, 3], strides: [2, 2], dilations: [1, 1],
                                                               padBegin: [1, 1], padEnd: [1, 2], output: [5, 4])
        var tProblem = NeuralNetworkOperators.ConvProblem(n: 2, c: 4, m: 6, group: 1, geometry: tGeometry)
        let tWhole = NeuralNetworkOperators.transposedConvolve(tx, tw, nil, tProblem)
        tProblem.bufferLimit = 1
        #expect(tWhole.count == 2 * 6 * 63)
        #expect(NeuralNetworkOperators.transposedConvolve(tx, tw, nil, tProblem) == tWhole)
    }

    // MARK: - Normalizations

    @Test func normalizationsRefuseBadAttributes() {
        let x = NDArray(floats: [Float](repeating: 1, count: 12), shape: [1, 6, 2])
        let six = NDArray(floats: [Float](repeating: 1, count: 6), shape: [6])
        #expect(throws: EvaluationError.self) {
            try runNode("GroupNormalization", [x, six, six], attributes: [attr("num_groups", Int64(4))], opset: 21)
        }
        #expect(throws: EvaluationError.self) {
            try runNode("GroupNormalization", [x, six, six], attributes: [attr("num_groups", Int64(3))], opset: 18)
        }
        #expect(throws: EvaluationError.self) {
            try runNode("LayerNormalization", [x, six], attributes: [attr("axis", Int64(3))], opset: 17)
        }
        #expect(throws: EvaluationError.self) {
            try runNode("LayerNormalization", [x, NDArray(floats: [1, 2, 3], shape: [3])], opset: 17)
        }
        #expect(throws: EvaluationError.self) { try runNode("LRN", [x], opset: 13) }
        #expect(throws: EvaluationError.self) {
            try runNode("InstanceNormalization", [x, NDArray(floats: [1], shape: [1]), six], opset: 6)
        }
    }

    @Test func layerNormStatisticsOutputs() throws {
        let x = NDArray(floats: [1, 3, 2, 6], shape: [2, 2])
        let out = try runNode("LayerNormalization", [x, NDArray(floats: [1, 1], shape: [2])],
                              attributes: [attr("epsilon", Float(0))], outputs: 3, opset: 17)
        #expect(out[0].floats == [-1, 1, -1, 1])
        #expect(out[1].shape == [2, 1] && out[1].floats == [2, 4])
        #expect(out[2].floats == [1, 0.5])
    }
}
