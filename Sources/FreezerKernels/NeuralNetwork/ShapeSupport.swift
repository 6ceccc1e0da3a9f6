import FreezerIR

extension NeuralNetworkOperators {
    /// The computation type of a floating-point input, for dispatching generic kernels.
    enum FloatKind { case float, double }

    /// The computation type of input `name`, or an error naming it when it is not floating point.
    /// X, W and the optional bias B of Conv and ConvTranspose, checked to share one floating-point
    /// type, with X of rank ≥ 3 and W of X's rank.
    static func convolutionInputs(_ ctx: KernelContext) throws(EvaluationError) -> (x: NDArray, w: NDArray, b: NDArray?, kind: FloatKind) {
        let x = try ctx.input(0), w = try ctx.input(1)
        let b = ctx.optionalInput(2)
        let kind = try floatKind(x, ctx, input: "X")
        guard w.elementType == x.elementType, b.map({ $0.elementType == x.elementType }) ?? true else {
            throw ctx.fail("X (\(x.elementType)), W (\(w.elementType)) and B (\(b?.elementType.description ?? "absent")) must have one element type")
        }
        guard x.rank >= 3, w.rank == x.rank else {
            throw ctx.fail("X must be N×C×D1… (rank ≥ 3) and W of the same rank, but X is \(text(x.shape)) and W is \(text(w.shape))")
        }
        return (x, w, b, kind)
    }

    static func floatKind(_ array: NDArray, _ ctx: KernelContext, input name: String) throws(EvaluationError) -> FloatKind {
        switch array.storage {
        case .float: return .float
        case .double: return .double
        default: throw ctx.fail("input \(name) has element type \(array.elementType); \(ctx.node.opType) needs float16, bfloat16, float32 or float64")
        }
    }

    /// `[a, b, c]` as `[a,b,c]` for messages.
    static func text(_ shape: [Int]) -> String { "[\(shape.map(String.init).joined(separator: ","))]" }

    /// An ints attribute of exactly `count` non-negative (or positive) values, or `fallback` when absent.
    static func intsAttribute(_ ctx: KernelContext, _ name: String, count: Int, default fallback: [Int],
                              minimum: Int) throws(EvaluationError) -> [Int] {
        guard let raw = ctx.ints(name) else { return fallback }
        guard raw.count == count else {
            throw ctx.fail("attribute '\(name)' has \(raw.count) values \(raw) but \(count) are needed")
        }
        var out: [Int] = []
        out.reserveCapacity(count)
        for v in raw {
            guard v >= Int64(minimum), v <= Int64(Int32.max) else {
                throw ctx.fail("attribute '\(name)' = \(raw) has a value below \(minimum) or too large")
            }
            out.append(Int(v))
        }
        return out
    }

    /// Element count of `shape` (validated: no negative dimensions, no overflow).
    static func elementCount(_ shape: [Int], _ ctx: KernelContext, what: String) throws(EvaluationError) -> Int {
        var n = 1
        for d in shape {
            guard d >= 0 else { throw ctx.fail("\(what) has a negative dimension in \(text(shape))") }
            let (p, o) = n.multipliedReportingOverflow(by: d)
            guard !o, p <= Int(Int32.max) * 16 else { throw ctx.fail("\(what) of shape \(text(shape)) is too large") }
            n = p
        }
        return n
    }

    /// The numpy (multidirectional) broadcast of two shapes, or nil when they do not broadcast.
    static func broadcastShapes(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = max(a.count, b.count)
        var out = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let x = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let y = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            guard x == y || x == 1 || y == 1 else { return nil }
            out[i] = x == 1 ? y : x
        }
        return out
    }

    /// Strides to read a tensor of `shape` as if broadcast to `target` (0 along broadcast dimensions).
    /// `shape` must be broadcastable to `target` (right-aligned, each dimension 1 or equal).
    static func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int]? {
        guard shape.count <= target.count else { return nil }
        let own = NDArray.strides(of: shape)
        let lead = target.count - shape.count
        var out = [Int](repeating: 0, count: target.count)
        for i in 0..<shape.count {
            if shape[i] == target[lead + i] { out[lead + i] = shape[i] == 1 ? 0 : own[i] }
            else if shape[i] != 1 { return nil }
        }
        return out
    }

    /// `values` of `shape` materialized at `target` by unidirectional broadcasting, or nil when
    /// `shape` does not broadcast to `target`.
    static func broadcast<T>(_ values: [T], from shape: [Int], to target: [Int]) -> [T]? {
        if shape == target { return values }
        guard broadcastStrides(shape, to: target) != nil else { return nil }
        // Rows of the innermost collapsed dimension are either copied or filled with one value.
        let plan = BroadcastPlan(output: target, operands: [shape])
        let n = plan.count
        guard n > 0 else { return [] }
        let contiguous = plan.innerStride(0) == 1
        return [T](unsafeUninitializedCapacity: n) { out, initialized in
            values.withUnsafeBufferPointer { v in
                let src = v.baseAddress!, dst = out.baseAddress!
                plan.forEachRow { o, len, i, _, _ in
                    if contiguous { (dst + o).initialize(from: src + i, count: len) }
                    else { (dst + o).initialize(repeating: src[i], count: len) }
                }
            }
            initialized = n
        }
    }

    /// An Int64 result reduced to the value range of integer `type` with two's-complement wrapping,
    /// as integer MatMul/Gemm overflow does in ONNX runtimes.
    static func wrapInteger(_ v: Int64, to type: ElementType) -> Int64 {
        switch type {
        case .int8: Int64(Int8(truncatingIfNeeded: v))
        case .uint8: Int64(UInt8(truncatingIfNeeded: v))
        case .int16: Int64(Int16(truncatingIfNeeded: v))
        case .uint16: Int64(UInt16(truncatingIfNeeded: v))
        case .int32: Int64(Int32(truncatingIfNeeded: v))
        case .uint32: Int64(UInt32(truncatingIfNeeded: v))
        default: v
        }
    }
}
