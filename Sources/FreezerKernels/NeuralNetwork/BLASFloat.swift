import CBLAS
import CFreezerKernels

extension NeuralNetworkOperators {
    /// A floating-point computation type of the evaluator (Float or Double) with its BLAS gemm.
    ///
    /// The convolution, matrix and normalization kernels are written once, generic over this protocol,
    /// and dispatched on the array's storage: float32/float16/bfloat16 run in Float (sgemm), float64 in
    /// Double (dgemm). Member names carry an `nn` prefix so they cannot clash with other families'
    /// extensions of Float and Double in the same module.
    protocol BLASFloat: BinaryFloatingPoint, Sendable {
        /// Row-major `C = alpha * op(A) * op(B) + beta * C` with `op(A)` m×k and `op(B)` k×n.
        static func nnGemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Self,
                           a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
                           beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
        /// Row-major `y = alpha * op(A) * x + beta * y` with A rows×cols (op(A) = Aᵀ when `trans`).
        static func nnGemv(trans: Bool, rows: Int, cols: Int, alpha: Self, a: UnsafePointer<Self>, lda: Int,
                           x: UnsafePointer<Self>, incx: Int, beta: Self, y: UnsafeMutablePointer<Self>, incy: Int)
        /// Row-major `C = op(A) * op(B)` (beta 0) or `C += op(A) * op(B)` (beta 1) through freezer's packed
        /// product (`PackedProduct`), packing a constant B once; false when this type or CPU has no
        /// packed product, and the caller uses `nnGemm` instead.
        static func nnPackedGemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                                 a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
                                 accumulate: Bool, c: UnsafeMutablePointer<Self>, ldc: Int,
                                 constantB: ConstantOperand<Self>?) -> Bool
        /// One image and group of a 2-D convolution, `y0 = W · im2col(x0)`, through freezer's packed product
        /// with the im2col matrix packed straight from the image; false when this type or CPU has none.
        static func nnPackedConv2D(_ x0: UnsafePointer<Self>, channels: Int, _ w0: UnsafePointer<Self>,
                                   outputChannels: Int, geometry: SpatialGeometry,
                                   into y0: UnsafeMutablePointer<Self>) -> Bool
        /// The values of `array` in this type when its storage holds this type, else nil.
        static func nnValues(_ array: NDArray) -> [Self]?
        static func nnStorage(_ values: [Self]) -> NDArray.Storage
        /// Square root, without Foundation.
        var nnSqrt: Self { get }
    }

    /// Values of a floating-point array converted to `T` (for parameters whose type may differ from X,
    /// as BatchNormalization-15 allows), or nil when the array is not floating point.
    static func floatingValues<T: BLASFloat>(_ array: NDArray, as _: T.Type) -> [T]? {
        switch array.storage {
        case .float(let v): return v as? [T] ?? v.map { T($0) }
        case .double(let v): return v as? [T] ?? v.map { T($0) }
        default: return nil
        }
    }

    /// The right operand of a product when it is a constant of the graph, so its packed form can be kept
    /// by the node: `key` tells the node's operands apart (input index and position within it).
    struct ConstantOperand<T> {
        let info: NodeInfo
        let key: [Int]
        /// The whole array the operand lies in (it identifies the cached form, see `packedConstant`).
        let values: [T]
    }

    /// Runs the gemm, handling the degenerate sizes BLAS rejects (a zero dimension).
    ///
    /// With k == 0 the product is empty: C becomes `beta * C` (BLAS would also do that, but some
    /// implementations reject lda/ldb of 0, so this is done here). Products with alpha 1 and beta 0 or
    /// 1 (every one but Gemm's with other factors) go through freezer's packed product where it runs,
    /// with a constant right operand (`constantB`) packed once.
    static func gemm<T: BLASFloat>(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: T,
                                   a: UnsafePointer<T>, lda: Int, b: UnsafePointer<T>, ldb: Int,
                                   beta: T, c: UnsafeMutablePointer<T>, ldc: Int, constantB: ConstantOperand<T>? = nil) {
        guard m > 0, n > 0 else { return }
        BLASSetup.ready
        guard k > 0 else {
            for i in 0..<m { for j in 0..<n { c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j] } }
            return
        }
        // A product with a single row or column is a matrix-vector product: gemv reads the matrix once
        // where gemm would pack it first (3× faster for a classifier's 1×1280 · 1280×1000).
        if m == 1 || n == 1 {
            let count = m == 1 ? n : m, incy = m == 1 ? 1 : ldc
            // y = beta * y is only read when beta != 0; the output may be uninitialized otherwise.
            if beta == 0 { for i in 0..<count { c[i * incy] = 0 } }
            if m == 1 {
                // y[j] = Σ_p op(A)[0, p] · op(B)[p, j]: the vector is A's only row (or column).
                T.nnGemv(trans: !transB, rows: transB ? n : k, cols: transB ? k : n, alpha: alpha, a: b, lda: max(1, ldb),
                         x: a, incx: transA ? max(1, lda) : 1, beta: beta, y: c, incy: 1)
            } else {
                // y[i] = Σ_p op(A)[i, p] · op(B)[p, 0]: the vector is B's only column (or row).
                T.nnGemv(trans: transA, rows: transA ? k : m, cols: transA ? m : k, alpha: alpha, a: a, lda: max(1, lda),
                         x: b, incx: transB ? 1 : max(1, ldb), beta: beta, y: c, incy: max(1, ldc))
            }
            return
        }
        if alpha == 1, beta == 0 || beta == 1,
           T.nnPackedGemm(transA: transA, transB: transB, m: m, n: n, k: k, a: a, lda: max(1, lda), b: b, ldb: max(1, ldb),
                          accumulate: beta == 1, c: c, ldc: max(1, ldc), constantB: constantB) {
            return
        }
        T.nnGemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: max(1, lda),
                 b: b, ldb: max(1, ldb), beta: beta, c: c, ldc: max(1, ldc))
    }
}

