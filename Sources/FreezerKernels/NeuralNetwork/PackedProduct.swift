import CFreezerKernels
import Foundation
import Synchronization

/// A matrix operand in the packed layout of freezer's sgemm (CFreezerKernels), in memory it owns.
final class PackedMatrix: @unchecked Sendable {
    // Written once by `init`'s fill, read-only afterwards.
    let base: UnsafeMutablePointer<Float>
    let count: Int

    init(count: Int, fill: (UnsafeMutablePointer<Float>) -> Void) {
        self.count = count
        // Aligned to a cache line, so a panel row never straddles two.
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(1, count) * MemoryLayout<Float>.stride, alignment: 64)
        HugePages.advise(raw, byteCount: count * MemoryLayout<Float>.stride)
        base = raw.bindMemory(to: Float.self, capacity: max(1, count))
        fill(base)
    }

    deinit { base.deallocate() }
}

/// freezer's single-precision matrix product, used for float tensors when the CPU runs it
/// (`NativeKernels.isAvailable`; elsewhere products go to OpenBLAS),
/// for every product with more than one row and column (one row or column is a gemv of the BLAS).
///
/// Every element of the result is one fused multiply-add chain over k in increasing order, starting
/// from 0 (or from C when accumulating). Unlike a BLAS, whose summation order depends on its blocking,
/// kernel choice and thread split, the result is therefore fixed by the operands alone: the same with
/// 1 or 8 threads, and equal to a scalar loop of `fma` calls. The left operand is read in place; a
/// constant right operand (a layer's weights) is packed once (`NodeInfo.packedConstant`) instead of
/// on every call as BLAS does.
enum PackedProduct {
    /// Threads a product splits its columns over (process-wide, like OpenBLAS's thread count).
    static let threads = Atomic<Int>(1)

    static func packB(k: Int, n: Int, _ b: UnsafePointer<Float>, ldb: Int, transposed: Bool) -> PackedMatrix {
        PackedMatrix(count: fz_packed_b_count(k, n)) { fz_pack_b(k, n, b, ldb, transposed ? 1 : 0, $0) }
    }

    /// The right operand of a product: packed, or packed block by block as it is used from a row-major
    /// matrix or from a 2-D convolution's input (its implicit im2col matrix, never written out).
    enum Right {
        case packed(PackedMatrix)
        case matrix(UnsafePointer<Float>, ld: Int, transposed: Bool)
        case convolution(fz_conv2d)
    }

    /// The left operand, read in place: op(A)[i][p] = a[i·rowStride + p·kStride].
    static func left(_ a: UnsafePointer<Float>, rowStride: Int, kStride: Int) -> fz_left {
        fz_left(data: a, row_stride: rowStride, k_stride: kStride)
    }

    /// C (m×n, leading dimension ldc) = op(A)·op(B), or C += op(A)·op(B) when `accumulate`.
    static func multiply(m: Int, n: Int, k: Int, a: fz_left, b: Right, accumulate: Bool,
                         c: UnsafeMutablePointer<Float>, ldc: Int) {
        let product = Product(m: m, n: n, k: k, a: a, b: b, accumulate: accumulate, c: c, ldc: ldc)
        splitColumns(n, alignment: Int(FZ_SGEMM_COLUMN_ALIGNMENT)) { product.run(columns: $0) }
    }

    /// Runs `body` on `n` columns cut into ranges of whole panels of `alignment` columns, one range per
    /// thread (`threads`), at once. Each element of a product is one fma chain whichever range computes
    /// it, so the split changes no bit.
    static func splitColumns(_ n: Int, alignment: Int, _ body: @escaping @Sendable (Range<Int>) -> Void) {
        let panels = (n + alignment - 1) / alignment
        let parts = max(1, min(threads.load(ordering: .relaxed), panels))
        let width = (panels + parts - 1) / parts * alignment
        let run: @Sendable (Int) -> Void = { part in
            let begin = part * width, end = min(n, begin + width)
            if begin < end { body(begin..<end) }
        }
        if parts == 1 { run(0) } else { DispatchQueue.concurrentPerform(iterations: parts, execute: run) }
    }

    /// One product, split into column ranges that threads compute independently.
    private struct Product: @unchecked Sendable {
        // The parts write disjoint columns of `c` and only read the rest.
        let m: Int, n: Int, k: Int
        let a: fz_left
        let b: Right
        let accumulate: Bool
        let c: UnsafeMutablePointer<Float>
        let ldc: Int

        func run(columns: Range<Int>) {
            let begin = columns.lowerBound, end = columns.upperBound
            var a = a
            switch b {
            case .packed(let packed):
                fz_sgemm_packed(m, n, k, &a, packed.base, accumulate ? 1 : 0, c, ldc, begin, end)
            case .matrix(let matrix, let ld, let transposed):
                Workspaces.shared.withWorkspace { workspace in
                    fz_sgemm(m, n, k, &a, matrix, ld, transposed ? 1 : 0, accumulate ? 1 : 0, c, ldc, begin, end, workspace)
                }
            case .convolution(var convolution):
                Workspaces.shared.withWorkspace { workspace in
                    fz_sgemm_conv2d(m, &a, &convolution, accumulate ? 1 : 0, c, ldc, begin, end, workspace)
                }
            }
        }
    }

    /// Reusable packing buffers for unpacked right operands (one per concurrent product), so a product
    /// does not allocate and fault in half a megabyte on every call.
    final class Workspaces: Sendable {
        static let shared = Workspaces()
        private let free = Mutex<[PackedMatrix]>([])

        func withWorkspace(_ body: (UnsafeMutablePointer<Float>) -> Void) {
            let workspace = free.withLock { $0.popLast() } ?? PackedMatrix(count: fz_sgemm_workspace_count()) { _ in }
            body(workspace.base)
            free.withLock { $0.append(workspace) }
        }
    }
}
