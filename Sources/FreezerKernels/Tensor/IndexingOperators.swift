import FreezerIR

/// Gather, GatherElements, GatherND, ScatterND, NonZero, OneHot and Trilu: operators driven by index
/// tensors or index conditions. Every index is range-checked and negative indices count from the end.
extension TensorOperators {
    static func registerIndexing(_ r: inout KernelRegistry) {
        r.register("Gather") { ctx in [try gather(ctx)] }
        r.register("GatherElements", versions: 11...Int64.max) { ctx in [try gatherElements(ctx)] }
        r.register("GatherND", versions: 11...Int64.max) { ctx in [try gatherND(ctx)] }
        r.register("ScatterND", versions: 11...Int64.max) { ctx in [try scatterND(ctx)] }
        r.register("NonZero", versions: 9...Int64.max) { ctx in [try nonZero(ctx)] }
        r.register("OneHot", versions: 9...Int64.max) { ctx in [try oneHot(ctx)] }
        r.register("Trilu", versions: 14...Int64.max) { ctx in [try trilu(ctx)] }
    }

    static func gather(_ ctx: KernelContext) throws(EvaluationError) -> NDArray {
        let data = try ctx.input(0), indices = try ctx.input(1)
        let idx = try IndexInputs.values(indices, ctx, "indices")
        guard data.rank >= 1 else { throw ctx.fail("input 'data' must have rank 1 or more, got a scalar") }
        let axis = try ctx.axis(ctx.int("axis", default: 0), rank: data.rank)
        let dim = data.shape[axis]
        var rows = [Int](repeating: 0, count: idx.count)
        for (k, i) in idx.enumerated() { rows[k] = try IndexInputs.wrap(i, size: dim, ctx, "indices") }
        // Gather along `axis` picks blocks of the inner axes: data is outer × dim × inner.
        let shape = Array(data.shape[..<axis]) + indices.shape + Array(data.shape[(axis + 1)...])
        return TensorLayout.gatherBlocks(data, outer: TensorLayout.product(data.shape, 0..<axis), size: dim,
                                         inner: TensorLayout.product(data.shape, (axis + 1)..<data.rank), rows: rows, shape: shape)
    }

    /// GatherElements / ScatterElements: the flat position in `data` of each element of `indices` (same
    /// coordinates, except along `axis`, where the index value, negative from the end, is taken).
    static func elementPositions(data: NDArray, indices: NDArray, _ idx: [Int64], _ ctx: KernelContext) throws(EvaluationError) -> [Int] {
        let axis = try ctx.axis(ctx.int("axis", default: 0), rank: data.rank)
        for d in 0..<data.rank where d != axis && indices.shape[d] > data.shape[d] {
            throw ctx.fail("'indices' shape \(indices.shape) exceeds 'data' shape \(data.shape) on axis \(d)")
        }
        let strides = data.strides
        let offsets = (0..<data.rank).map { d in
            d == axis ? [Int](repeating: 0, count: indices.shape[d]) : TensorLayout.linear(indices.shape[d], stride: strides[d])
        }
        var positions = TensorLayout.positions(shape: indices.shape, offsets: offsets)
        for k in positions.indices {
            positions[k] += try IndexInputs.wrap(idx[k], size: data.shape[axis], ctx, "indices") * strides[axis]
        }
        return positions
    }

    static func gatherElements(_ ctx: KernelContext) throws(EvaluationError) -> NDArray {
        let data = try ctx.input(0), indices = try ctx.input(1)
        let idx = try IndexInputs.values(indices, ctx, "indices")
        guard data.rank >= 1, indices.rank == data.rank else {
            throw ctx.fail("'indices' shape \(indices.shape) must have the rank of 'data' shape \(data.shape) (at least 1)")
        }
        let positions = try elementPositions(data: data, indices: indices, idx, ctx)
        return TensorLayout.take(data, positions, shape: indices.shape)
    }

    /// Shapes of GatherND/ScatterND: the index tuple length `k` and the flat data offsets of each tuple.
    private static func tupleOffsets(_ ctx: KernelContext, data: NDArray, indices: NDArray, batchDims b: Int) throws(EvaluationError) -> (k: Int, offsets: [Int]) {
        let idx = try IndexInputs.values(indices, ctx, "indices")
        guard indices.rank >= 1, data.rank >= 1 else {
            throw ctx.fail("'data' \(data.shape) and 'indices' \(indices.shape) must have rank 1 or more")
        }
        guard b >= 0, b < min(data.rank, indices.rank), Array(data.shape[..<b]) == Array(indices.shape[..<b]) else {
            throw ctx.fail("batch_dims \(b) is invalid for 'data' shape \(data.shape) and 'indices' shape \(indices.shape): the first batch_dims dimensions must match")
        }
        let k = indices.shape[indices.rank - 1]
        guard k <= data.rank - b else {
            throw ctx.fail("the last dimension of 'indices' \(indices.shape) is \(k); it must be at most \(data.rank - b) for 'data' shape \(data.shape)")
        }
        let strides = data.strides
        let tuples = k == 0 ? TensorLayout.product(indices.shape, 0..<(indices.rank - 1)) : idx.count / k
        let perBatch = TensorLayout.product(indices.shape, b..<(indices.rank - 1))
        let batchStride = TensorLayout.product(data.shape, b..<data.rank)
        var offsets = [Int](repeating: 0, count: tuples)
        for t in 0..<tuples {
            var off = (perBatch == 0 ? 0 : t / perBatch) * batchStride
            for j in 0..<k {
                off += try IndexInputs.wrap(idx[t * k + j], size: data.shape[b + j], ctx, "indices") * strides[b + j]
            }
            offsets[t] = off
        }
        return (k, offsets)
    }

