import FreezerIR

extension NeuralNetworkOperators {
    /// MatMul (numpy.matmul): 1-D operands are promoted to matrices and the promoted dimension is
    /// removed from the result; batch dimensions broadcast. Floats run one gemm per batch matrix,
    /// integers a plain triple loop with two's-complement wrapping.
    static func matMul(_ ctx: KernelContext) throws(EvaluationError) -> [NDArray?] {
        let a = try ctx.input(0), b = try ctx.input(1)
        guard a.elementType == b.elementType else {
            throw ctx.fail("inputs A (\(a.elementType)) and B (\(b.elementType)) must have the same element type")
        }
        guard a.rank >= 1, b.rank >= 1 else {
            throw ctx.fail("inputs must have rank ≥ 1 but A is \(text(a.shape)) and B is \(text(b.shape))")
        }
        let aShape = a.rank == 1 ? [1, a.shape[0]] : a.shape
        let bShape = b.rank == 1 ? [b.shape[0], 1] : b.shape
        let m = aShape[aShape.count - 2], k = aShape[aShape.count - 1]
        let k2 = bShape[bShape.count - 2], n = bShape[bShape.count - 1]
        guard k == k2 else {
            throw ctx.fail("inner dimensions differ: A is \(text(a.shape)) and B is \(text(b.shape))")
        }
        let aBatch = Array(aShape.dropLast(2)), bBatch = Array(bShape.dropLast(2))
        guard let batch = broadcastShapes(aBatch, bBatch) else {
            throw ctx.fail("batch dimensions of A \(text(a.shape)) and B \(text(b.shape)) do not broadcast")
        }
        var outShape = batch
        if a.rank > 1 { outShape.append(m) }
        if b.rank > 1 { outShape.append(n) }
        _ = try elementCount(outShape, ctx, what: "the output")
        let plan = BatchPlan(aBatch: aBatch, bBatch: bBatch, batch: batch, m: m, k: k, n: n)
        // Constant weights (the usual right operand) are packed once, on the node.
        let constantB = ctx.inputIsConstant(1) ? ctx.info : nil

        switch a.storage {
        case .float(let av):
            guard case .float(let bv) = b.storage else { throw ctx.fail("input B is not \(a.elementType)") }
            return [NDArray(elementType: a.elementType, shape: outShape, storage: .float(matMulFloating(av, bv, plan, constantB: constantB)))]
        case .double(let av):
            guard case .double(let bv) = b.storage else { throw ctx.fail("input B is not \(a.elementType)") }
            return [NDArray(elementType: a.elementType, shape: outShape, storage: .double(matMulFloating(av, bv, plan, constantB: constantB)))]
        case .int(let av):
            guard case .int(let bv) = b.storage else { throw ctx.fail("input B is not \(a.elementType)") }
            let out = matMulInteger(av, bv, plan).map { wrapInteger($0, to: a.elementType) }
            return [NDArray(elementType: a.elementType, shape: outShape, storage: .int(out))]
        default:
            throw ctx.fail("element type \(a.elementType) is not supported (MatMul takes floating-point and integer tensors)")
        }
    }

    /// Where each batch matrix of A and B starts, after broadcasting the batch dimensions.
    struct BatchPlan {
        var m: Int, k: Int, n: Int
        var aOffsets: [Int]
        var bOffsets: [Int]
        /// B is one matrix shared by every batch and A's batches are contiguous: the whole product is
        /// one (batch·m)×k by k×n gemm.
        var foldsIntoOneGemm: Bool

        init(aBatch: [Int], bBatch: [Int], batch: [Int], m: Int, k: Int, n: Int) {
            self.m = m; self.k = k; self.n = n
            let count = batch.reduce(1, *)
            let sa = broadcastStrides(aBatch, to: batch) ?? []
            let sb = broadcastStrides(bBatch, to: batch) ?? []
            aOffsets = [Int](repeating: 0, count: count)
            bOffsets = [Int](repeating: 0, count: count)
            var index = [Int](repeating: 0, count: batch.count)
            var oa = 0, ob = 0
            for i in 0..<count {
                aOffsets[i] = oa * m * k
                bOffsets[i] = ob * k * n
                var d = batch.count - 1
                while d >= 0 {
                    index[d] += 1; oa += sa[d]; ob += sb[d]
                    if index[d] < batch[d] { break }
                    oa -= sa[d] * batch[d]; ob -= sb[d] * batch[d]
                    index[d] = 0
                    d -= 1
                }
            }
            foldsIntoOneGemm = bBatch.reduce(1, *) == 1 && aBatch == batch
        }
        var count: Int { aOffsets.count }
    }

    static func matMulFloating<T: BLASFloat>(_ a: [T], _ b: [T], _ p: BatchPlan, constantB: NodeInfo? = nil) -> [T] {
        func constant(at offset: Int) -> ConstantOperand<T>? {
            constantB.map { ConstantOperand(info: $0, key: [1, offset], values: b) }
        }
        let count = p.count * p.m * p.n
        // A gemm with beta 0 writes every element of its output, so the result is not zero-filled first;
        // an empty inner dimension (k = 0) has no gemm to run and is all zeros.
        return [T](unsafeUninitializedCapacity: count) { op, initialized in
            defer { initialized = count }
            guard let o0 = op.baseAddress else { return }
            guard p.k > 0 else { o0.initialize(repeating: 0, count: count); return }
            a.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    guard let a0 = ap.baseAddress, let b0 = bp.baseAddress else { return }
                    if p.foldsIntoOneGemm {
                        gemm(transA: false, transB: false, m: p.count * p.m, n: p.n, k: p.k, alpha: 1, a: a0, lda: p.k,
                             b: b0, ldb: p.n, beta: 0, c: o0, ldc: p.n, constantB: constant(at: 0))
                        return
                    }
                    for i in 0..<p.count {
                        gemm(transA: false, transB: false, m: p.m, n: p.n, k: p.k, alpha: 1, a: a0 + p.aOffsets[i], lda: p.k,
                             b: b0 + p.bOffsets[i], ldb: p.n, beta: 0, c: o0 + i * p.m * p.n, ldc: p.n,
                             constantB: constant(at: p.bOffsets[i]))
                    }
                }
            }
        }
    }

    /// Integer matrix product in Int64 with wrapping arithmetic (uint64 values are bit patterns, so
    /// wrapping Int64 arithmetic gives the right uint64 bits too).
    static func matMulInteger(_ a: [Int64], _ b: [Int64], _ p: BatchPlan) -> [Int64] {
        var out = [Int64](repeating: 0, count: p.count * p.m * p.n)
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                out.withUnsafeMutableBufferPointer { op in
                    for bi in 0..<p.count {
                        let ao = p.aOffsets[bi], bo = p.bOffsets[bi], oo = bi * p.m * p.n
                        for i in 0..<p.m {
                            for kk in 0..<p.k {
                                let x = ap[ao + i * p.k + kk]
                                let row = bo + kk * p.n
                                for j in 0..<p.n { op[oo + i * p.n + j] = op[oo + i * p.n + j] &+ x &* bp[row + j] }
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}
