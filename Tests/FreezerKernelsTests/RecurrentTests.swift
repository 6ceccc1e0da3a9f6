import Foundation
import Testing
@testable import FreezerIR
@testable import FreezerKernels

// Hand-worked cases of RNN, GRU and LSTM with hidden and input size 1, so each expected value is either
// exact (linear Affine recurrences) or a one-line formula of the spec's equations. Every case runs in
// float32 (Float storage) and float64 (Double storage, the path of Precision.float64).

private func tensor(_ v: [Double], _ shape: [Int], _ type: ElementType) -> NDArray {
    NDArray.kind(of: type) == .double
        ? NDArray(elementType: type, shape: shape, storage: .double(v))
        : NDArray(floats: v.map { Float($0) }, shape: shape, type: type)
}
private func strings(_ name: String, _ v: [String]) -> Attribute { Attribute(name: name, value: .strings(v.map { Array($0.utf8) })) }
private func floats(_ name: String, _ v: [Float]) -> Attribute { Attribute(name: name, value: .floats(v)) }
private func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

/// Whether `a` has `type`, `shape` and values within `tolerance` (relative to 1) of `expected`.
private func matches(_ a: NDArray, _ expected: [Double], _ shape: [Int], _ type: ElementType, tolerance: Double) -> Bool {
    a.elementType == type && a.shape == shape && a.count == expected.count
        && zip(a.asDoubles, expected).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($1)) }
}
private func tolerance(_ type: ElementType) -> Double { type == .double ? 1e-12 : type == .float16 ? 1e-3 : 1e-6 }

@Suite("Recurrent")
struct RecurrentTests {
    // MARK: - RNN: bidirectional, sequence_lens, Affine, layout

    /// Bidirectional RNN with identity activations (Affine α 1, β 0), so `h_t = W·x_t + R·h_{t−1} + Wb`:
    /// forward W 2, R 0.5, Wb 1; reverse W 1, R −1. Batch 0 has length 3 (x 1, 2, 3), batch 1 length 1
    /// (x 4; its steps 1 and 2 are padding and must not count).
    ///
    ///     forward  b0: 2·1 + 1 = 3,  2·2 + 1.5 + 1 = 6.5,  2·3 + 3.25 + 1 = 10.25   b1: 2·4 + 1 = 9
    ///     reverse  b0 (from t 2): 3,  2 − 3 = −1,  1 − (−1) = 2                      b1: 4
    ///
    /// Y is zero past each length; Y_h is the forward state at the last valid step and the reverse
    /// state at step 0.
    static let rnnWeights = (w: [2.0, 1], r: [0.5, -1], b: [1.0, 0, 0, 0])
    static let identity = [strings("activations", ["Affine", "Affine"]), floats("activation_alpha", [1, 1]),
                           floats("activation_beta", [0, 0]), attr("direction", "bidirectional"), attr("hidden_size", Int64(1))]

    @Test(arguments: [ElementType.float, .double, .float16])
    func bidirectionalRNNWithSequenceLengths(_ type: ElementType) throws {
        let x = tensor([1, 4, 2, 5, 3, 6], [3, 2, 1], type)
        let out = try runNode("RNN", [x, tensor(Self.rnnWeights.w, [2, 1, 1], type), tensor(Self.rnnWeights.r, [2, 1, 1], type),
                                      tensor(Self.rnnWeights.b, [2, 2], type), NDArray(ints: [3, 1], shape: [2], type: .int32)],
                              attributes: Self.identity, outputs: 2, opset: 22)
        // Y[t][direction][batch]
        #expect(matches(out[0], [3, 9, 2, 4, 6.5, 0, -1, 0, 10.25, 0, 3, 0], [3, 2, 2, 1], type, tolerance: tolerance(type)))
        #expect(matches(out[1], [10.25, 9, 2, 4], [2, 2, 1], type, tolerance: tolerance(type)))
    }

