import FreezerIR

extension SequenceOperators {
    /// ConcatFromSequence (opset 11+): the tensors of a sequence joined along `axis` (required).
    ///
    /// With `new_axis` 0 (default) this is Concat: the tensors have one rank r >= 1, agree outside
    /// `axis`, and `axis` is in [-r, r-1]. With `new_axis` 1 it is numpy.stack: the tensors have one
    /// shape, a new axis of size n is inserted at `axis`, in [-r-1, r] (negative counts from the back of
    /// the result, so -1 appends it).
    static func concatFromSequence(_ ctx: KernelContext) throws -> [RuntimeValue?] {
        let sequence = try ctx.sequence(0)
        guard let a = ctx.int("axis") else { throw ctx.fail("attribute 'axis' is required") }
        let newAxis = ctx.int("new_axis", default: 0)
        guard newAxis == 0 || newAxis == 1 else { throw ctx.fail("attribute 'new_axis' must be 0 or 1, got \(newAxis)") }
        guard let first = sequence.elements.first else {
            throw ctx.fail("the sequence is empty; ConcatFromSequence needs at least one tensor")
        }
        for (k, x) in sequence.elements.enumerated() where x.elementType != first.elementType {
            throw ctx.fail("tensor \(k) is \(x.elementType) but tensor 0 is \(first.elementType)")
        }
        if newAxis == 1 {
            let axis = try ctx.axis(a, rank: first.rank + 1)
            do {
                return [.tensor(try NDArray.stacked(sequence.elements, axis: axis))]
            } catch {
                throw ctx.fail("the tensors cannot be stacked: \(error.description)")
            }
        }
        guard first.rank > 0 else { throw ctx.fail("tensors must have rank 1 or more to be concatenated (new_axis 0), tensor 0 is a scalar") }
        let axis = try ctx.axis(a, rank: first.rank)
        var shape = first.shape
        shape[axis] = 0
        for (k, x) in sequence.elements.enumerated() {
            guard x.rank == first.rank, (0..<x.rank).allSatisfy({ $0 == axis || x.shape[$0] == first.shape[$0] }) else {
                throw ctx.fail("tensor \(k) shape \(x.shape) does not match tensor 0 shape \(first.shape) outside axis \(axis)")
            }
            shape[axis] += x.shape[axis]
        }
        let outer = TensorLayout.product(first.shape, 0..<axis)
        let inner = TensorLayout.product(first.shape, (axis + 1)..<first.rank)
        return [.tensor(TensorLayout.concatenate(sequence.elements, outer: outer,
                                                 blocks: sequence.elements.map { $0.shape[axis] * inner }, shape: shape))]
    }
}
