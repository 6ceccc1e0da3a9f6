import FreezerIR

/// Detection, image sampling and signal operators: NonMaxSuppression, RoiAlign, GridSample,
/// AffineGrid, Col2Im, DeformConv (folder Vision) and DFT, STFT, the window generators and
/// MelWeightMatrix (folder Signal). Each kernel computes in Double and rounds once into the output type.
///
/// Kernels are registered per opset range only where the semantics changed (DFT's axis moved from an
/// attribute to an input at 20; GridSample renamed its modes and went N-D at 20; RoiAlign gained
/// coordinate_transformation_mode at 16).
enum VisionSignalOperators {
    static func register(_ r: inout KernelRegistry) {
        r.register("NonMaxSuppression", versions: 10...Int64.max, nonMaxSuppression)
        r.register("RoiAlign", versions: 10...15) { ctx in try roiAlign(ctx, halfPixelDefault: false) }
        r.register("RoiAlign", versions: 16...Int64.max) { ctx in try roiAlign(ctx, halfPixelDefault: true) }
        r.register("GridSample", versions: 16...19) { ctx in try gridSample(ctx, legacyNames: true) }
        r.register("GridSample", versions: 20...Int64.max) { ctx in try gridSample(ctx, legacyNames: false) }
        r.register("AffineGrid", versions: 20...Int64.max, affineGrid)
        r.register("Col2Im", versions: 18...Int64.max, col2Im)
        r.register("DeformConv", versions: 19...Int64.max, deformConv)

        r.register("DFT", versions: 17...19) { ctx in try dft(ctx, axisAsInput: false) }
        r.register("DFT", versions: 20...Int64.max) { ctx in try dft(ctx, axisAsInput: true) }
        r.register("STFT", versions: 17...Int64.max, stft)
        r.register("HannWindow", versions: 17...Int64.max) { ctx in try window(ctx, .hann) }
        r.register("HammingWindow", versions: 17...Int64.max) { ctx in try window(ctx, .hamming) }
        r.register("BlackmanWindow", versions: 17...Int64.max) { ctx in try window(ctx, .blackman) }
        r.register("MelWeightMatrix", versions: 17...Int64.max, melWeightMatrix)
    }

    /// The values of floating-point input `i` as Double, and whether they are held as Float (float16,
    /// bfloat16, float32) rather than Double.
    static func floatInput(_ ctx: KernelContext, _ i: Int, _ name: String) throws(EvaluationError) -> (array: NDArray, values: [Double]) {
        let a = try ctx.input(i)
        switch a.storage {
        case .float(let v): return (a, v.map(Double.init))
        case .double(let v): return (a, v)
        default: throw ctx.fail("input '\(name)' has element type \(a.elementType); \(ctx.node.opType) needs float16, bfloat16, float32 or float64")
        }
    }

    /// `values` (computed in Double) as an array of `like`'s element type, rounded once.
    static func result(_ values: [Double], shape: [Int], like x: NDArray) -> NDArray {
        switch x.storage {
        case .double: NDArray(elementType: x.elementType, shape: shape, storage: .double(values))
        default: NDArray(elementType: x.elementType, shape: shape, storage: .float(values.map { Float($0) }))
        }
    }

    /// `values` as an array of `type` (a numeric ONNX type): floats rounded once, integers truncated toward
    /// zero and wrapped as a numpy cast does. Under float64 precision float types become float64.
    static func result(_ values: [Double], shape: [Int], type: ElementType, _ ctx: KernelContext) throws(EvaluationError) -> NDArray {
        let type = ctx.precision.castTarget(type)
        switch NDArray.kind(of: type) {
        case .float: return NDArray(elementType: type, shape: shape, storage: .float(values.map { Float($0) }))
        case .double: return NDArray(elementType: type, shape: shape, storage: .double(values))
        case .int:
            guard type.rawValue <= 13 else { throw ctx.fail("output type \(type) is not supported") }
            let ints = values.map { v -> Int64 in
                guard v.isFinite, let i = Int64(exactly: v.rounded(.towardZero)) else { return 0 }
                return IntegerWrap.wrap(i, type)
            }
            return NDArray(ints: ints, shape: shape, type: type)
        default: throw ctx.fail("output type \(type) is not numeric")
        }
    }

    /// A strictly positive-or-zero integer attribute list of `count` values, or `fallback`.
    static func intList(_ ctx: KernelContext, _ name: String, count: Int, default fallback: Int, minimum: Int64) throws(EvaluationError) -> [Int] {
        guard let raw = ctx.ints(name) else { return [Int](repeating: fallback, count: count) }
        guard raw.count == count else { throw ctx.fail("attribute '\(name)' has \(raw.count) values \(raw); \(count) are needed") }
        guard raw.allSatisfy({ $0 >= minimum && $0 <= Int64(Int32.max) }) else {
            throw ctx.fail("attribute '\(name)' = \(raw) has a value below \(minimum) or too large")
        }
        return raw.map { Int($0) }
    }

    static func text(_ shape: [Int]) -> String { "[\(shape.map(String.init).joined(separator: ","))]" }
}
