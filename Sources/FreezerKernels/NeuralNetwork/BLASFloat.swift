import CBLAS

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

    /// Runs the gemm, handling the degenerate sizes BLAS rejects (a zero dimension).
    ///
    /// With k == 0 the product is empty: C becomes `beta * C` (BLAS would also do that, but some
    /// implementations reject lda/ldb of 0, so this is done here).
    static func gemm<T: BLASFloat>(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: T,
                                   a: UnsafePointer<T>, lda: Int, b: UnsafePointer<T>, ldb: Int,
                                   beta: T, c: UnsafeMutablePointer<T>, ldc: Int) {
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
    static func nnValues(_ array: NDArray) -> [Double]? {
        if case .double(let v) = array.storage { return v }
        return nil
    }
    static func nnStorage(_ values: [Double]) -> NDArray.Storage { .double(values) }
    var nnSqrt: Double { squareRoot() }
}
