import FreezerIR

extension MoreTensorOperators {
    static func registerScatterElements(_ r: inout KernelRegistry) {
        // Scatter (9, deprecated in 11) is ScatterElements without reduction.
        r.register("Scatter", versions: 9...10) { ctx in [try scatterElements(ctx, reductions: ["none"])] }
        r.register("ScatterElements", versions: 11...15) { ctx in [try scatterElements(ctx, reductions: ["none"])] }
        r.register("ScatterElements", versions: 16...17) { ctx in [try scatterElements(ctx, reductions: ["none", "add", "mul"])] }
        r.register("ScatterElements", versions: 18...Int64.max) { ctx in
            [try scatterElements(ctx, reductions: ["none", "add", "mul", "max", "min"])]
        }
    }

    /// ScatterElements (11, 13, 16, 18) and Scatter (9): a copy of `data` in which, for every element
    /// of `indices` (same rank as data) at position (i0, …, ik), the element of data at the same
    /// position with coordinate `axis` (default 0) replaced by the index value (negative counts from
    /// the end) receives the element of `updates` at that position. `reduction` none replaces; add,
    /// mul, max, min combine with the current value. Updates apply in row-major order of `indices`,
    /// so with duplicate indices and `none` the last one wins and the reductions accumulate.
    static func scatterElements(_ ctx: KernelContext, reductions: [String]) throws(EvaluationError) -> NDArray {
        let data = try ctx.input(0), indices = try ctx.input(1), updates = try ctx.input(2)
        let reduction = ctx.string("reduction", default: "none")
        guard reductions.contains(reduction) else {
            throw ctx.fail("attribute 'reduction' '\(reduction)' is not one of \(reductions) at opset \(ctx.opset)")
        }
        let idx = try IndexInputs.values(indices, ctx, "indices")
        guard data.rank >= 1, indices.rank == data.rank, updates.shape == indices.shape, updates.elementType == data.elementType else {
            throw ctx.fail("'indices' \(indices.shape) and 'updates' \(updates.elementType)\(updates.shape) must have the same shape and the rank of 'data' \(data.elementType)\(data.shape)")
        }
        let targets = try TensorOperators.elementPositions(data: data, indices: indices, idx, ctx)
        func apply<T>(_ out: inout [T], _ u: [T], _ combine: ((T, T) -> T)?) {
            for (k, t) in targets.enumerated() { out[t] = combine.map { $0(out[t], u[k]) } ?? u[k] }
        }
        var result = data
        switch (data.storage, updates.storage) {
        case (.float(var o), .float(let u)):
            apply(&o, u, combiner(reduction, Float.self)); result.storage = .float(o)
        case (.double(var o), .double(let u)):
            apply(&o, u, combiner(reduction, Double.self)); result.storage = .double(o)
        case (.int(var o), .int(let u)):
            let type = data.elementType
            let c: ((Int64, Int64) -> Int64)?
            switch reduction {
            case "add": c = { IntegerWrap.wrap($0 &+ $1, type) }
            case "mul": c = { IntegerWrap.wrap($0 &* $1, type) }
            case "max": c = type == .uint64 ? { UInt64(bitPattern: $0) >= UInt64(bitPattern: $1) ? $0 : $1 } : { max($0, $1) }
            case "min": c = type == .uint64 ? { UInt64(bitPattern: $0) <= UInt64(bitPattern: $1) ? $0 : $1 } : { min($0, $1) }
            default: c = nil
            }
            apply(&o, u, c); result.storage = .int(o)
        case (.bool(var o), .bool(let u)):
            let c: ((Bool, Bool) -> Bool)?
            switch reduction {
            case "add", "max": c = { $0 || $1 }
            case "mul", "min": c = { $0 && $1 }
            default: c = nil
            }
            apply(&o, u, c); result.storage = .bool(o)
        case (.string(var o), .string(let u)) where reduction == "none":
            apply(&o, u, nil); result.storage = .string(o)
        default:
            throw ctx.fail("reduction '\(reduction)' is not supported for \(data.elementType)")
        }
        return result
    }

    /// The floating-point combination of a reduction (nil: replace); max and min propagate NaN.
    private static func combiner<T: FloatingPoint>(_ reduction: String, _: T.Type) -> ((T, T) -> T)? {
        switch reduction {
        case "add": { $0 + $1 }
        case "mul": { $0 * $1 }
        case "max": { $0.isNaN || $1.isNaN ? .nan : max($0, $1) }
        case "min": { $0.isNaN || $1.isNaN ? .nan : min($0, $1) }
        default: nil
        }
    }
}
