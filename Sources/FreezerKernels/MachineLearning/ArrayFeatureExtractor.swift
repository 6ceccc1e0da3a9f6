import FreezerIR

extension MachineLearningOperators {
    /// ArrayFeatureExtractor (ai.onnx.ml 1+): picks the entries `Y` (int64 indices of any shape, taken in
    /// row-major order) along the last axis of `X`. The result has shape `X.shape[:-1] + [k]` for k
    /// indices; a 1-D X gives `[1, k]` (as onnxruntime and the ONNX reference do). Indices must be in
    /// `[0, X.shape[-1])`.
    static func arrayFeatureExtractor(_ ctx: KernelContext) throws -> [NDArray?] {
        let x = try ctx.input(0)
        let y = try ctx.input(1)
        guard x.rank >= 1 else { throw ctx.fail("input 'X' must have rank 1 or more, got a scalar") }
        guard y.elementType == .int64, case .int(let indices) = y.storage else {
            throw ctx.fail("input 'Y' (indices) must be int64, but is \(y.elementType)")
        }
        let last = x.shape[x.rank - 1]
        var rows: [Int] = []
        rows.reserveCapacity(indices.count)
        for i in indices {
            guard i >= 0 && i < Int64(last) else {
                throw ctx.fail("index \(i) is out of range [0, \(last)) for the last axis of X shape \(x.shape)")
            }
            rows.append(Int(i))
        }
        let shape = x.rank == 1 ? [1, rows.count] : Array(x.shape.dropLast()) + [rows.count]
        let outer = x.count / max(last, 1)
        return [TensorLayout.gatherBlocks(x, outer: last == 0 ? 0 : outer, size: last, inner: 1, rows: rows, shape: shape)]
    }
}
