import CFreezerKernels
import Dispatch
import FreezerIR

/// A MatMul by a large weight of the graph, multiplied straight from the bytes the model stores (mapped
/// from the file): no decoded float32 copy, no float64 widening of the whole weight, no packed copy.
/// Each block of the weight is converted (float16, bfloat16 to float; anything to double, exactly) as it
/// is packed into a cache-sized workspace.
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

    /// Whether `node` multiplies by a weight read in place: a MatMul whose right operand is a constant
    /// 2-D float32, float16 or bfloat16 initializer of at least `minimumBytes`, stored as raw bytes, read
    /// by no other node, on a CPU that runs freezer's kernels. Whether a given run takes this path also
    /// depends on the left operand (a float matrix of matching type); otherwise the weight is decoded.
    static func weight(of node: Node, in graph: Graph) -> Tensor? {
        guard NativeKernels.isAvailable, node.isOnnx("MatMul"), node.inputs.count == 2, let id = node.inputs[1],
              graph.isConstant(id), graph.consumers(of: id).count == 1, !graph.isGraphOutput(id),
              let tensor = graph.initializer(id), tensor.dims.count == 2, storedType(tensor.elementType) != nil,
              case .raw(let bytes) = tensor.payload, bytes.count >= minimumBytes,
              let count = tensor.elementCount, count * tensor.elementType.storedWidth == bytes.count else { return nil }
        return tensor
    }

    /// `a · weight` in the precision `a` holds, or nil when `a` is not a float matrix (rank ≥ 2) whose
    /// last dimension is the weight's first and whose type is the weight's (under `Precision.float64`,
    /// float64: every float is widened), so that the decoded path runs and reports what is wrong.
    static func multiply(_ a: NDArray, by weight: Tensor, precision: Precision) -> NDArray? {
        guard case .raw(let bytes) = weight.payload, let type = storedType(weight.elementType), a.rank >= 2 else { return nil }
        let k = Int(weight.dims[0]), n = Int(weight.dims[1])
        guard a.shape[a.rank - 1] == k else { return nil }
        let m = k == 0 ? a.shape.dropLast().reduce(1, *) : a.count / k
        let shape = Array(a.shape.dropLast()) + [n]
        return bytes.withUnsafeBytes { raw -> NDArray? in
            let stored = fz_stored_b(data: raw.baseAddress, type: type, ldb: n)
            switch a.storage {
            case .float(let values) where a.elementType == weight.elementType:
                let product = floatProduct(values, m: m, n: n, k: k, stored)
                return NDArray(elementType: a.elementType, shape: shape, storage: .float(product))
            case .double(let values) where precision == .float64:
                let product = doubleProduct(values, m: m, n: n, k: k, stored)
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

    /// Column ranges of whole panels for the threads the packed product uses (`PackedProduct.threads`).
    private static func parts(n: Int, alignment: Int) -> (count: Int, columns: Int) {
        let panels = (n + alignment - 1) / alignment
        let count = max(1, min(PackedProduct.threads.load(ordering: .relaxed), panels))
        return (count, (panels + count - 1) / count * alignment)
    }

    private static func inParts(_ count: Int, _ body: @Sendable (Int) -> Void) {
        if count == 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: count, execute: body) }
    }

    private static func floatProduct(_ a: [Float], m: Int, n: Int, k: Int, _ b: fz_stored_b) -> [Float] {
        let (count, columns) = parts(n: n, alignment: Int(FZ_SGEMM_COLUMN_ALIGNMENT))
        return [Float](unsafeUninitializedCapacity: m * n) { c, initialized in
            defer { initialized = m * n }
            guard let c0 = c.baseAddress else { return }
            let out = Unchecked(c0)
            a.withUnsafeBufferPointer { ap in
                let operands = Unchecked((PackedProduct.left(ap.baseAddress ?? UnsafePointer(c0), rowStride: k, kStride: 1), b))
                inParts(count) { part in
                    var (left, b) = operands.value
                    PackedProduct.Workspaces.shared.withWorkspace { workspace in
                        fz_sgemm_stored(m, n, k, &left, &b, 0, out.value, n, part * columns, min(n, (part + 1) * columns), workspace)
                    }
                }
            }
        }
    }

    private static func doubleProduct(_ a: [Double], m: Int, n: Int, k: Int, _ b: fz_stored_b) -> [Double] {
        let (count, columns) = parts(n: n, alignment: Int(FZ_DGEMM_COLUMN_ALIGNMENT))
        return [Double](unsafeUninitializedCapacity: m * n) { c, initialized in
            defer { initialized = m * n }
            guard let c0 = c.baseAddress else { return }
            let out = Unchecked(c0)
            a.withUnsafeBufferPointer { ap in
                let operands = Unchecked((fz_left_d(data: ap.baseAddress ?? UnsafePointer(c0), row_stride: k, k_stride: 1), b))
                inParts(count) { part in
                    var (left, b) = operands.value
                    let workspace = UnsafeMutablePointer<Double>.allocate(capacity: fz_dgemm_workspace_count())
                    defer { workspace.deallocate() }
                    fz_dgemm_stored(m, n, k, &left, &b, 0, out.value, n, part * columns, min(n, (part + 1) * columns), workspace)
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

extension ElementType {
    /// Bytes per element of the float types a product reads in place.
    fileprivate var storedWidth: Int {
        switch self {
        case .float16, .bfloat16: 2
        case .double: 8
        default: 4
        }
    }
}
