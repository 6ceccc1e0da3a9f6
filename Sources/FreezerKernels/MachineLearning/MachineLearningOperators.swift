import FreezerIR

/// Operators of the `ai.onnx.ml` domain that compute on tensors: Binarizer (ml opset 1+),
/// ArrayFeatureExtractor (1+), LabelEncoder (1, and 2+ with opset 4's tensor attributes), TreeEnsemble (5+).
public enum MachineLearningOperators {
    static let domain = "ai.onnx.ml"

    static func register(_ r: inout KernelRegistry) {
        r.register("Binarizer", domain: domain, versions: 1...Int64.max, binarizer)
        r.register("ArrayFeatureExtractor", domain: domain, versions: 1...Int64.max, arrayFeatureExtractor)
        r.register("LabelEncoder", domain: domain, versions: 1...1, labelEncoder1)
        r.register("LabelEncoder", domain: domain, versions: 2...Int64.max, labelEncoder)
        r.register("TreeEnsemble", domain: domain, versions: 5...Int64.max, treeEnsemble)
    }

    /// A tensor attribute as an array, nil when absent.
    static func tensorAttribute(_ ctx: KernelContext, _ name: String) throws(EvaluationError) -> NDArray? {
        guard let attribute = ctx.attribute(name) else { return nil }
        guard case .tensor(let t) = attribute.value else { throw ctx.fail("attribute '\(name)' must be a tensor") }
        do { return try NDArray(t) } catch { throw ctx.fail("attribute '\(name)': \(error)") }
    }

    /// A list-of-strings attribute, nil when absent.
    static func stringsAttribute(_ ctx: KernelContext, _ name: String) -> [String]? {
        guard case .strings(let v) = ctx.attribute(name)?.value else { return nil }
        return v.map { String(decoding: $0, as: UTF8.self) }
    }

    /// `values` (Double) in the storage of `type`: Float for float32/float16/bfloat16 (rounded to the
    /// half types by the evaluator), Double for float64.
    static func floatingArray(_ values: [Double], shape: [Int], type: ElementType) -> NDArray {
        NDArray.kind(of: type) == .double
            ? NDArray(elementType: type, shape: shape, storage: .double(values))
            : NDArray(elementType: type, shape: shape, storage: .float(values.map { Float($0) }))
    }
}
