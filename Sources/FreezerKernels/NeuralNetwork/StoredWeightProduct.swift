import CFreezerKernels
import FreezerIR

/// A MatMul or Gemm by a large weight of the graph, multiplied straight from the bytes the model stores
/// (mapped from the file): no decoded float32 copy, no float64 widening of the whole weight, no packed
/// copy. Each block of the weight is converted (float16, bfloat16 to float; anything to double, exactly;
/// transposed for a Gemm's transB) as it is packed into a cache-sized workspace.
///
/// For evaluations that read each weight once and do not keep it (the equivalence check): a 256 MB
/// float32 weight then costs its mapped pages only, where decoding cost 256 MB (float) or 512 MB
/// (float64) of fresh memory plus a packed copy, and float64 products ran on a widened copy.
///
/// Float results are freezer's packed product, bit for bit the decoded path's (one fma chain per
/// element whatever the packing). Double results are one fma chain per element too, a scalar loop of
/// `fma` calls bit for bit (OpenBLAS's dgemm, which the decoded path uses, sums in its blocking's order).
enum StoredWeightProduct {
    /// Smaller weights take the decoded path: a fresh copy of them costs less than it saves to avoid.
    static let minimumBytes = 1 << 20

    /// Initializer `id` when it may be read straight from its stored bytes (by a product, a convolution, a
    /// gather of rows): a constant that only one node reads and that is no graph output, stored as raw
    /// bytes of its full size (fixed-width elements), at least `minimumBytes`.
    static func storedOperand(_ id: ValueID?, in graph: Graph) -> Tensor? {
        guard let id, graph.isConstant(id), graph.consumers(of: id).count == 1, !graph.isGraphOutput(id),
              let tensor = graph.initializer(id), let width = tensor.elementType.byteWidth,
              case .raw(let bytes) = tensor.payload, bytes.count >= minimumBytes,
              let count = tensor.elementCount, count * width == bytes.count else { return nil }
        return tensor
    }

    /// A weight read in place, as its node reads it.
    struct Weight {
        let tensor: Tensor
        /// op(B) = Bᵀ: a Gemm with transB = 1 (a PyTorch Linear layer's [out, in] weight).
        let transposed: Bool
        /// A Gemm's, whose left operand must be a matrix (a MatMul's may have batch dimensions).
        var isGemm = false
        /// A convolution weight viewed as the matrix `[M, C·k…]` (`StoredWeightConvolution`): its kernel's
        /// spatial dimensions k…; empty for a MatMul or Gemm weight.
        var kernel: [Int] = []
        /// Rows (the inner dimension) and columns of op(B).
        var k: Int { Int(transposed ? tensor.dims[1] : tensor.dims[0]) }
        var n: Int { Int(transposed ? tensor.dims[0] : tensor.dims[1]) }
    }

    /// The weight of `node` when it is read in place: the right operand of a MatMul, or of a Gemm with
    /// transA = 0, alpha = 1 and a bias C that is absent, or of shape [n] or [1, n] with beta = 1 (the
    /// product then accumulates onto C, as the decoded path computes it); a constant 2-D float32, float16
    /// or bfloat16 initializer of at least `minimumBytes`, stored as raw bytes, read by no other node, on
    /// a CPU that runs freezer's kernels. Whether a given run takes this path also depends on the left
    /// operand (a float matrix of matching type); otherwise the weight is decoded.
    static func weight(of node: Node, in graph: Graph) -> Weight? {
        guard NativeKernels.isAvailable, node.inputs.count >= 2, let tensor = storedOperand(node.inputs[1], in: graph),
              tensor.dims.count == 2, storedType(tensor.elementType) != nil else { return nil }
        if node.isOnnx("MatMul") { return node.inputs.count == 2 ? Weight(tensor: tensor, transposed: false) : nil }
        guard node.isOnnx("Gemm"), (node.opsetVersion ?? 0) >= 11, node.inputs.count <= 3,
              node.attribute("transA")?.intValue ?? 0 == 0, node.attribute("alpha")?.floatValue ?? 1 == 1 else { return nil }
        let weight = Weight(tensor: tensor, transposed: node.attribute("transB")?.intValue ?? 0 != 0, isGemm: true)
        if node.inputs.count == 3, let c = node.inputs[2] {
            guard node.attribute("beta")?.floatValue ?? 1 == 1, graph.isConstant(c), let bias = graph.initializer(c),
                  bias.dims == [Int64(weight.n)] || bias.dims == [1, Int64(weight.n)] else { return nil }
        }
        return weight
    }

