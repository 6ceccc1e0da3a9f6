import Foundation
import Testing
@testable import FreezerIR
@testable import FreezerKernels

/// Hand-computed cases for the Transformer family: the attention masks (causal with a KV cache, a
/// fully masked boolean row, a short mask), grouped-query head mapping, softcap and the
/// qk_matmul_output modes, partial and interleaved rotary embeddings, and one case of each smaller
/// operator. Every case runs in both precisions: Float (own) and Double (float64, the exact reference).
@Suite("Transformer")
struct TransformerTests {
    static let precisions: [Precision] = [.own, .float64]

    /// Runs one node like `runNode`, in `precision`; returns the outputs as Double.
    func run(_ op: String, _ inputs: [NDArray?], _ attributes: [Attribute] = [], outputs: Int = 1, opset: Int64,
             domain: String = "", precision: Precision) throws -> [NDArray] {
        // Preview-domain operators (FlexAttention) are version `opset` of their domain, with default opset 26.
        let outputs = try runNode(op, inputs, attributes: attributes, outputs: outputs, opset: domain.isEmpty ? opset : 26,
                                  domain: domain, domainVersion: opset, precision: precision)
        return outputs.map { array in
            // The storage shows the precision: Float under own, Double under float64.
            if case .double = array.storage { #expect(precision == .float64) } else { #expect(precision == .own) }
            return array
        }
    }
    func expectClose(_ actual: NDArray, _ expected: [Double], shape: [Int]? = nil, tolerance: Double = 1e-5,
                     sourceLocation: SourceLocation = #_sourceLocation) {
        if let shape { #expect(actual.shape == shape, sourceLocation: sourceLocation) }
        let values = actual.asDoubles
        #expect(values.count == expected.count, sourceLocation: sourceLocation)
        for (a, e) in zip(values, expected) {
            #expect(abs(a - e) <= tolerance * max(1, abs(e)), "got \(values), expected \(expected)", sourceLocation: sourceLocation)
        }
    }

    func floats(_ values: [Double], _ shape: [Int]) -> NDArray { NDArray(floats: values.map(Float.init), shape: shape) }

    // MARK: - Attention

    /// Decode with a cache: past length 1, two new tokens, head size 1, scale 1, Q = 1, so the scores are
    /// the keys [0, ln 2, ln 3]. Causal is bottom-right: query 0 sees keys 0…1 (weights 1, 2), query 1
    /// sees keys 0…2 (weights 1, 2, 3). Values [3, 6, 9]: Y = [(3 + 12)/3, (3 + 12 + 27)/6] = [5, 7].
    @Test(arguments: precisions)
    func causalMaskWithPastKeyAndValue(_ precision: Precision) throws {
        let q = floats([1, 1], [1, 1, 2, 1])
        let k = floats([log(2), log(3)], [1, 1, 2, 1]), v = floats([6, 9], [1, 1, 2, 1])
        let pastK = floats([0], [1, 1, 1, 1]), pastV = floats([3], [1, 1, 1, 1])
        let out = try run("Attention", [q, k, v, nil, pastK, pastV], [attr("is_causal", Int64(1)), attr("scale", Float(1))],
                          outputs: 4, opset: 23, precision: precision)
        expectClose(out[0], [5, 7], shape: [1, 1, 2, 1])
        expectClose(out[1], [0, log(2), log(3)], shape: [1, 1, 3, 1])
        expectClose(out[2], [3, 6, 9], shape: [1, 1, 3, 1])
        // Mode 0: the raw scores, not masked.
        expectClose(out[3], [0, log(2), log(3), 0, log(2), log(3)], shape: [1, 1, 2, 3])
    }

    /// Four query heads share two KV heads: heads 0, 1 read KV head 0 and heads 2, 3 read KV head 1
    /// (each KV head repeated in place, not tiled). With one key the softmax is 1, so Y is V's head.
    @Test(arguments: precisions)
    func groupedQueryHeadsMapToContiguousGroups(_ precision: Precision) throws {
        let q = floats([1, 2, 3, 4], [1, 4, 1, 1]), k = floats([1, 1], [1, 2, 1, 1]), v = floats([10, 20], [1, 2, 1, 1])
        let out = try run("Attention", [q, k, v], opset: 23, precision: precision)
        expectClose(out[0], [10, 10, 20, 20], shape: [1, 4, 1, 1])
        // The same in 3D, heads packed in the last dimension.
        let packed = try run("Attention", [q.reshaped([1, 1, 4]), k.reshaped([1, 1, 2]), v.reshaped([1, 1, 2])],
                             [attr("q_num_heads", Int64(4)), attr("kv_num_heads", Int64(2))], opset: 23, precision: precision)
        expectClose(packed[0], [10, 10, 20, 20], shape: [1, 1, 4])
    }

    /// softcap 2 maps scores [0.5, 2] to 2·tanh(s/2) before the mask is added; a −∞ mask entry stays −∞
    /// (the masked key gets no weight). Mode 1 shows the capped scores, mode 2 adds the mask.
    @Test(arguments: precisions)
    func softcapIsAppliedBeforeTheMask(_ precision: Precision) throws {
        let q = floats([1], [1, 1, 1, 1]), k = floats([0.5, 2, 1], [1, 1, 3, 1]), v = floats([1, 3, 100], [1, 1, 3, 1])
        let mask = floats([0, 0, -.infinity], [1, 3])
        let capped = [0.5, 2.0, 1.0].map { 2 * tanh($0 / 2) }
        let w0 = exp(capped[0]), w1 = exp(capped[1])
        let y = (w0 * 1 + w1 * 3) / (w0 + w1)
        func scores(mode: Int64) throws -> [Double] {
            let out = try run("Attention", [q, k, v, mask],
                              [attr("softcap", Float(2)), attr("scale", Float(1)), attr("qk_matmul_output_mode", mode)],
                              outputs: 4, opset: 23, precision: precision)
            expectClose(out[0], [y])
            return out[3].asDoubles
        }
        expectClose(NDArray(doubles: try scores(mode: 1), shape: [3]), capped)
        let biased = try scores(mode: 2)
        expectClose(NDArray(doubles: Array(biased.prefix(2)), shape: [2]), Array(capped.prefix(2)))
        #expect(biased[2] == -.infinity)
    }

    /// A boolean mask row that allows no key gives a zero output row (the errata: not NaN), and its
    /// mode-3 probabilities are zero too. Query 0 sees only key 0, so its output is V[0].
    @Test(arguments: precisions)
    func fullyMaskedBooleanRowGivesZeros(_ precision: Precision) throws {
        let q = floats([1, 2], [1, 1, 2, 1]), k = floats([1, 2], [1, 1, 2, 1]), v = floats([5, 7], [1, 1, 2, 1])
        let mask = NDArray(bools: [true, false, false, false], shape: [2, 2])
        let out = try run("Attention", [q, k, v, mask], [attr("qk_matmul_output_mode", Int64(3))], outputs: 4,
                          opset: 23, precision: precision)
        expectClose(out[0], [5, 0], shape: [1, 1, 2, 1])
        expectClose(out[3], [1, 0, 0, 0], shape: [1, 1, 2, 2])
    }

    /// A mask shorter than the total length is padded with −∞: with equal scores, the query averages
    /// the two keys the mask covers and ignores the third.
    @Test(arguments: precisions)
    func shortMaskIsPaddedWithMinusInfinity(_ precision: Precision) throws {
        let q = floats([0], [1, 1, 1, 1]), k = floats([1, 2, 3], [1, 1, 3, 1]), v = floats([2, 4, 100], [1, 1, 3, 1])
        let out = try run("Attention", [q, k, v, floats([0, 0], [1, 2])], opset: 23, precision: precision)
        expectClose(out[0], [3])
    }

    /// nonpad_kv_seqlen (24) hides the padding keys of each batch: batch 0 sees 1 key, batch 1 sees 2.
    @Test(arguments: precisions)
    func nonpadLengthsMaskPaddingPerBatch(_ precision: Precision) throws {
        let q = floats([0, 0], [2, 1, 1, 1]), k = floats([0, 0, 0, 0], [2, 1, 2, 1]), v = floats([2, 50, 4, 8], [2, 1, 2, 1])
        let lengths = NDArray(ints: [1, 2], shape: [2])
        let out = try run("Attention", [q, k, v, nil, nil, nil, lengths], opset: 24, precision: precision)
        expectClose(out[0], [2, 6])
    }

    /// A left window of 1 (opset 25) lets each query see itself and one key before it.
    @Test(arguments: precisions)
    func leftWindowLimitsThePast(_ precision: Precision) throws {
        let q = floats([0, 0, 0], [1, 1, 3, 1]), k = floats([0, 0, 0], [1, 1, 3, 1]), v = floats([2, 4, 8], [1, 1, 3, 1])
        let out = try run("Attention", [q, k, v], [attr("is_causal", Int64(1)), attr("left_window_size", Int64(1))],
                          opset: 25, precision: precision)
        expectClose(out[0], [2, 3, 6])
    }

    @Test func attentionRefusesHeadsThatDoNotDivide() {
        let q = floats([1, 2, 3], [1, 3, 1, 1]), k = floats([1, 1], [1, 2, 1, 1])
        #expect(throws: EvaluationError.self) { try run("Attention", [q, k, k], opset: 23, precision: .own) }
    }

    /// FlexAttention without modifiers: query heads map to KV heads as in Attention, and with head size
    /// 1 and the default scale 1, scores [0, 2] weigh values [1, 3] by [1, e²].
    @Test(arguments: precisions)
    func flexAttentionGroupsAndSoftmax(_ precision: Precision) throws {
        let q = floats([1, 1, 1, 1], [1, 4, 1, 1]), k = floats([0, 2, 0, 2], [1, 2, 2, 1]), v = floats([1, 3, 10, 30], [1, 2, 2, 1])
        let out = try run("FlexAttention", [q, k, v], opset: 1, domain: "ai.onnx.preview", precision: precision)
        let w = exp(2.0), low = (1 + 3 * w) / (1 + w)
        expectClose(out[0], [low, low, 10 * low, 10 * low], shape: [1, 4, 1, 1])
    }

    // MARK: - RotaryEmbedding

    /// Head size 6, rotary_embedding_dim 4: only features 0…3 rotate, 4 and 5 pass through. Position 1
    /// selects cache row 1 (cos, sin) = ([0, 1], [1, 0]): a quarter turn for the first pair, none for the
    /// second. Halves pair features (0, 2) and (1, 3); interleaved pairs (0, 1) and (2, 3).
    @Test(arguments: precisions)
    func partialRotaryEmbeddingHalvesAndInterleaved(_ precision: Precision) throws {
        let x = floats([1, 2, 3, 4, 5, 6], [1, 1, 1, 6])
        let cos = floats([1, 1, 0, 1], [2, 2]), sin = floats([0, 0, 1, 0], [2, 2])
        let positions = NDArray(ints: [1], shape: [1, 1])
        let halves = try run("RotaryEmbedding", [x, cos, sin, positions], [attr("rotary_embedding_dim", Int64(4))],
                             opset: 23, precision: precision)
        // real = cos·x1 − sin·x2, imag = sin·x1 + cos·x2 with x1 = [1, 2], x2 = [3, 4].
        expectClose(halves[0], [-3, 2, 1, 4, 5, 6], shape: [1, 1, 1, 6])
        let interleaved = try run("RotaryEmbedding", [x, cos, sin, positions],
                                  [attr("rotary_embedding_dim", Int64(4)), attr("interleaved", Int64(1))],
                                  opset: 23, precision: precision)
        // x1 = [1, 3], x2 = [2, 4], written back as (real, imag) pairs.
        expectClose(interleaved[0], [-2, 1, 3, 4, 5, 6])
    }

    /// Without position_ids the caches are (batch, sequence, dim/2); 3D input splits heads by num_heads.
    @Test(arguments: precisions)
    func rotaryEmbeddingWithoutPositionsOn3DInput(_ precision: Precision) throws {
        let x = floats([1, 2, 3, 4], [1, 1, 4])  // two heads of size 2
        let cos = floats([0], [1, 1, 1]), sin = floats([1], [1, 1, 1])
        let out = try run("RotaryEmbedding", [x, cos, sin], [attr("num_heads", Int64(2))], opset: 23, precision: precision)
        expectClose(out[0], [-2, 1, -4, 3], shape: [1, 1, 4])
    }

    // MARK: - Smaller operators

    /// RMS of [3, 4] is √12.5; scale [1, 2].
    @Test(arguments: precisions)
    func rmsNormalization(_ precision: Precision) throws {
        let out = try run("RMSNormalization", [floats([3, 4], [1, 2]), floats([1, 2], [2])], [attr("epsilon", Float(0))],
                          opset: 23, precision: precision)
        let rms = 12.5.squareRoot()
        expectClose(out[0], [3 / rms, 8 / rms])
    }

    @Test(arguments: precisions)
    func swiGLU(_ precision: Precision) throws {
        let out = try run("SwiGLU", [floats([0, 1, -2], [3]), floats([5, 2, 3], [3])], [attr("alpha", Float(0.5))],
                          opset: 28, precision: precision)
        expectClose(out[0], [0, 2 / (1 + exp(-0.5)), -6 / (1 + exp(1.0))])
    }

    /// Circular mode wraps the write position: cache length 3, two rows written from index 2 land in 2, 0.
    @Test(arguments: precisions)
    func tensorScatterCircular(_ precision: Precision) throws {
        let cache = floats([7, 8, 9], [1, 3, 1]), update = floats([1, 2], [1, 2, 1])
        let out = try run("TensorScatter", [cache, update, NDArray(ints: [2], shape: [1])], [attr("mode", "circular")],
                          opset: 24, precision: precision)
        expectClose(out[0], [2, 8, 1])
        #expect(throws: EvaluationError.self) {
            try run("TensorScatter", [cache, update, NDArray(ints: [2], shape: [1])], opset: 24, precision: precision)
        }
    }

    /// Kernel [10, 1] over [past 5 | input 1, 2]: [10·5 + 1, 10·1 + 2]; the new state is the last input.
    @Test(arguments: precisions)
    func causalConvWithState(_ precision: Precision) throws {
        let out = try run("CausalConvWithState", [floats([1, 2], [1, 1, 2]), floats([10, 1], [1, 1, 2]), nil, floats([5], [1, 1, 1])],
                          outputs: 2, opset: 27, precision: precision)
        expectClose(out[0], [51, 12])
        expectClose(out[1], [2], shape: [1, 1, 1])
    }

    /// One head, d_k = d_v = 1, scale 1, q = 1, k = [1, 2], v = [3, 4]. "linear": S = 3, then 3 + 2·4.
    /// "delta" with β = 0.5: S = 0.5·(3 − 0) = 1.5, then 1.5 + 2·0.5·(4 − 1.5·2) = 2.5.
    @Test(arguments: precisions)
    func linearAttentionLinearAndDelta(_ precision: Precision) throws {
        let q = floats([1, 1], [1, 2, 1]), k = floats([1, 2], [1, 2, 1]), v = floats([3, 4], [1, 2, 1])
        let heads = [attr("q_num_heads", Int64(1)), attr("kv_num_heads", Int64(1)), attr("scale", Float(1))]
        let linear = try run("LinearAttention", [q, k, v], heads + [attr("update_rule", "linear")], outputs: 2, opset: 27, precision: precision)
        expectClose(linear[0], [3, 11])
        expectClose(linear[1], [11], shape: [1, 1, 1, 1])
        let beta = floats([0.5, 0.5], [1, 2, 1])
        let delta = try run("LinearAttention", [q, k, v, nil, nil, beta], heads + [attr("update_rule", "delta")],
                            outputs: 2, opset: 27, precision: precision)
        expectClose(delta[0], [1.5, 2.5])
    }
}
