import FreezerIR

extension SequenceOperators {
    /// SplitToSequence (opset 11+): `input` cut along `axis` (default 0) into a sequence of tensors.
    ///
    /// - `split` absent: one tensor per index of the axis, of size 1 there, and with the axis removed when
    ///   `keepdims` is 0 (default 1).
    /// - `split` a scalar `s > 0`: chunks of size `s`, the last one smaller when `s` does not divide the
    ///   axis.
    /// - `split` a 1-D tensor: chunks of those sizes (each positive, adding up to the axis size).
    ///
    /// `keepdims` applies only without `split`.
    static func splitToSequence(_ ctx: KernelContext) throws -> [RuntimeValue?] {
        let x = try ctx.input(0)
        guard x.rank >= 1 else { throw ctx.fail("input must have rank 1 or more, got a scalar") }
        let axis = try ctx.axis(ctx.int("axis", default: 0), rank: x.rank)
        let dim = x.shape[axis]
        var sizes: [Int]
        var squeeze = false
        if let split = ctx.optionalInput(1) {
            guard split.elementType == .int32 || split.elementType == .int64, case .int(let v) = split.storage else {
                throw ctx.fail("input 'split' must be int32 or int64, but is \(split)")
            }
            switch split.rank {
            case 0:
                guard v[0] > 0 else { throw ctx.fail("a scalar 'split' must be positive, got \(v[0])") }
                let chunk = Int(min(v[0], Int64(max(dim, 1))))
                sizes = [Int](repeating: chunk, count: dim / chunk)
                if dim % chunk != 0 { sizes.append(dim % chunk) }
            case 1:
                sizes = []
                for s in v {
                    guard s > 0 else { throw ctx.fail("'split' sizes must be positive, got \(v)") }
                    sizes.append(Int(s))
                }
                guard sizes.reduce(0, +) == dim else {
                    throw ctx.fail("'split' sizes \(v) do not add up to \(dim), the size of axis \(axis) of input shape \(x.shape)")
                }
            default:
                throw ctx.fail("input 'split' must be a scalar or a 1-D tensor, but has shape \(split.shape)")
            }
        } else {
            sizes = [Int](repeating: 1, count: dim)
            squeeze = ctx.int("keepdims", default: 1) == 0
        }
        let strides = x.strides
        var elements: [NDArray] = []
        elements.reserveCapacity(sizes.count)
        var start = 0
        for size in sizes {
            var shape = x.shape
            shape[axis] = size
            var part = TensorLayout.copy(x, StridedView(shape: shape, strides: strides, start: start * strides[axis]), shape: shape)
            if squeeze {
                shape.remove(at: axis)
                part = part.reshaped(shape)
            }
            elements.append(part)
            start += size
        }
        return [.sequence(TensorSequence(elementType: x.elementType, elements: elements))]
    }
}