    /// `a · op(weight)` (+ `bias`, a row added to every row: the product accumulates onto it) in the
    /// precision `a` holds, or nil when `a` is not a float matrix (rank ≥ 2) whose last dimension is the
    /// weight's inner one and whose type (and the bias's) is the weight's (under `Precision.float64`,
    /// float64: every float is widened), so that the decoded path runs and reports what is wrong.
    static func multiply(_ a: NDArray, by weight: Weight, bias: NDArray? = nil, precision: Precision) -> NDArray? {
        guard case .raw(let bytes) = weight.tensor.payload, let type = storedType(weight.tensor.elementType),
              weight.isGemm ? a.rank == 2 : a.rank >= 2 else { return nil }
        let k = weight.k, n = weight.n
        guard a.shape[a.rank - 1] == k, bias.map({ $0.count == n && $0.elementType == a.elementType }) ?? true else { return nil }
        let m = k == 0 ? a.shape.dropLast().reduce(1, *) : a.count / k
        let shape = Array(a.shape.dropLast()) + [n]
        return bytes.withUnsafeBytes { raw -> NDArray? in
            let stored = fz_stored_b(data: raw.baseAddress, type: type, ldb: Int(weight.tensor.dims[1]), transposed: weight.transposed ? 1 : 0)
            switch a.storage {
            case .float(let values) where a.elementType == weight.tensor.elementType:
                let product = floatProduct(values, m: m, n: n, k: k, stored, bias: bias?.floats)
                return NDArray(elementType: a.elementType, shape: shape, storage: .float(product))
            case .double(let values) where precision == .float64:
                let product = doubleProduct(values, m: m, n: n, k: k, stored, bias: bias?.doubles)
                return NDArray(elementType: a.elementType, shape: shape, storage: .double(product))
            default:
                return nil
            }
        }
    }

    private static func storedType(_ type: ElementType) -> fz_stored_type? {
        switch type {
        case .float: FZ_STORED_F32
        case .float16: FZ_STORED_F16
        case .bfloat16: FZ_STORED_BF16
        default: nil
        }
    }

    private static func floatProduct(_ a: [Float], m: Int, n: Int, k: Int, _ b: fz_stored_b, bias: [Float]?) -> [Float] {
        let b = Unchecked(b)
        return product(a, m: m, n: n, bias: bias, alignment: Int(FZ_SGEMM_COLUMN_ALIGNMENT)) { a, c, accumulate, columns in
            var left = PackedProduct.left(a, rowStride: k, kStride: 1), b = b.value
            PackedProduct.Workspaces.shared.withWorkspace { workspace in
                fz_sgemm_stored(m, n, k, &left, &b, accumulate, c, n, columns.lowerBound, columns.upperBound, workspace)
            }
        }
    }

    private static func doubleProduct(_ a: [Double], m: Int, n: Int, k: Int, _ b: fz_stored_b, bias: [Double]?) -> [Double] {
        let b = Unchecked(b)
        return product(a, m: m, n: n, bias: bias, alignment: Int(FZ_DGEMM_COLUMN_ALIGNMENT)) { a, c, accumulate, columns in
            var left = fz_left_d(data: a, row_stride: k, k_stride: 1), b = b.value
            let workspace = UnsafeMutablePointer<Double>.allocate(capacity: fz_dgemm_workspace_count())
            defer { workspace.deallocate() }
            fz_dgemm_stored(m, n, k, &left, &b, accumulate, c, n, columns.lowerBound, columns.upperBound, workspace)
        }
    }

    /// The m×n result of a product: the bias in every row first when there is one (the product then
    /// accumulates onto it: `accumulate` 1), then `multiply` for the column ranges of the threads the
    /// packed product uses (`PackedProduct.splitColumns`), each writing its own columns of every row.
    private static func product<T>(_ a: [T], m: Int, n: Int, bias: [T]?, alignment: Int,
                                   _ multiply: @escaping @Sendable (_ a: UnsafePointer<T>, _ c: UnsafeMutablePointer<T>,
                                                                    _ accumulate: Int32, _ columns: Range<Int>) -> Void) -> [T] {
        [T](unsafeUninitializedCapacity: m * n) { c, initialized in
            defer { initialized = m * n }
            guard let c0 = c.baseAddress else { return }
            if let bias { for i in 0..<m { (c0 + i * n).initialize(from: bias, count: n) } }
            let accumulate: Int32 = bias == nil ? 0 : 1
            a.withUnsafeBufferPointer { ap in
                let pointers = Unchecked((ap.baseAddress ?? UnsafePointer(c0), c0))
                PackedProduct.splitColumns(n, alignment: alignment) { columns in
                    multiply(pointers.value.0, pointers.value.1, accumulate, columns)
                }
            }
        }
    }

    /// Operands of a product split among threads: read by all, and the output, of which each thread
    /// writes its own columns.
    private struct Unchecked<T>: @unchecked Sendable {
        let value: T
        init(_ value: T) { self.value = value }
    }
}
