import FreezerIR

/// EyeLike, Compress and ReverseSequence, and the registration of the other tensor and neural-network
/// operators of `SupplementaryOperators` (Unique, ScatterElements/Scatter, CenterCropPad, MaxUnpool,
/// LpPool, LpNormalization, MeanVarianceNormalization), each in its own file.
enum MoreTensorOperators {
    static func register(_ r: inout KernelRegistry) {
        r.register("EyeLike", versions: 9...Int64.max) { ctx in [try eyeLike(ctx)] }
        r.register("Compress", versions: 9...Int64.max) { ctx in [try compress(ctx)] }
        r.register("ReverseSequence", versions: 10...Int64.max) { ctx in [try reverseSequence(ctx)] }
        registerUnique(&r)
        registerScatterElements(&r)
        registerCenterCropPad(&r)
        registerMaxUnpool(&r)
        registerLpPool(&r)
        registerNormalizations(&r)
    }

    /// EyeLike (9, 22): a 2-D tensor of the input's shape with ones on diagonal `k` (default 0: the
    /// main one; positive above it) and zeros elsewhere, of type `dtype` (default the input's type).
    static func eyeLike(_ ctx: KernelContext) throws(EvaluationError) -> NDArray {
        let x = try ctx.input(0)
        guard x.rank == 2 else { throw ctx.fail("input must be 2-D, got shape \(x.shape)") }
        var type = x.elementType
        if let d = ctx.int("dtype") {
            guard let raw = Int32(exactly: d) else { throw ctx.fail("attribute 'dtype' = \(d) is not an element type") }
            type = ctx.precision.castTarget(ElementType(rawValue: raw))
        }
        guard NDArray.supportedElementTypes.contains(type), type != .string else { throw ctx.fail("attribute 'dtype' names \(type), which EyeLike cannot produce") }
        let k = ctx.int("k", default: 0)
        let rows = x.shape[0], cols = x.shape[1]
        var out = NDArray.filled(0, shape: x.shape, type: type)
        var positions = [Int]()
        for i in 0..<rows {
            let j = Int64(i) + k
            if j >= 0 && j < Int64(cols) { positions.append(i * cols + Int(j)) }
        }
        switch out.storage {
        case .float(var v): for p in positions { v[p] = 1 }; out.storage = .float(v)
        case .double(var v): for p in positions { v[p] = 1 }; out.storage = .double(v)
        case .int(var v): for p in positions { v[p] = 1 }; out.storage = .int(v)
        case .bool(var v): for p in positions { v[p] = true }; out.storage = .bool(v)
        case .string: break
        }
        return out
    }

    /// Compress (9, 11): the slices of the input along `axis` whose entry of the 1-D boolean
    /// `condition` is true; without `axis`, the elements of the flattened input. A condition shorter
    /// than the axis selects nothing beyond its end. Negative axes from opset 11.
    static func compress(_ ctx: KernelContext) throws(EvaluationError) -> NDArray {
        var x = try ctx.input(0)
        let condition = try ctx.input(1)
        guard condition.rank == 1 else { throw ctx.fail("input 'condition' must be 1-D, got shape \(condition.shape)") }
        let flags: [Bool]
        switch condition.storage {
        case .bool(let v): flags = v
        case .int(let v): flags = v.map { $0 != 0 }
        default: throw ctx.fail("input 'condition' must be boolean, got \(condition.elementType)")
        }
        let axis: Int
        if let a = ctx.int("axis") {
            if ctx.opset < 11 && a < 0 { throw ctx.fail("negative axis \(a) is not allowed before opset 11") }
            axis = try ctx.axis(a, rank: x.rank)
        } else {
            x = x.reshaped([x.count])
            axis = 0
        }
        let (outer, n, inner) = TensorOperators.lines(x.shape, axis: axis)
        guard flags.count <= n else {
            throw ctx.fail("input 'condition' has \(flags.count) entries but the axis has only \(n)")
        }
        let rows = flags.indices.filter { flags[$0] }
        var shape = x.shape
        shape[axis] = rows.count
        return TensorLayout.gatherBlocks(x, outer: outer, size: n, inner: inner, rows: rows, shape: shape)
    }

    /// ReverseSequence (10): for each batch entry b, reverses the first `sequence_lens[b]` elements
    /// along `time_axis` (default 0) and copies the rest; `batch_axis` (default 1) is the other of the
    /// first two axes.
    static func reverseSequence(_ ctx: KernelContext) throws(EvaluationError) -> NDArray {
        let x = try ctx.input(0)
        let lengths = try IndexInputs.ints(ctx, 1, "sequence_lens")
        let timeAxis = ctx.int("time_axis", default: 0), batchAxis = ctx.int("batch_axis", default: 1)
        guard x.rank >= 2, Set([timeAxis, batchAxis]) == Set([0, 1]) else {
            throw ctx.fail("time_axis \(timeAxis) and batch_axis \(batchAxis) must be 0 and 1 of an input of rank ≥ 2 (shape \(x.shape))")
        }
        let t = Int(timeAxis), b = Int(batchAxis)
        guard lengths.count == x.shape[b] else {
            throw ctx.fail("input 'sequence_lens' has \(lengths.count) values but the batch axis has \(x.shape[b])")
        }
        for l in lengths where l < 0 || l > Int64(x.shape[t]) {
            throw ctx.fail("sequence length \(l) is outside [0, \(x.shape[t])]")
        }
        let strides = x.strides
        var positions = Array(0..<x.count)
        for p in positions.indices {
            let time = (p / strides[t]) % x.shape[t], batch = (p / strides[b]) % x.shape[b]
            let len = Int(lengths[batch])
            if time < len { positions[p] = p + (len - 1 - 2 * time) * strides[t] }
        }
        return TensorLayout.take(x, positions, shape: x.shape)
    }
}
