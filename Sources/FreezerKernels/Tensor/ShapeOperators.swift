import FreezerIR

/// Reshape, Flatten, Squeeze, Unsqueeze, Transpose, Expand, Tile, DepthToSpace and SpaceToDepth:
/// operators that rearrange elements without changing their values.
extension TensorOperators {
    static func registerShapeOperators(_ r: inout KernelRegistry) {
        // Reshape-1 takes the target shape as an attribute; from 5 it is an input; 14 adds allowzero.
        r.register("Reshape", versions: 1...4) { ctx in
            guard let dims = ctx.ints("shape") else { throw ctx.fail("attribute 'shape' is missing") }
            return [try reshape(ctx, try ctx.input(0), dims, allowZero: false)]
        }
        r.register("Reshape", versions: 5...Int64.max) { ctx in
            let allowZero = ctx.opset >= 14 && ctx.int("allowzero", default: 0) != 0
            return [try reshape(ctx, try ctx.input(0), try IndexInputs.list(ctx, 1, "shape"), allowZero: allowZero)]
        }
        r.register("Flatten") { ctx in
            let x = try ctx.input(0)
            let a = ctx.int("axis", default: 1)
            let rank = Int64(x.rank)
            let low = ctx.opset >= 11 ? -rank : 0
            guard a >= low && a <= rank else { throw ctx.fail("attribute 'axis' \(a) is out of range [\(low), \(rank)] for input shape \(x.shape)") }
            let axis = Int(a < 0 ? a + rank : a)
            let outer = TensorLayout.product(x.shape, 0..<axis)
            return [x.reshaped([outer, TensorLayout.product(x.shape, axis..<x.rank)])]
        }
        // Squeeze/Unsqueeze: axes attribute until 12 (negative values from 11), an input from 13.
        r.register("Squeeze", versions: 1...12) { ctx in [try squeeze(ctx, ctx.ints("axes"))] }
        r.register("Squeeze", versions: 13...Int64.max) { ctx in [try squeeze(ctx, try IndexInputs.optionalInts(ctx, 1, "axes"))] }
        r.register("Unsqueeze", versions: 1...12) { ctx in
            guard let axes = ctx.ints("axes") else { throw ctx.fail("attribute 'axes' is missing") }
            return [try unsqueeze(ctx, axes)]
        }
        r.register("Unsqueeze", versions: 13...Int64.max) { ctx in [try unsqueeze(ctx, try IndexInputs.list(ctx, 1, "axes"))] }

        r.register("Transpose") { ctx in
            let x = try ctx.input(0)
            let perm = try permutation(ctx, ctx.ints("perm"), rank: x.rank)
            return [TensorLayout.permute(x, viewedAs: x.shape, perm)]
        }
        r.register("Expand", versions: 8...Int64.max) { ctx in
            let x = try ctx.input(0)
            let dims = try IndexInputs.list(ctx, 1, "shape")
            var target: [Int] = []
            for d in dims { target.append(try IndexInputs.dimension(d, ctx, "shape value")) }
            guard let shape = TensorLayout.broadcast(x.shape, target) else {
                throw ctx.fail("input shape \(x.shape) cannot be broadcast to 'shape' \(target)")
            }
            _ = try IndexInputs.count(shape, ctx, "output")
            return [TensorLayout.expand(x, to: shape)]
        }
        // Tile-1 repeats along one axis given by inputs; from 6 'repeats' gives a count per axis.
        r.register("Tile", versions: 1...5) { ctx in
            let x = try ctx.input(0)
            let tiles = try IndexInputs.scalar(ctx, 1, "tiles")
            guard x.rank >= 1 else { throw ctx.fail("input must have rank 1 or more, got a scalar") }
            let axis = try ctx.axis(try IndexInputs.scalar(ctx, 2, "axis"), rank: x.rank)
            var repeats = [Int64](repeating: 1, count: x.rank)
            repeats[axis] = tiles
            return [try tile(ctx, x, repeats)]
        }
        r.register("Tile", versions: 6...Int64.max) { ctx in
            [try tile(ctx, try ctx.input(0), try IndexInputs.list(ctx, 1, "repeats"))]
        }
        r.register("DepthToSpace") { ctx in [try depthToSpace(ctx)] }
        r.register("SpaceToDepth") { ctx in [try spaceToDepth(ctx)] }
    }

