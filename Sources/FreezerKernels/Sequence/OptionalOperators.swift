import FreezerIR

extension SequenceOperators {
    /// Optional (opset 15+): an optional holding the input (a tensor or a sequence), or the empty optional
    /// when the input is absent, in which case attribute `type` must give the element type.
    static func optional(_ ctx: KernelContext) throws -> [RuntimeValue?] {
        guard let v = ctx.optionalValue(0) else {
            guard ctx.attribute("type") != nil else {
                throw ctx.fail("without an input, attribute 'type' must give the type of the empty optional")
            }
            return [.optional(nil)]
        }
        if case .optional = v { throw ctx.fail("the input is an optional; ONNX has no optional of an optional") }
        return [.optional(v)]
    }

    /// OptionalHasElement: whether the optional input holds a value.
    ///
    /// Opset 15–17: the input is a required optional. Opset 18+: the input may also be a tensor or a
    /// sequence (true) or absent (false).
    static func optionalHasElement(_ ctx: KernelContext) throws -> [RuntimeValue?] {
        let has: Bool
        switch ctx.optionalValue(0) {
        case .optional(let element): has = element != nil
        case .some(let v):
            guard ctx.opset >= 18 else { throw ctx.fail("input must be an optional before opset 18, but is a \(v.kindName)") }
            has = true
        case nil:
            guard ctx.opset >= 18 else { throw ctx.fail("required input 0 is missing (it may be absent from opset 18)") }
            has = false
        }
        return [.tensor(NDArray(bools: [has], shape: []))]
    }

    /// OptionalGetElement: the value an optional holds (an error for the empty optional).
    ///
    /// Opset 15–17: the input must be an optional. Opset 18+: a tensor or sequence input is returned as
    /// it is.
    static func optionalGetElement(_ ctx: KernelContext) throws -> [RuntimeValue?] {
        let v = try ctx.value(0)
        switch v {
        case .optional(let element?): return [element]
        case .optional(nil): throw ctx.fail("the optional input is empty, so it has no element to get")
        default:
            guard ctx.opset >= 18 else { throw ctx.fail("input must be an optional before opset 18, but is a \(v.kindName)") }
            return [v]
        }
    }
}
