import FreezerIR

extension SequenceOperators {
    /// SequenceEmpty (opset 11+): an empty sequence of element type `dtype` (default float).
    static func sequenceEmpty(_ ctx: KernelContext) throws -> [RuntimeValue?] {
        let code = ctx.int("dtype", default: Int64(ElementType.float.rawValue))
        let type = ElementType(rawValue: Int32(clamping: code))
        guard type.isKnown else {
            throw ctx.fail("attribute 'dtype' \(code) is not an ONNX element type")
        }
        return [.sequence(TensorSequence(elementType: type))]
    }

    /// SequenceConstruct (opset 11+): the sequence of its inputs, in order; all of one element type.
    static func sequenceConstruct(_ ctx: KernelContext) throws -> [RuntimeValue?] {
        var elements: [NDArray] = []
        for i in 0..<ctx.inputCount { elements.append(try ctx.input(i)) }
        guard let first = elements.first else { throw ctx.fail("SequenceConstruct needs at least one input") }
        for (k, a) in elements.enumerated() where a.elementType != first.elementType {
            throw ctx.fail("input \(k) is \(a.elementType) but input 0 is \(first.elementType); a sequence holds one element type")
        }
        return [.sequence(TensorSequence(elementType: first.elementType, elements: elements))]
    }

    /// SequenceAt (opset 11+): the tensor at `position` (in [-n, n-1]; negative counts from the back).
    static func sequenceAt(_ ctx: KernelContext) throws -> [RuntimeValue?] {
        let sequence = try ctx.sequence(0)
        guard let position = try position(ctx, 1) else { throw ctx.fail("required input 1 'position' is missing") }
        return [.tensor(sequence.elements[try index(position, count: sequence.count, ctx)])]
    }

    /// SequenceInsert (opset 11+): `tensor` inserted before `position` (in [-n, n]; negative counts from
    /// the back, n appends), at the back when `position` is absent.
    static func sequenceInsert(_ ctx: KernelContext) throws -> [RuntimeValue?] {
        var sequence = try ctx.takeSequence(0)
        let tensor = try ctx.input(1)
        try checkElement(tensor, of: sequence, "input 'tensor'", ctx)
        let at = try position(ctx, 2).map { (p) throws(EvaluationError) in try index(p, count: sequence.count, extra: 1, ctx) }
        sequence.elements.insert(tensor, at: at ?? sequence.count)
        return [.sequence(sequence)]
    }

    /// SequenceErase (opset 11+): the sequence without the tensor at `position` (in [-n, n-1]), without
    /// the last one when `position` is absent.
    static func sequenceErase(_ ctx: KernelContext) throws -> [RuntimeValue?] {
        var sequence = try ctx.takeSequence(0)
        let at: Int
        if let p = try position(ctx, 1) {
            at = try index(p, count: sequence.count, ctx)
        } else {
            guard !sequence.elements.isEmpty else { throw ctx.fail("cannot erase from an empty sequence") }
            at = sequence.count - 1
        }
        sequence.elements.remove(at: at)
        return [.sequence(sequence)]
    }

    /// SequenceLength (opset 11+): the number of tensors, as an int64 scalar.
    static func sequenceLength(_ ctx: KernelContext) throws -> [RuntimeValue?] {
        [.tensor(NDArray(ints: [Int64(try ctx.sequence(0).count)], shape: []))]
    }
}
