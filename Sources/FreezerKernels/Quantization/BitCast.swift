import FreezerIR

/// BitCast (opset 26): reinterprets the little-endian bits of each element as the type `to`, which must
/// have the same bit width (string excluded). The shape is unchanged.
///
/// Under `Precision.float64` a floating-point input arrives widened; its bits are those of the type the
/// graph declares for it (the widening was exact, so narrowing back is too). NaN payloads are not
/// preserved: the evaluator holds NaN as one value.
enum BitCast {
    static func run(_ ctx: KernelContext) throws(EvaluationError) -> [NDArray?] {
        let x = try ctx.input(0)
        guard let raw = ctx.int("to"), let to = Int32(exactly: raw) else { throw ctx.fail("attribute 'to' is missing") }
        let target = ElementType(rawValue: to)
        let source = QuantizationArithmetic.sourceType(ctx, 0, x)
        guard NDArray.supportedElementTypes.contains(target), NDArray.supportedElementTypes.contains(source),
              target != .string, source != .string else {
            throw ctx.fail("cannot bit-cast \(source) to \(target): both must be numeric or bool types the evaluator holds")
        }
        guard source.bitWidth == target.bitWidth else {
            throw ctx.fail("\(source) (\(source.bitWidth ?? 0) bits) and \(target) (\(target.bitWidth ?? 0) bits) differ in width")
        }
        var tensor = (source == x.elementType ? x : NDArray(elementType: source, shape: x.shape,
                                                             storage: .float(x.asDoubles.map { Float($0) })))
            .tensor(name: "")
        tensor.elementType = target
        return [try NDArray(tensor)]
    }
}
