import FreezerIR

/// Concat, Split and Slice: joining and cutting tensors along axes.
extension TensorOperators {
    static func registerConcatSplitSlice(_ r: inout KernelRegistry) {
        r.register("Concat") { ctx in [try concat(ctx)] }

        // Split: opset 1 takes 'split' as an optional second input or an attribute, 2-12 as an attribute,
        // 13+ as an input; 18 adds num_outputs (uneven: the last chunk is smaller).
        r.register("Split", versions: 1...1) { ctx in
            let sizes = try IndexInputs.optionalInts(ctx, 1, "split") ?? ctx.ints("split")
            return try split(ctx, sizes: sizes, numOutputs: nil)
        }
        r.register("Split", versions: 2...12) { ctx in try split(ctx, sizes: ctx.ints("split"), numOutputs: nil) }
        r.register("Split", versions: 13...17) { ctx in
            try split(ctx, sizes: try IndexInputs.optionalInts(ctx, 1, "split"), numOutputs: nil)
        }
        r.register("Split", versions: 18...Int64.max) { ctx in
            try split(ctx, sizes: try IndexInputs.optionalInts(ctx, 1, "split"), numOutputs: ctx.int("num_outputs"))
        }

        // Slice: attributes starts/ends/axes until 9; inputs with optional axes and steps from 10.
        r.register("Slice", versions: 1...9) { ctx in
            guard let starts = ctx.ints("starts"), let ends = ctx.ints("ends") else {
                throw ctx.fail("attributes 'starts' and 'ends' are required")
            }
            return [try slice(ctx, starts: starts, ends: ends, axes: ctx.ints("axes"), steps: nil)]
        }
        r.register("Slice", versions: 10...Int64.max) { ctx in
            [try slice(ctx, starts: try IndexInputs.list(ctx, 1, "starts"), ends: try IndexInputs.list(ctx, 2, "ends"),
                       axes: try IndexInputs.optionalInts(ctx, 3, "axes"), steps: try IndexInputs.optionalInts(ctx, 4, "steps"))]
        }
    }

    static func concat(_ ctx: KernelContext) throws(EvaluationError) -> NDArray {
        var arrays: [NDArray] = []
        for i in 0..<ctx.inputCount { arrays.append(try ctx.input(i)) }
        guard let first = arrays.first else { throw ctx.fail("Concat needs at least one input") }
        // Opset 1 made 'axis' optional with default 1.
        guard let a = ctx.int("axis") ?? (ctx.opset < 4 ? 1 : nil) else { throw ctx.fail("attribute 'axis' is required") }
        guard first.rank > 0 else { throw ctx.fail("Concat inputs must have rank 1 or more, input 0 is a scalar") }
        // Negative axes predate opset 11 in exported models (pytorch-converted test data); onnxruntime accepts them.
        let axis = try ctx.axis(a, rank: first.rank)
        var shape = first.shape
        shape[axis] = 0
        for (k, x) in arrays.enumerated() {
            guard x.elementType == first.elementType else {
                throw ctx.fail("input \(k) is \(x.elementType) but input 0 is \(first.elementType)")
            }
            guard x.rank == first.rank, (0..<x.rank).allSatisfy({ $0 == axis || x.shape[$0] == first.shape[$0] }) else {
                throw ctx.fail("input \(k) shape \(x.shape) does not match input 0 shape \(first.shape) outside axis \(axis)")
            }
            shape[axis] += x.shape[axis]
        }
        let outer = TensorLayout.product(first.shape, 0..<axis)
        let inner = TensorLayout.product(first.shape, (axis + 1)..<first.rank)
        return TensorLayout.concatenate(arrays, outer: outer, blocks: arrays.map { $0.shape[axis] * inner }, shape: shape)
    }

