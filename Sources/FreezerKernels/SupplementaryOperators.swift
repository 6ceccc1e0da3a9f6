import FreezerIR

/// The operators of ONNX's node suite added after the core families: losses, the preview training
/// optimizers, further math, bitwise and activation functions, tensor operators (Unique, scatters,
/// CenterCropPad, ...), and the string operators with TfIdfVectorizer. Each concern lives in its own
/// file; this list registers them all.
enum SupplementaryOperators {
    static func register(_ r: inout KernelRegistry) {
        Losses.register(&r)
        Optimizers.register(&r)
        MoreMath.register(&r)
        Bitwise.register(&r)
        MoreTensorOperators.register(&r)
        StringOperators.register(&r)
    }
}

/// Reading and producing floating-point tensors for kernels that compute in Double and round once.
enum FloatingData {
    /// The values of a float16/bfloat16/float32/float64 array as Double, or an error naming `name`.
    static func doubles(_ a: NDArray, _ ctx: KernelContext, _ name: String) throws(EvaluationError) -> [Double] {
        switch a.storage {
        case .float(let v): return v.map(Double.init)
        case .double(let v): return v
        default: throw ctx.fail("input '\(name)' has element type \(a.elementType); \(ctx.node.opType) needs a floating-point tensor")
        }
    }

    /// `values` as an array of `type` (Float storage for float32/float16/bfloat16, rounded by the evaluator).
    static func array(_ values: [Double], shape: [Int], type: ElementType) -> NDArray {
        if NDArray.kind(of: type) == .double {
            return NDArray(elementType: type, shape: shape, storage: .double(values))
        }
        return NDArray(elementType: type, shape: shape, storage: .float(values.map { Float($0) }))
    }

    /// Whether `type` is held as Float or Double storage.
    static func isFloating(_ type: ElementType) -> Bool {
        let k = NDArray.kind(of: type)
        return k == .float || k == .double
    }
}