    static func gatherND(_ ctx: KernelContext) throws(EvaluationError) -> NDArray {
        let data = try ctx.input(0), indices = try ctx.input(1)
        let b = Int(clamping: ctx.opset >= 12 ? ctx.int("batch_dims", default: 0) : 0)
        let (k, offsets) = try tupleOffsets(ctx, data: data, indices: indices, batchDims: b)
        let sliceShape = Array(data.shape[(b + k)...])
        let shape = Array(indices.shape.dropLast()) + sliceShape
        let slice = TensorLayout.product(sliceShape, 0..<sliceShape.count)
        let positions = TensorLayout.positions(shape: [offsets.count, slice], offsets: [offsets, Array(0..<slice)])
        return TensorLayout.take(data, positions, shape: shape)
    }

    static func scatterND(_ ctx: KernelContext) throws(EvaluationError) -> NDArray {
        let data = try ctx.input(0), indices = try ctx.input(1), updates = try ctx.input(2)
        let reduction = ctx.opset >= 16 ? ctx.string("reduction", default: "none") : "none"
        let allowed = ctx.opset >= 18 ? ["none", "add", "mul", "max", "min"] : ["none", "add", "mul"]
        guard allowed.contains(reduction) else {
            throw ctx.fail("attribute 'reduction' '\(reduction)' is not one of \(allowed) at opset \(ctx.opset)")
        }
        guard updates.elementType == data.elementType else {
            throw ctx.fail("'updates' is \(updates.elementType) but 'data' is \(data.elementType)")
        }
        let (k, offsets) = try tupleOffsets(ctx, data: data, indices: indices, batchDims: 0)
        let expected = Array(indices.shape.dropLast()) + Array(data.shape[k...])
        guard updates.shape == expected else {
            throw ctx.fail("'updates' shape \(updates.shape) must be \(expected) for 'data' \(data.shape) and 'indices' \(indices.shape)")
        }
        let slice = TensorLayout.product(data.shape, k..<data.rank)
        func apply<T>(_ out: inout [T], _ upd: [T], _ combine: ((T, T) -> T)?) {
            out.withUnsafeMutableBufferPointer { o in
                upd.withUnsafeBufferPointer { u in
                    for (t, off) in offsets.enumerated() {
                        for s in 0..<slice {
                            o[off + s] = combine.map { $0(o[off + s], u[t * slice + s]) } ?? u[t * slice + s]
                        }
                    }
                }
            }
        }
        var result = data
        let type = data.elementType
        switch (data.storage, updates.storage) {
        case (.float(var o), .float(let u)):
            apply(&o, u, reduction == "none" ? nil : floatCombine(reduction))
            result.storage = .float(o)
        case (.double(var o), .double(let u)):
            apply(&o, u, reduction == "none" ? nil : doubleCombine(reduction))
            result.storage = .double(o)
        case (.int(var o), .int(let u)):
            let c: ((Int64, Int64) -> Int64)? = switch reduction {
            case "add": { IntegerWrap.wrap($0 &+ $1, type) }
            case "mul": { IntegerWrap.wrap($0 &* $1, type) }
            case "max": type == .uint64 ? { UInt64(bitPattern: $0) >= UInt64(bitPattern: $1) ? $0 : $1 } : { max($0, $1) }
            case "min": type == .uint64 ? { UInt64(bitPattern: $0) <= UInt64(bitPattern: $1) ? $0 : $1 } : { min($0, $1) }
            default: nil
            }
            apply(&o, u, c)
            result.storage = .int(o)
        case (.bool(var o), .bool(let u)) where reduction == "none":
            apply(&o, u, nil)
            result.storage = .bool(o)
        case (.string(var o), .string(let u)) where reduction == "none":
            apply(&o, u, nil)
            result.storage = .string(o)
        default:
            throw ctx.fail("reduction '\(reduction)' is not supported for \(type)")
        }
        return result
    }

    private static func floatCombine(_ reduction: String) -> (Float, Float) -> Float {
        switch reduction {
        case "add": { $0 + $1 }
        case "mul": { $0 * $1 }
        case "max": { $0.isNaN || $1.isNaN ? .nan : max($0, $1) }
        default: { $0.isNaN || $1.isNaN ? .nan : min($0, $1) }
        }
    }