    /// The same RNN in layout 1 (batch first) with initial_h [batch, directions, hidden]: batch 0 starts
    /// forward at 1 and reverse at 2, batch 1 at 0.
    ///
    ///     forward b0: 2 + 0.5 + 1 = 3.5,  4 + 1.75 + 1 = 6.75,  6 + 3.375 + 1 = 10.375
    ///     reverse b0 (from t 2): 3 − 2 = 1,  2 − 1 = 1,  1 − 1 = 0
    @Test(arguments: [ElementType.float, .double])
    func batchFirstLayout(_ type: ElementType) throws {
        let x = tensor([1, 2, 3, 4, 5, 6], [2, 3, 1], type)
        let initial = tensor([1, 2, 0, 0], [2, 2, 1], type)
        let out = try runNode("RNN", [x, tensor(Self.rnnWeights.w, [2, 1, 1], type), tensor(Self.rnnWeights.r, [2, 1, 1], type),
                                      tensor(Self.rnnWeights.b, [2, 2], type), NDArray(ints: [3, 1], shape: [2], type: .int32), initial],
                              attributes: Self.identity + [attr("layout", Int64(1))], outputs: 2, opset: 14)
        // Y[batch][t][direction]
        #expect(matches(out[0], [3.5, 0, 6.75, 1, 10.375, 1, 9, 4, 0, 0, 0, 0], [2, 3, 2, 1], type, tolerance: tolerance(type)))
        #expect(matches(out[1], [10.375, 0, 9, 4], [2, 2, 1], type, tolerance: tolerance(type)))
    }

    /// A sequence of length 0 keeps its initial state and has no output.
    @Test func zeroLengthKeepsInitialState() throws {
        let out = try runNode("RNN", [tensor([1, 1], [1, 2, 1], .float), tensor([1], [1, 1, 1], .float), tensor([1], [1, 1, 1], .float),
                                      nil, NDArray(ints: [0, 1], shape: [2], type: .int32), tensor([0.5, 0.25], [1, 2, 1], .float)],
                              attributes: [strings("activations", ["Relu"])], outputs: 2, opset: 22)
        #expect(out[0].floats == [0, 1.25])
        #expect(out[1].floats == [0.5, 1.25])
    }

    // MARK: - GRU: linear_before_reset, activations with alpha and beta

    /// One GRU step, x 1, initial h 0.5; W (z, r, h) 0.1, 0.2, 0.3; R 0.4, 0.5, 0.6; B Wb 0.1, 0.2, 0.3 and
    /// Rb 0.4, 0.5, 0.6. The two forms differ in where Rbh enters: `(r·h)·Rh + Rbh` against `r·(h·Rh + Rbh)`.
    static func gruStep(linearBeforeReset: Bool, f: (Double) -> Double = sigmoid, g: (Double) -> Double = tanh,
                        wh: Double = 0.3) -> Double {
        let h = 0.5
        let z = f(0.1 + 0.4 * h + 0.1 + 0.4), r = f(0.2 + 0.5 * h + 0.2 + 0.5)
        let candidate = linearBeforeReset ? g(wh + r * (h * 0.6 + 0.6) + 0.3) : g(wh + (r * h) * 0.6 + 0.6 + 0.3)
        return (1 - z) * candidate + z * h
    }