    static func split(_ ctx: KernelContext, sizes given: [Int64]?, numOutputs: Int64?) throws(EvaluationError) -> [NDArray?] {
        let x = try ctx.input(0)
        let a = ctx.int("axis", default: 0)
        // Negative axes predate opset 11 in exported models (pytorch-converted test data); onnxruntime accepts them.
        guard x.rank >= 1 else { throw ctx.fail("input must have rank 1 or more, got a scalar") }
        let axis = try ctx.axis(a, rank: x.rank)
        let dim = x.shape[axis]
        let outputs = ctx.outputCount
        var sizes: [Int] = []
        if let given {
            guard numOutputs == nil else { throw ctx.fail("give either input 'split' or attribute 'num_outputs', not both") }
            guard given.count == outputs else {
                throw ctx.fail("'split' has \(given.count) sizes but the node has \(outputs) outputs")
            }
            for s in given { sizes.append(try IndexInputs.dimension(s, ctx, "'split' size")) }
            guard sizes.reduce(0, +) == dim else {
                throw ctx.fail("'split' sizes \(given) do not add up to \(dim), the size of axis \(axis) of input shape \(x.shape)")
            }
        } else {
            let parts = Int(numOutputs ?? Int64(outputs))
            guard parts > 0, parts == outputs else {
                throw ctx.fail("attribute 'num_outputs' \(parts) must be positive and equal the node's \(outputs) outputs")
            }
            if dim % parts == 0 {
                sizes = [Int](repeating: dim / parts, count: parts)
            } else {
                guard ctx.opset >= 18 else {
                    throw ctx.fail("axis \(axis) of input shape \(x.shape) cannot be split evenly into \(parts) outputs")
                }
                // Opset 18: chunks of ceil(dim / parts), the last one smaller.
                let chunk = dim / parts + 1
                let last = dim - chunk * (parts - 1)
                guard last >= 0 else {
                    throw ctx.fail("axis \(axis) of size \(dim) cannot be split into \(parts) chunks of \(chunk) with a smaller last chunk")
                }
                sizes = [Int](repeating: chunk, count: parts - 1) + [last]
            }
        }
        let strides = x.strides
        var results: [NDArray?] = []
        var start = 0
        for size in sizes {
            var shape = x.shape
            shape[axis] = size
            results.append(TensorLayout.copy(x, StridedView(shape: shape, strides: strides, start: start * strides[axis]), shape: shape))
            start += size
        }
        return results
    }

    /// Slice with numpy clamping: starts/ends past either end are clamped; negative steps walk backwards.
    static func slice(_ ctx: KernelContext, starts: [Int64], ends: [Int64], axes: [Int64]?, steps: [Int64]?) throws(EvaluationError) -> NDArray {
        let x = try ctx.input(0)
        guard starts.count == ends.count else { throw ctx.fail("'starts' has \(starts.count) values but 'ends' has \(ends.count)") }
        let axisList = try IndexInputs.axes(axes ?? (0..<Int64(starts.count)).map { $0 }, rank: x.rank, ctx)
        guard axisList.count == starts.count else { throw ctx.fail("'axes' has \(axisList.count) values but 'starts' has \(starts.count)") }
        let stepList = steps ?? [Int64](repeating: 1, count: starts.count)
        guard stepList.count == starts.count else { throw ctx.fail("'steps' has \(stepList.count) values but 'starts' has \(starts.count)") }

        var shape = x.shape
        var begin = [Int](repeating: 0, count: x.rank)
        var step = [Int](repeating: 1, count: x.rank)
        for (k, axis) in axisList.enumerated() {
            let dim = Int64(x.shape[axis])
            let s = max(stepList[k], -Int64.max)
            guard s != 0 else { throw ctx.fail("'steps' value for axis \(axis) is 0") }
            var b = starts[k], e = ends[k]
            if b < 0 { b += dim }
            if e < 0 { e += dim }
            let count: Int64
            if s > 0 {
                b = min(max(b, 0), dim)
                e = min(max(e, 0), dim)
                count = e > b ? (e - b - 1) / s + 1 : 0
            } else {
                b = min(max(b, 0), dim - 1)
                e = min(max(e, -1), dim - 1)
                count = b > e ? (b - e - 1) / (-s) + 1 : 0
            }
            shape[axis] = Int(count)
            begin[axis] = Int(max(b, 0))
            step[axis] = Int(clamping: s)
        }
        let strides = x.strides
        // An axis of one element never steps, and its step may be huge: stride 0 avoids the overflow.
        var start = 0
        for d in 0..<x.rank { start += begin[d] * strides[d] }
        let view = StridedView(shape: shape, strides: (0..<x.rank).map { shape[$0] > 1 ? step[$0] * strides[$0] : 0 }, start: start)
        return TensorLayout.copy(x, view, shape: shape)
    }
}
