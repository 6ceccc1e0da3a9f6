import FreezerIR

extension MachineLearningOperators {
    /// Binarizer (ai.onnx.ml 1+): `Y = X > threshold ? 1 : 0` elementwise, in X's type (float, double,
    /// int32, int64); `threshold` defaults to 0. NaN is not greater than anything, so it maps to 0.
    static func binarizer(_ ctx: KernelContext) throws -> [NDArray?] {
        let x = try ctx.input(0)
        let threshold = Double(ctx.float("threshold", default: 0))
        switch x.storage {
        case .float(let v):
            return [NDArray(elementType: x.elementType, shape: x.shape, storage: .float(v.map { Double($0) > threshold ? 1 : 0 }))]
        case .double(let v):
            return [NDArray(elementType: x.elementType, shape: x.shape, storage: .double(v.map { $0 > threshold ? 1 : 0 }))]
        case .int(let v):
            return [NDArray(elementType: x.elementType, shape: x.shape, storage: .int(v.map { Double($0) > threshold ? 1 : 0 }))]
        case .bool, .string:
            throw ctx.fail("input must be float, double, int32 or int64, but is \(x.elementType)")
        }
    }
}