extension Float: NeuralNetworkOperators.BLASFloat {
    static func nnGemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                       a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                       beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }
    static func nnGemv(trans: Bool, rows: Int, cols: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
                       x: UnsafePointer<Float>, incx: Int, beta: Float, y: UnsafeMutablePointer<Float>, incy: Int) {
        cblas_sgemv(CblasRowMajor, trans ? CblasTrans : CblasNoTrans, blasint(rows), blasint(cols), alpha, a, blasint(lda),
                    x, blasint(incx), beta, y, blasint(incy))
    }
    static func nnPackedGemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                             a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                             accumulate: Bool, c: UnsafeMutablePointer<Float>, ldc: Int,
                             constantB: NeuralNetworkOperators.ConstantOperand<Float>?) -> Bool {
        guard NativeKernels.isAvailable else { return false }
        let left = PackedProduct.left(a, rowStride: transA ? 1 : lda, kStride: transA ? lda : 1)
        let right: PackedProduct.Right
        if let constantB {
            // The packed form depends on the operand's place in its array as well as on the key.
            right = .packed(constantB.info.packedConstant(constantB.key + [k, n, ldb, transB ? 1 : 0], of: constantB.values) {
                PackedProduct.packB(k: k, n: n, b, ldb: ldb, transposed: transB)
            })
        } else {
            right = .matrix(b, ld: ldb, transposed: transB)
        }
        PackedProduct.multiply(m: m, n: n, k: k, a: left, b: right, accumulate: accumulate, c: c, ldc: ldc)
        return true
    }
    static func nnPackedConv2D(_ x0: UnsafePointer<Float>, channels: Int, _ w0: UnsafePointer<Float>,
                               outputChannels m: Int, geometry g: NeuralNetworkOperators.SpatialGeometry,
                               into y0: UnsafeMutablePointer<Float>) -> Bool {
        let k = channels * g.kernelCount, n = g.outputCount
        // A single row or column goes to gemv on the im2col path, as every such product does.
        guard NativeKernels.isAvailable, g.rank == 2, m > 1, n > 1, k > 0 else { return false }
        let convolution = fz_conv2d(image: x0, channels: channels, height: g.input[0], width: g.input[1],
                                    kernel_h: g.kernel[0], kernel_w: g.kernel[1], stride_h: g.strides[0], stride_w: g.strides[1],
                                    dilation_h: g.dilations[0], dilation_w: g.dilations[1],
                                    pad_top: g.padBegin[0], pad_left: g.padBegin[1], out_h: g.output[0], out_w: g.output[1])
        PackedProduct.multiply(m: m, n: n, k: k, a: PackedProduct.left(w0, rowStride: k, kStride: 1),
                               b: .convolution(convolution), accumulate: false, c: y0, ldc: n)
        return true
    }
    static func nnValues(_ array: NDArray) -> [Float]? {
        if case .float(let v) = array.storage { return v }
        return nil
    }
    static func nnStorage(_ values: [Float]) -> NDArray.Storage { .float(values) }
    var nnSqrt: Float { squareRoot() }
}

extension Double: NeuralNetworkOperators.BLASFloat {
    static func nnGemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double,
                       a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
                       beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        cblas_dgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }
    static func nnGemv(trans: Bool, rows: Int, cols: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
                       x: UnsafePointer<Double>, incx: Int, beta: Double, y: UnsafeMutablePointer<Double>, incy: Int) {
        cblas_dgemv(CblasRowMajor, trans ? CblasTrans : CblasNoTrans, blasint(rows), blasint(cols), alpha, a, blasint(lda),
                    x, blasint(incx), beta, y, blasint(incy))
    }
    static func nnPackedGemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                             a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
                             accumulate: Bool, c: UnsafeMutablePointer<Double>, ldc: Int,
                             constantB: NeuralNetworkOperators.ConstantOperand<Double>?) -> Bool { false }
    static func nnPackedConv2D(_ x0: UnsafePointer<Double>, channels: Int, _ w0: UnsafePointer<Double>,
                               outputChannels: Int, geometry: NeuralNetworkOperators.SpatialGeometry,
                               into y0: UnsafeMutablePointer<Double>) -> Bool { false }
    static func nnValues(_ array: NDArray) -> [Double]? {
        if case .double(let v) = array.storage { return v }
        return nil
    }
    static func nnStorage(_ values: [Double]) -> NDArray.Storage { .double(values) }
    var nnSqrt: Double { squareRoot() }
}