    /// Reshape: 0 copies the input dimension (unless allowzero), -1 is inferred from the element count.
    static func reshape(_ ctx: KernelContext, _ x: NDArray, _ dims: [Int64], allowZero: Bool) throws(EvaluationError) -> NDArray {
        var shape: [Int] = []
        var inferred: Int?
        for (i, d) in dims.enumerated() {
            switch d {
            case -1:
                guard inferred == nil else { throw ctx.fail("'shape' \(dims) has more than one -1") }
                inferred = i
                shape.append(1)
            case 0 where !allowZero:
                guard i < x.rank else { throw ctx.fail("'shape' \(dims) copies dimension \(i) (0) but the input \(x.shape) has rank \(x.rank)") }
                shape.append(x.shape[i])
            default:
                shape.append(try IndexInputs.dimension(d, ctx, "'shape' value"))
            }
        }
        if allowZero, inferred != nil, dims.contains(0) {
            throw ctx.fail("'shape' \(dims) has both 0 and -1, which allowzero=1 does not permit")
        }
        if let k = inferred {
            guard let known = TensorLayout.elementCount(shape), known > 0, x.count % known == 0 else {
                throw ctx.fail("cannot infer the -1 of 'shape' \(dims) for input shape \(x.shape)")
            }
            shape[k] = x.count / known
        }
        guard TensorLayout.elementCount(shape) == x.count else {
            throw ctx.fail("cannot reshape input \(x.shape) (\(x.count) elements) to \(shape) from 'shape' \(dims)")
        }
        return x.reshaped(shape)
    }

    static func squeeze(_ ctx: KernelContext, _ axes: [Int64]?) throws(EvaluationError) -> NDArray {
        let x = try ctx.input(0)
        guard let axes else { return x.reshaped(x.shape.filter { $0 != 1 }) }
        try checkNegativeAxes(ctx, axes)
        let list = try IndexInputs.axes(axes, rank: x.rank, ctx)
        for a in list where x.shape[a] != 1 {
            throw ctx.fail("cannot squeeze axis \(a) of input shape \(x.shape): its size is not 1")
        }
        return x.reshaped(x.shape.enumerated().filter { !list.contains($0.offset) }.map(\.element))
    }

    static func unsqueeze(_ ctx: KernelContext, _ axes: [Int64]) throws(EvaluationError) -> NDArray {
        let x = try ctx.input(0)
        try checkNegativeAxes(ctx, axes)
        let rank = x.rank + axes.count
        let list = try IndexInputs.axes(axes, rank: rank, ctx)
        var shape: [Int] = []
        var next = 0
        for d in 0..<rank {
            if list.contains(d) { shape.append(1) } else { shape.append(x.shape[next]); next += 1 }
        }
        return x.reshaped(shape)
    }

    /// Negative axes are valid from opset 11 on.
    static func checkNegativeAxes(_ ctx: KernelContext, _ axes: [Int64]) throws(EvaluationError) {
        if ctx.opset < 11, let a = axes.first(where: { $0 < 0 }) {
            throw ctx.fail("negative axis \(a) is not allowed before opset 11 (node is opset \(ctx.opset))")
        }
    }

    /// The `perm` attribute checked to be a permutation of 0..<rank; default: reversed axes.
    static func permutation(_ ctx: KernelContext, _ perm: [Int64]?, rank: Int) throws(EvaluationError) -> [Int] {
        guard let perm else { return Array((0..<rank).reversed()) }
        guard perm.count == rank, Set(perm) == Set((0..<Int64(rank))) else {
            throw ctx.fail("attribute 'perm' \(perm) is not a permutation of the \(rank) input axes")
        }
        return perm.map { Int($0) }
    }

