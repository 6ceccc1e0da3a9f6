import FreezerIR

/// Reading and validating the integer inputs of tensor operators: shapes, axes, indices, counts.
///
/// Every index that comes from user data goes through here, so that a bad value becomes an error
/// naming the input, never an out-of-range read.
enum IndexInputs {
    /// The values of integer input `i` (any ONNX integer type), required.
    static func ints(_ ctx: KernelContext, _ i: Int, _ name: String) throws(EvaluationError) -> [Int64] {
        try values(ctx.input(i), ctx, name)
    }

    /// The values of integer input `i`, or nil when the optional input is absent.
    static func optionalInts(_ ctx: KernelContext, _ i: Int, _ name: String) throws(EvaluationError) -> [Int64]? {
        guard let a = ctx.optionalInput(i) else { return nil }
        return try values(a, ctx, name)
    }

    /// The values of an integer array named `name`.
    static func values(_ a: NDArray, _ ctx: KernelContext, _ name: String) throws(EvaluationError) -> [Int64] {
        guard case .int(let v) = a.storage else {
            throw ctx.fail("input '\(name)' must be an integer tensor, got \(a.elementType)\(a.shape)")
        }
        return v
    }

    /// A 1-D list input such as a shape, checking the rank (a scalar is accepted as one value).
    static func list(_ ctx: KernelContext, _ i: Int, _ name: String) throws(EvaluationError) -> [Int64] {
        let a = try ctx.input(i)
        guard a.rank <= 1 else { throw ctx.fail("input '\(name)' must be 1-D, got shape \(a.shape)") }
        return try values(a, ctx, name)
    }

    /// A scalar integer input (rank 0 or a single element).
    static func scalar(_ ctx: KernelContext, _ i: Int, _ name: String) throws(EvaluationError) -> Int64 {
        let a = try ctx.input(i)
        let v = try values(a, ctx, name)
        guard v.count == 1 else { throw ctx.fail("input '\(name)' must hold one value, got shape \(a.shape)") }
        return v[0]
    }

    /// Normalizes axes against `rank` (negative counts from the end), refusing duplicates unless
    /// `allowDuplicates` (reductions, where onnxruntime accepts them), which drops them instead.
    static func axes(_ axes: [Int64], rank: Int, _ ctx: KernelContext, _ name: String = "axes",
                     allowDuplicates: Bool = false) throws(EvaluationError) -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(axes.count)
        for a in axes {
            guard a >= -Int64(rank) && a < Int64(rank) else {
                throw ctx.fail("'\(name)' value \(a) is out of range for rank \(rank)")
            }
            let n = Int(a < 0 ? a + Int64(rank) : a)
            if out.contains(n) {
                if allowDuplicates { continue }
                throw ctx.fail("'\(name)' names axis \(n) twice: \(axes)")
            }
            out.append(n)
        }
        return out
    }

    /// Checks and wraps an index into `0..<size`: negative indices count from the end.
    @inline(__always)
    static func wrap(_ index: Int64, size: Int, _ ctx: KernelContext, _ name: String) throws(EvaluationError) -> Int {
        let s = Int64(size)
        guard index >= -s && index < s else {
            throw ctx.fail("'\(name)' value \(index) is out of range for a dimension of size \(size) (valid: \(-s)...\(s - 1))")
        }
        return Int(index < 0 ? index + s : index)
    }

    /// Converts a dimension value to Int, refusing negative ones.
    static func dimension(_ v: Int64, _ ctx: KernelContext, _ what: String) throws(EvaluationError) -> Int {
        guard v >= 0, v <= Int64(Int32.max) * 1024 else { throw ctx.fail("\(what) \(v) is not a valid dimension") }
        return Int(v)
    }

    /// The largest tensor a kernel will allocate (elements). Larger requests are refused with an error
    /// instead of failing the allocation, which would end the process.
    static let maxElements = 1 << 33

    /// The element count of `shape`, refusing results too large to allocate.
    static func count(_ shape: [Int], _ ctx: KernelContext, _ what: String) throws(EvaluationError) -> Int {
        guard let n = TensorLayout.elementCount(shape), n <= maxElements else {
            throw ctx.fail("\(what) shape \(shape) is invalid or too large")
        }
        return n
    }
}

/// Integer values held as Int64, brought back into the range of their ONNX type.
enum IntegerWrap {
    /// `v` wrapped to the width of `type` (two's complement), as ONNX integer arithmetic behaves.
    @inline(__always)
    static func wrap(_ v: Int64, _ type: ElementType) -> Int64 {
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

    /// All values of `values` wrapped to `type`.
    static func wrapAll(_ values: [Int64], _ type: ElementType) -> [Int64] {
        if type == .int64 || type == .uint64 { return values }
        return values.map { wrap($0, type) }
    }
}