    private static func doubleCombine(_ reduction: String) -> (Double, Double) -> Double {
        switch reduction {
        case "add": { $0 + $1 }
        case "mul": { $0 * $1 }
        case "max": { $0.isNaN || $1.isNaN ? .nan : max($0, $1) }
        default: { $0.isNaN || $1.isNaN ? .nan : min($0, $1) }
        }
    }

    /// NonZero: coordinates of the non-zero elements, shape [rank, count], in row-major order.
    /// A scalar is treated as a 1-element vector (output [1, count]), as onnxruntime does.
    static func nonZero(_ ctx: KernelContext) throws(EvaluationError) -> NDArray {
        let x = try ctx.input(0)
        let flags: [Bool]
        switch x.storage {
        case .float(let v): flags = v.map { $0 != 0 }
        case .double(let v): flags = v.map { $0 != 0 }
        case .int(let v): flags = v.map { $0 != 0 }
        case .bool(let v): flags = v
        case .string: throw ctx.fail("NonZero does not accept string tensors")
        }
        let shape = x.rank == 0 ? [1] : x.shape
        let rank = shape.count
        let hits = flags.indices.filter { flags[$0] }
        let strides = NDArray.strides(of: shape)
        var out = [Int64](repeating: 0, count: rank * hits.count)
        for (c, flat) in hits.enumerated() {
            for d in 0..<rank { out[d * hits.count + c] = Int64((flat / strides[d]) % shape[d]) }
        }
        return NDArray(ints: out, shape: [rank, hits.count])
    }

    /// OneHot: indices outside [-depth, depth-1] give an all-off row, as the specification says.
    static func oneHot(_ ctx: KernelContext) throws(EvaluationError) -> NDArray {
        let indices = try ctx.input(0), depthInput = try ctx.input(1), values = try ctx.input(2)
        guard depthInput.count == 1 else { throw ctx.fail("input 'depth' must hold one value, got shape \(depthInput.shape)") }
        guard values.count == 2, values.rank == 1 else { throw ctx.fail("input 'values' must be [off_value, on_value], got shape \(values.shape)") }
        guard indices.kind != .string, indices.kind != .bool, depthInput.kind != .string, depthInput.kind != .bool else {
            throw ctx.fail("'indices' and 'depth' must be numeric, got \(indices.elementType) and \(depthInput.elementType)")
        }
        let depthValue = depthInput.asDoubles[0]
        guard depthValue.isFinite, depthValue >= 1, depthValue < Double(1 << 32) else {
            throw ctx.fail("input 'depth' must be a positive integer, got \(depthValue)")
        }
        let depth = Int(depthValue)
        let rank = indices.rank
        let a = ctx.int("axis", default: -1)
        guard a >= -Int64(rank + 1), a <= Int64(rank) else { throw ctx.fail("attribute 'axis' \(a) is out of range for output rank \(rank + 1)") }
        let axis = Int(a < 0 ? a + Int64(rank + 1) : a)
        let idx = indices.asInts
        var shape = indices.shape
        shape.insert(depth, at: axis)
        let n = try IndexInputs.count(shape, ctx, "output")
        let outer = TensorLayout.product(indices.shape, 0..<axis)
        let inner = TensorLayout.product(indices.shape, axis..<rank)
        // Position 0 of `values` is off, 1 is on.
        var positions = [Int](repeating: 0, count: n)
        for o in 0..<outer {
            for i in 0..<inner {
                var v = idx[o * inner + i]
                if v < 0 { v += Int64(depth) }
                if v >= 0 && v < Int64(depth) { positions[(o * depth + Int(v)) * inner + i] = 1 }
            }
        }
        return TensorLayout.take(values, positions, shape: shape)
    }

    /// Trilu: keeps the upper (j - i >= k) or lower (j - i <= k) triangle of the last two axes.
    static func trilu(_ ctx: KernelContext) throws(EvaluationError) -> NDArray {
        let x = try ctx.input(0)
        guard x.rank >= 2 else { throw ctx.fail("input must have rank 2 or more, got shape \(x.shape)") }
        var k: Int64 = 0
        if ctx.optionalInput(1) != nil { k = try IndexInputs.scalar(ctx, 1, "k") }
        let upper = ctx.int("upper", default: 1) != 0
        let rows = x.shape[x.rank - 2], cols = x.shape[x.rank - 1]
        let batch = TensorLayout.product(x.shape, 0..<(x.rank - 2))
        var positions = Array(0..<x.count)
        for b in 0..<batch {
            for i in 0..<rows {
                for j in 0..<cols {
                    let diff = Int64(j) - Int64(i)
                    if upper ? diff < k : diff > k { positions[(b * rows + i) * cols + j] = TensorLayout.outside }
                }
            }
        }
        return TensorLayout.take(x, positions, shape: x.shape)
    }
}
