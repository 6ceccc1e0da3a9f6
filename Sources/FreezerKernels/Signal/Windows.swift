import Foundation
import FreezerIR

extension VisionSignalOperators {
    enum WindowKind { case hann, hamming, blackman }

    /// HannWindow, HammingWindow, BlackmanWindow (17): a window of `size` points, n = 0…size−1, with
    /// N = size when periodic (default 1) else size − 1:
    /// Hann `sin²(πn/N)`; Hamming `α − (1−α)·cos(2πn/N)` with α = 25/46 (the ONNX reference's exact
    /// Hamming coefficient, not 0.54); Blackman `0.42 − 0.5·cos(2πn/N) + 0.08·cos(4πn/N)`.
    /// A symmetric window of one point (N = 0) is [1], as torch gives. The output type is
    /// `output_datatype` (default float32).
    static func window(_ ctx: KernelContext, _ kind: WindowKind) throws(EvaluationError) -> [NDArray?] {
        let size = try IndexInputs.scalar(ctx, 0, "size")
        guard size >= 0, size <= Int64(IndexInputs.maxElements) else { throw ctx.fail("window size \(size) must be ≥ 0") }
        let periodic = ctx.int("periodic", default: 1)
        guard periodic == 0 || periodic == 1 else { throw ctx.fail("attribute 'periodic' must be 0 or 1, got \(periodic)") }
        let type = try outputType(ctx)
        let count = Int(size)
        let n = Double(periodic == 1 ? count : count - 1)
        let values = (0..<count).map { i -> Double in
            guard n > 0 else { return 1 }
            let x = Double(i)
            switch kind {
            case .hann:
                let s = sin(Double.pi * x / n)
                return s * s
            case .hamming:
                let alpha = 25.0 / 46.0
                return alpha - (1 - alpha) * cos(2 * Double.pi * x / n)
            case .blackman:
                return 0.42 - 0.5 * cos(2 * Double.pi * x / n) + 0.08 * cos(4 * Double.pi * x / n)
            }
        }
        return [try result(values, shape: [count], type: type, ctx)]
    }

    /// The `output_datatype` attribute (default 1, float32), checked to be a numeric type.
    static func outputType(_ ctx: KernelContext) throws(EvaluationError) -> ElementType {
        let raw = ctx.int("output_datatype", default: 1)
        guard let code = Int32(exactly: raw) else { throw ctx.fail("attribute 'output_datatype' = \(raw) is not an element type") }
        let type = ElementType(rawValue: code)
        let numeric: [ElementType] = [.float, .float16, .bfloat16, .double, .uint8, .uint16, .uint32, .uint64,
                                      .int8, .int16, .int32, .int64]
        guard numeric.contains(type) else { throw ctx.fail("attribute 'output_datatype' = \(raw) is not a numeric type this operator produces") }
        return type
    }
}