    static func tile(_ ctx: KernelContext, _ x: NDArray, _ repeats: [Int64]) throws(EvaluationError) -> NDArray {
        guard repeats.count == x.rank else {
            throw ctx.fail("'repeats' has \(repeats.count) values but the input shape \(x.shape) has rank \(x.rank)")
        }
        var shape: [Int] = []
        for (d, k) in zip(x.shape, repeats) {
            guard k >= 0 else { throw ctx.fail("'repeats' value \(k) is negative") }
            let (n, overflow) = d.multipliedReportingOverflow(by: Int(clamping: k))
            guard !overflow else { throw ctx.fail("tiling \(x.shape) by \(repeats) overflows") }
            shape.append(n)
        }
        _ = try IndexInputs.count(shape, ctx, "output")
        // Output axis d of size k·n is the pair of axes (k repeats: stride 0, n: the input's stride).
        let strides = x.strides
        var view = StridedView(shape: [], strides: [])
        for d in 0..<x.rank {
            view.shape += [Int(repeats[d]), x.shape[d]]
            view.strides += [0, strides[d]]
        }
        return TensorLayout.copy(x, view, shape: shape)
    }

    /// Checks a 4-D input and a positive blocksize.
    private static func blockInput(_ ctx: KernelContext) throws(EvaluationError) -> (NDArray, Int) {
        let x = try ctx.input(0)
        guard x.rank == 4 else { throw ctx.fail("input must be 4-D (N, C, H, W), got shape \(x.shape)") }
        guard let b = ctx.int("blocksize"), b > 0, b <= Int64(Int32.max) else {
            throw ctx.fail("attribute 'blocksize' must be a positive integer, got \(ctx.int("blocksize").map(String.init) ?? "none")")
        }
        return (x, Int(b))
    }

    /// DepthToSpace in DCR (default) or CRD mode, as the ONNX reshape/transpose definition.
    static func depthToSpace(_ ctx: KernelContext) throws(EvaluationError) -> NDArray {
        let (x, b) = try blockInput(ctx)
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        guard c % (b * b) == 0 else { throw ctx.fail("input channels \(c) of shape \(x.shape) are not divisible by blocksize² \(b * b)") }
        let mode = ctx.opset >= 11 ? ctx.string("mode", default: "DCR") : "DCR"
        let out: NDArray
        switch mode {
        case "DCR": out = TensorLayout.permute(x, viewedAs: [n, b, b, c / (b * b), h, w], [0, 3, 4, 1, 5, 2])
        case "CRD": out = TensorLayout.permute(x, viewedAs: [n, c / (b * b), b, b, h, w], [0, 1, 4, 2, 5, 3])
        default: throw ctx.fail("attribute 'mode' must be DCR or CRD, got '\(mode)'")
        }
        return out.reshaped([n, c / (b * b), h * b, w * b])
    }

    static func spaceToDepth(_ ctx: KernelContext) throws(EvaluationError) -> NDArray {
        let (x, b) = try blockInput(ctx)
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        guard h % b == 0, w % b == 0 else { throw ctx.fail("input height and width of shape \(x.shape) are not divisible by blocksize \(b)") }
        // Opset 28 adds CRD mode, the inverse of DepthToSpace CRD; before that only DCR exists.
        let mode = ctx.opset >= 28 ? ctx.string("mode", default: "DCR") : "DCR"
        let out: NDArray
        switch mode {
        case "DCR": out = TensorLayout.permute(x, viewedAs: [n, c, h / b, b, w / b, b], [0, 3, 5, 1, 2, 4])
        case "CRD": out = TensorLayout.permute(x, viewedAs: [n, c, h / b, b, w / b, b], [0, 1, 3, 5, 2, 4])
        default: throw ctx.fail("attribute 'mode' must be DCR or CRD, got '\(mode)'")
        }
        return out.reshaped([n, c * b * b, h / b, w / b])
    }
}
