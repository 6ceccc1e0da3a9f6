import FreezerIR

extension NeuralNetworkOperators {
    /// Gemm: `Y = alpha * A' * B' + beta * C` with A, B 2-D and C unidirectionally broadcast to (M, N).
    ///
    /// Before opset 7, C broadcasts only when the `broadcast` attribute is set; otherwise it must be
    /// exactly (M, N). C is required before opset 11 and optional after (absent: as if 0). As in
    /// onnxruntime, Y starts as the broadcast C and the gemm accumulates `alpha * A'B'` onto `beta * Y`.
    static func gemmOperator(_ ctx: KernelContext) throws(EvaluationError) -> [NDArray?] {
        let a = try ctx.input(0), b = try ctx.input(1)
        let c = ctx.optionalInput(2)
        guard a.elementType == b.elementType else {
            throw ctx.fail("inputs A (\(a.elementType)) and B (\(b.elementType)) must have the same element type")
        }
        guard a.rank == 2, b.rank == 2 else {
            throw ctx.fail("inputs A and B must be 2-D but are \(text(a.shape)) and \(text(b.shape))")
        }
        let transA = ctx.int("transA", default: 0) != 0, transB = ctx.int("transB", default: 0) != 0
        let alpha = ctx.float("alpha", default: 1), beta = ctx.float("beta", default: 1)
        let m = transA ? a.shape[1] : a.shape[0], k = transA ? a.shape[0] : a.shape[1]
        let k2 = transB ? b.shape[1] : b.shape[0], n = transB ? b.shape[0] : b.shape[1]
        guard k == k2 else {
            throw ctx.fail("inner dimensions differ: A is \(text(a.shape)) (transA=\(transA ? 1 : 0)) and B is \(text(b.shape)) (transB=\(transB ? 1 : 0))")
        }
        if c == nil && ctx.opset < 11 { throw ctx.fail("input C is required before opset 11") }
        if let c {
            guard c.elementType == a.elementType else {
                throw ctx.fail("input C (\(c.elementType)) must have the element type of A (\(a.elementType))")
            }
            let broadcastAllowed = ctx.opset >= 7 || ctx.int("broadcast", default: 0) != 0
            if !broadcastAllowed && c.shape != [m, n] {
                throw ctx.fail("input C is \(text(c.shape)) but must be \(text([m, n])) when attribute 'broadcast' is 0 (opset \(ctx.opset))")
            }
            guard c.rank <= 2, broadcastStrides(c.shape, to: [m, n]) != nil else {
                throw ctx.fail("input C \(text(c.shape)) does not broadcast to the output shape \(text([m, n]))")
            }
        }
        let useC = c != nil && beta != 0
        // Constant weights (B) are packed once, on the node.
        let constantB = ctx.inputIsConstant(1) ? ctx.info : nil
        let shape = [m, n]
        switch a.storage {
        case .float(let av):
            guard case .float(let bv) = b.storage else { throw ctx.fail("input B is not \(a.elementType)") }
            let y = gemmFloating(av, bv, c: useC ? c.flatMap { Float.nnValues($0) } : nil, cShape: c?.shape ?? [],
                                 m: m, n: n, k: k, transA: transA, transB: transB, alpha: alpha, beta: beta, constantB: constantB)
            return [NDArray(elementType: a.elementType, shape: shape, storage: .float(y))]
        case .double(let av):
            guard case .double(let bv) = b.storage else { throw ctx.fail("input B is not \(a.elementType)") }
            let y = gemmFloating(av, bv, c: useC ? c.flatMap { Double.nnValues($0) } : nil, cShape: c?.shape ?? [],
                                 m: m, n: n, k: k, transA: transA, transB: transB, alpha: Double(alpha), beta: Double(beta),
                                 constantB: constantB)
            return [NDArray(elementType: a.elementType, shape: shape, storage: .double(y))]
        case .int(let av):
            guard case .int(let bv) = b.storage else { throw ctx.fail("input B is not \(a.elementType)") }
            let cv: [Int64]? = useC ? c.flatMap { broadcast($0.ints, from: $0.shape, to: shape) } : nil
            let y = gemmInteger(av, bv, c: cv, m: m, n: n, k: k, transA: transA, transB: transB, alpha: alpha, beta: beta)
            return [NDArray(elementType: a.elementType, shape: shape, storage: .int(y.map { wrapInteger($0, to: a.elementType) }))]
        default:
            throw ctx.fail("element type \(a.elementType) is not supported (Gemm takes floating-point and integer tensors)")
        }
    }

    static func gemmFloating<T: BLASFloat>(_ a: [T], _ b: [T], c: [T]?, cShape: [Int], m: Int, n: Int, k: Int,
                                          transA: Bool, transB: Bool, alpha: T, beta: T,
                                          constantB: NodeInfo? = nil) -> [T] {
        var y = c.flatMap { broadcast($0, from: cShape, to: [m, n]) } ?? [T](repeating: 0, count: m * n)
        let hasC = c != nil
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                y.withUnsafeMutableBufferPointer { yp in
                    guard let a0 = ap.baseAddress, let b0 = bp.baseAddress, let y0 = yp.baseAddress else { return }
                    gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a0, lda: transA ? m : k,
                         b: b0, ldb: transB ? k : n, beta: hasC ? beta : 0, c: y0, ldc: n,
                         constantB: constantB.map { ConstantOperand(info: $0, key: [1], values: b) })
                }
            }
        }
        return y
    }

    /// Integer Gemm: the product in wrapping Int64; alpha and beta apply exactly when they are 1 (the
    /// usual case) and otherwise through Double, truncated toward zero as numpy's astype does.
    static func gemmInteger(_ a: [Int64], _ b: [Int64], c: [Int64]?, m: Int, n: Int, k: Int,
                            transA: Bool, transB: Bool, alpha: Float, beta: Float) -> [Int64] {
        var y = [Int64](repeating: 0, count: m * n)
        for i in 0..<m {
            for kk in 0..<k {
                let x = transA ? a[kk * m + i] : a[i * k + kk]
                for j in 0..<n {
                    let w = transB ? b[j * k + kk] : b[kk * n + j]
                    y[i * n + j] = y[i * n + j] &+ x &* w
                }
            }
        }
        for i in 0..<(m * n) {
            let product = alpha == 1 ? y[i] : truncated(Double(alpha) * Double(y[i]))
            let addend = c.map { beta == 1 ? $0[i] : truncated(Double(beta) * Double($0[i])) } ?? 0
            y[i] = product &+ addend
        }
        return y
    }

    private static func truncated(_ v: Double) -> Int64 {
        guard v.isFinite else { return 0 }
        return Int64(exactly: v.rounded(.towardZero)) ?? (v < 0 ? .min : .max)
    }
}
