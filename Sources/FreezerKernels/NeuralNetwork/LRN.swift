import Foundation
import FreezerIR

extension NeuralNetworkOperators {
    /// LRN (1, 13): `y = x / (bias + alpha / size · Σ x²)^beta`, the sum over channels
    /// `[c − ⌊(size−1)/2⌋, c + ⌈(size−1)/2⌉]` clipped to the tensor. Computed in Double, rounded once.
    static func localResponseNormalization(_ ctx: KernelContext) throws(EvaluationError) -> [NDArray?] {
        let x = try ctx.input(0)
        let kind = try floatKind(x, ctx, input: "X")
        guard x.rank >= 2 else { throw ctx.fail("X must be N×C×D1… (rank ≥ 2) but is \(text(x.shape))") }
        guard let size = ctx.int("size"), size >= 1, size <= Int64(Int32.max) else {
            throw ctx.fail("attribute 'size' must be given and ≥ 1 (got \(ctx.int("size").map(String.init) ?? "none"))")
        }
        let p = LRNParameters(size: Int(size), alpha: Double(ctx.float("alpha", default: 1e-4)),
                              beta: Double(ctx.float("beta", default: 0.75)), bias: Double(ctx.float("bias", default: 1)),
                              n: x.shape[0], channels: x.shape[1], spatial: x.shape[2...].reduce(1, *))
        switch kind {
        case .float: return [NDArray(elementType: x.elementType, shape: x.shape, storage: .float(lrn(x.floats, p)))]
        case .double: return [NDArray(elementType: x.elementType, shape: x.shape, storage: .double(lrn(x.doubles, p)))]
        }
    }

    struct LRNParameters { var size: Int, alpha: Double, beta: Double, bias: Double, n: Int, channels: Int, spatial: Int }

    static func lrn<T: BLASFloat>(_ x: [T], _ p: LRNParameters) -> [T] {
        var y = [T](repeating: 0, count: x.count)
        let below = (p.size - 1) / 2, above = p.size - 1 - below
        let scale = p.alpha / Double(p.size)
        x.withUnsafeBufferPointer { xb in
            y.withUnsafeMutableBufferPointer { yb in
                for image in 0..<p.n {
                    for c in 0..<p.channels {
                        let lo = max(0, c - below), hi = min(p.channels - 1, c + above)
                        let base = (image * p.channels + c) * p.spatial
                        for i in 0..<p.spatial {
                            var sum = 0.0
                            if lo <= hi {
                                for k in lo...hi { let v = Double(xb[(image * p.channels + k) * p.spatial + i]); sum += v * v }
                            }
                            yb[base + i] = T(Double(xb[base + i]) / pow(p.bias + scale * sum, p.beta))
                        }
                    }
                }
            }
        }
        return y
    }
}
