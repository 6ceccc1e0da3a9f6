import FreezerIR

/// Operators of transformer models: scaled dot-product attention (Attention, FlexAttention), linear
/// attention, rotary embeddings, RMS normalization, SwiGLU, the KV-cache update TensorScatter and the
/// stateful causal convolution.
///
/// Every kernel reads its floating-point inputs as Double and computes in Double. Where ONNX's
/// reference rounds an intermediate result to a narrower type (float16/bfloat16 inputs, a
/// `softmax_precision` narrower than the input), `Rounding` rounds it the same way under
/// `Precision.own`; under `Precision.float64` nothing is rounded (the exact reference).
enum TransformerOperators {
    static func register(_ r: inout KernelRegistry) {
        // Attention-23 and -24 differ by the nonpad_kv_seqlen input, -25 adds the window attributes:
        // one kernel reads what the node's opset defines.
        r.register("Attention", versions: 23...Int64.max, attention)
        r.register("FlexAttention", domain: "ai.onnx.preview", versions: 1...Int64.max, flexAttention)
        r.register("LinearAttention", versions: 27...Int64.max, linearAttention)
        r.register("RMSNormalization", versions: 23...Int64.max, rmsNormalization)
        r.register("RotaryEmbedding", versions: 23...Int64.max, rotaryEmbedding)
        r.register("SwiGLU", versions: 28...Int64.max, swiGLU)
        r.register("TensorScatter", versions: 24...Int64.max, tensorScatter)
        r.register("CausalConvWithState", versions: 27...Int64.max, causalConvWithState)
    }

    /// Rounds Double intermediates to the precision of a floating-point type, as ONNX's numpy reference
    /// holds them: float16 and bfloat16 round; float32 and float64 stay in Double (rounding float32 once,
    /// at the end, is at least as accurate as the reference); under `Precision.float64` nothing rounds.
    struct Rounding {
        enum Target { case none, float, half, bfloat16 }
        let target: Target

        /// Rounding to `type` when `precision` is `own`; `float32` rounds only when `roundsFloat`.
        init(_ type: ElementType, _ precision: Precision, roundsFloat: Bool = false) {
            guard precision == .own else { target = .none; return }
            switch type {
            case .float16: target = .half
            case .bfloat16: target = .bfloat16
            case .float: target = roundsFloat ? .float : .none
            default: target = .none
            }
        }

        var isIdentity: Bool { target == .none }

        @inline(__always)
        func callAsFunction(_ v: Double) -> Double {
            switch target {
            case .none: v
            case .float: Double(Float(v))
            case .half: Double(HalfPrecision.float(fromHalf: HalfPrecision.half(fromDouble: v)))
            case .bfloat16: Double(HalfPrecision.float(fromBFloat16: HalfPrecision.bfloat16(fromDouble: v)))
            }
        }
    }

    /// The ONNX element type a `softmax_precision` attribute names (1, 10, 11, 16), or nil for another code.
    static func floatType(code: Int64) -> ElementType? {
        switch code {
        case 1: .float
        case 10: .float16
        case 11: .double
        case 16: .bfloat16
        default: nil
        }
    }

    /// The values of floating-point input `name` as Double, or an error naming it.
    static func doubles(_ array: NDArray, _ ctx: KernelContext, _ name: String) throws(EvaluationError) -> [Double] {
        switch array.storage {
        case .float(let v): return v.map(Double.init)
        case .double(let v): return v
        default: throw ctx.fail("input \(name) has element type \(array.elementType); \(ctx.node.opType) needs a floating-point type")
        }
    }

    /// Double values as an array of `type`, held as the evaluator holds that type (Float for
    /// float32/float16/bfloat16, rounded to the half types by the evaluator; Double for float64).
    static func array(_ values: [Double], type: ElementType, shape: [Int]) -> NDArray {
        NeuralNetworkOperators.floatingArray(values, type: type, shape: shape)
    }

    /// `[a, b, c]` as `[a,b,c]` for messages.
    static func text(_ shape: [Int]) -> String { NeuralNetworkOperators.text(shape) }

    /// Row-major `C = A · op(B)` in Double on BLAS: A is `m×k` at `aOffset`, B is `n×k` (`transB`) or
    /// `k×n` at `bOffset`, C is `m×n` at `cOffset`.
    static func product(_ a: [Double], _ aOffset: Int, _ b: [Double], _ bOffset: Int, transB: Bool,
                        m: Int, n: Int, k: Int, into c: inout [Double], _ cOffset: Int) {
        guard m > 0, n > 0 else { return }
        guard k > 0 else {
            for i in cOffset..<(cOffset + m * n) { c[i] = 0 }
            return
        }
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                c.withUnsafeMutableBufferPointer { cp in
                    NeuralNetworkOperators.gemm(transA: false, transB: transB, m: m, n: n, k: k, alpha: 1.0,
                                                a: ap.baseAddress! + aOffset, lda: k, b: bp.baseAddress! + bOffset,
                                                ldb: transB ? k : n, beta: 0, c: cp.baseAddress! + cOffset, ldc: n)
                }
            }
        }
    }

    /// `(b, t, h·d)` values as `(b, h, t, d)`: unpacks the heads of a 3D packed tensor.
    static func unpackHeads(_ x: [Double], batch: Int, length: Int, heads: Int, size: Int) -> [Double] {
        var y = [Double](repeating: 0, count: x.count)
        for b in 0..<batch {
            for t in 0..<length {
                for h in 0..<heads {
                    let src = ((b * length + t) * heads + h) * size, dst = ((b * heads + h) * length + t) * size
                    for i in 0..<size { y[dst + i] = x[src + i] }
                }
            }
        }
        return y
    }

    /// `(b, h, t, d)` values as `(b, t, h·d)`: the inverse of `unpackHeads`.
    static func packHeads(_ x: [Double], batch: Int, length: Int, heads: Int, size: Int) -> [Double] {
        var y = [Double](repeating: 0, count: x.count)
        for b in 0..<batch {
            for t in 0..<length {
                for h in 0..<heads {
                    let dst = ((b * length + t) * heads + h) * size, src = ((b * heads + h) * length + t) * size
                    for i in 0..<size { y[dst + i] = x[src + i] }
                }
            }
        }
        return y
    }

    /// An attribute that must be an integer in `range`, or its default.
    static func intAttribute(_ ctx: KernelContext, _ name: String, default value: Int64,
                             in range: ClosedRange<Int64>) throws(EvaluationError) -> Int {
        let v = ctx.int(name, default: value)
        guard range.contains(v) else { throw ctx.fail("attribute '\(name)' = \(v) is outside \(range.lowerBound)…\(range.upperBound)") }
        return Int(v)
    }
}