    static func gruInputs(_ type: ElementType, wh: Double = 0.3) -> [NDArray?] {
        [tensor([1], [1, 1, 1], type), tensor([0.1, 0.2, wh], [1, 3, 1], type), tensor([0.4, 0.5, 0.6], [1, 3, 1], type),
         tensor([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [1, 6], type), nil, tensor([0.5], [1, 1, 1], type)]
    }

    @Test(arguments: [ElementType.float, .double], [false, true])
    func gruLinearBeforeReset(_ type: ElementType, _ linear: Bool) throws {
        let out = try runNode("GRU", Self.gruInputs(type), attributes: [attr("hidden_size", Int64(1)), attr("linear_before_reset", Int64(linear ? 1 : 0))],
                              outputs: 2, opset: 7)
        let expected = Self.gruStep(linearBeforeReset: linear)
        #expect(matches(out[0], [expected], [1, 1, 1, 1], type, tolerance: tolerance(type)))
        #expect(matches(out[1], [expected], [1, 1, 1], type, tolerance: tolerance(type)))
        #expect(expected != Self.gruStep(linearBeforeReset: !linear))
    }

    /// HardSigmoid takes the first alpha and the only beta; LeakyRelu the second alpha (a negative candidate
    /// with Wh −2 shows it).
    @Test(arguments: [ElementType.float, .double])
    func gruActivationsConsumeAlphaAndBetaInOrder(_ type: ElementType) throws {
        let out = try runNode("GRU", Self.gruInputs(type, wh: -2),
                              attributes: [attr("hidden_size", Int64(1)), strings("activations", ["HardSigmoid", "LeakyRelu"]),
                                           floats("activation_alpha", [0.5, 0.1]), floats("activation_beta", [0.25])],
                              outputs: 2, opset: 22)
        let expected = Self.gruStep(linearBeforeReset: false, f: { min(max(0.5 * $0 + 0.25, 0), 1) },
                                    g: { $0 >= 0 ? $0 : 0.1 * $0 }, wh: -2)
        #expect(matches(out[1], [expected], [1, 1, 1], type, tolerance: tolerance(Self.nonExact(type))))
    }

    /// Values computed through Float32 parameters (alpha 0.1 is not exact in float) match to float precision.
    static func nonExact(_ type: ElementType) -> ElementType { type == .double ? .float : type }

    // MARK: - LSTM: peepholes, clip, input_forget

    /// One LSTM step, x 1, initial h 0.2 and c 0.5; W (i, o, f, c) 0.1, 0.2, 0.3, 0.4; R 0.5, 0.6, 0.7, 0.8;
    /// no bias; peepholes P (i, o, f) 0.3, −0.2, 0.1. The output gate peeks at the new cell state.
    static func lstmStep(clip: (Double) -> Double = { $0 }, inputForget: Bool = false) -> (h: Double, c: Double) {
        let (h, c) = (0.2, 0.5)
        let i = sigmoid(clip(0.1 + 0.5 * h + 0.3 * c))
        let f = inputForget ? 1 - i : sigmoid(clip(0.3 + 0.7 * h + 0.1 * c))
        let cell = f * c + i * tanh(clip(0.4 + 0.8 * h))
        let o = sigmoid(clip(0.2 + 0.6 * h - 0.2 * cell))
        return (o * tanh(cell), cell)
    }

    static func lstmInputs(_ type: ElementType) -> [NDArray?] {
        [tensor([1], [1, 1, 1], type), tensor([0.1, 0.2, 0.3, 0.4], [1, 4, 1], type), tensor([0.5, 0.6, 0.7, 0.8], [1, 4, 1], type),
         nil, nil, tensor([0.2], [1, 1, 1], type), tensor([0.5], [1, 1, 1], type), tensor([0.3, -0.2, 0.1], [1, 3], type)]
    }

    @Test(arguments: [ElementType.float, .double])
    func lstmPeepholes(_ type: ElementType) throws {
        let out = try runNode("LSTM", Self.lstmInputs(type), attributes: [attr("hidden_size", Int64(1))], outputs: 3, opset: 22)
        let expected = Self.lstmStep()
        #expect(matches(out[0], [expected.h], [1, 1, 1, 1], type, tolerance: tolerance(type)))
        #expect(matches(out[1], [expected.h], [1, 1, 1], type, tolerance: tolerance(type)))
        #expect(matches(out[2], [expected.c], [1, 1, 1], type, tolerance: tolerance(type)))
    }

    /// clip bounds every gate's pre-activation to ±0.1 (all of them exceed it here) but not the cell
    /// state, which reaches about 0.31 and goes through h unclipped.
    @Test(arguments: [ElementType.float, .double])
    func lstmClipBoundsPreActivationsOnly(_ type: ElementType) throws {
        let out = try runNode("LSTM", Self.lstmInputs(type), attributes: [attr("hidden_size", Int64(1)), attr("clip", Float(0.1))],
                              outputs: 3, opset: 22)
        let threshold = Double(Float(0.1))
        let expected = Self.lstmStep(clip: { min(max($0, -threshold), threshold) })
        #expect(expected.c > 0.3)
        #expect(matches(out[1], [expected.h], [1, 1, 1], type, tolerance: tolerance(type)))
        #expect(matches(out[2], [expected.c], [1, 1, 1], type, tolerance: tolerance(type)))
    }

    /// input_forget couples the gates: the forget gate is 1 − input gate (as onnxruntime computes it).
    @Test(arguments: [ElementType.float, .double])
    func lstmInputForget(_ type: ElementType) throws {
        let out = try runNode("LSTM", Self.lstmInputs(type), attributes: [attr("hidden_size", Int64(1)), attr("input_forget", Int64(1))],
                              outputs: 3, opset: 7)
        let expected = Self.lstmStep(inputForget: true)
        #expect(matches(out[1], [expected.h], [1, 1, 1], type, tolerance: tolerance(type)))
        #expect(matches(out[2], [expected.c], [1, 1, 1], type, tolerance: tolerance(type)))
    }

    /// Only the declared outputs are produced: Y absent, Y_c present.
    @Test func lstmProducesOnlyDeclaredOutputs() throws {
        let out = try runNode("LSTM", Self.lstmInputs(.float), attributes: [attr("hidden_size", Int64(1))], outputs: 3, opset: 22)
        #expect(out.count == 3 && out[2].shape == [1, 1, 1])
    }

    // MARK: - Refusals

    static let rnnInputs: [NDArray?] = [tensor([1], [1, 1, 1], .float), tensor([1], [1, 1, 1], .float), tensor([1], [1, 1, 1], .float)]

    @Test func invalidAttributesAndInputsAreRefused() {
        let cases: [([NDArray?], [Attribute], Int64, String)] = [
            (Self.rnnInputs, [attr("direction", "sideways")], 22, "direction"),
            (Self.rnnInputs, [attr("layout", Int64(1))], 7, "opset 14"),
            (Self.rnnInputs, [attr("hidden_size", Int64(2))], 22, "hidden_size"),
            (Self.rnnInputs, [strings("activations", ["Tanh", "Tanh", "Tanh"])], 22, "activations"),
            (Self.rnnInputs, [strings("activations", ["Swish"])], 22, "Swish"),
            (Self.rnnInputs, [attr("clip", Float(0))], 22, "clip"),
            (Self.rnnInputs + [nil, NDArray(ints: [2], shape: [1], type: .int32)], [], 22, "sequence_lens"),
            ([tensor([1], [1, 1, 1], .float), tensor([1, 1], [1, 2, 1], .float), tensor([1], [1, 1, 1], .float)], [], 22, "W must be"),
        ]
        for (inputs, attributes, opset, text) in cases {
            let error = #expect(throws: EvaluationError.self) { try runNode("RNN", inputs, attributes: attributes, outputs: 2, opset: opset) }
            #expect(error?.description.contains(text) == true, "\(text): \(error?.description ?? "no error")")
        }
    }

    /// ScaledTanh has no ONNX default for alpha and beta: without values it is unsupported, not guessed.
    @Test func scaledTanhWithoutValuesIsUnsupported() throws {
        let error = #expect(throws: EvaluationError.self) {
            try runNode("RNN", Self.rnnInputs, attributes: [strings("activations", ["ScaledTanh"])], outputs: 2, opset: 22)
        }
        guard case .unsupportedFeature = error else { Issue.record("expected unsupportedFeature, got \(String(describing: error))"); return }
        let out = try runNode("RNN", Self.rnnInputs, attributes: [strings("activations", ["ScaledTanh"]), floats("activation_alpha", [2]),
                                                                  floats("activation_beta", [0.5])], outputs: 2, opset: 22)
        #expect(isClose(out[1].floats, [Float(2 * tanh(0.5))], rtol: 1e-6))
    }
}
