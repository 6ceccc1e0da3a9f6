import FreezerIR

/// BitShift (11) and BitwiseAnd, BitwiseOr, BitwiseXor, BitwiseNot (18) on integer tensors, with numpy
/// broadcasting. Values are held as Int64 (sign-extended for signed types, zero-extended for unsigned
/// ones, uint64 as its bit pattern), on which and/or/xor/not act bit for bit; results are wrapped
/// back to the type's width.
enum Bitwise {
    static func register(_ r: inout KernelRegistry) {
        r.register("BitShift", versions: 11...Int64.max) { ctx in [try bitShift(ctx)] }
        r.register("BitwiseAnd", versions: 18...Int64.max) { ctx in [try binary(ctx, &)] }
        r.register("BitwiseOr", versions: 18...Int64.max) { ctx in [try binary(ctx, |)] }
        r.register("BitwiseXor", versions: 18...Int64.max) { ctx in [try binary(ctx, ^)] }
        r.register("BitwiseNot", versions: 18...Int64.max) { ctx in
            let x = try ctx.input(0)
            guard case .int(let v) = x.storage else { throw ctx.unsupported(x.elementType) }
            let type = x.elementType
            return [NDArray(ints: v.map { IntegerWrap.wrap(~$0, type) }, shape: x.shape, type: type)]
        }
    }

    /// The bit width of an integer type.
    static func width(_ type: ElementType) -> Int64 {
        switch type {
        case .int8, .uint8: 8
        case .int16, .uint16: 16
        case .int32, .uint32: 32
        default: 64
        }
    }

    /// Two integer inputs of one type combined element-wise by `f` under broadcasting.
    static func binary(_ ctx: KernelContext, _ f: @escaping (Int64, Int64) -> Int64) throws(EvaluationError) -> NDArray {
        let (a, b) = try ctx.sameTypePair()
        guard case .int(let x) = a.storage, case .int(let y) = b.storage else { throw ctx.unsupported(a.elementType) }
        let plan = try ctx.broadcastPlan(a, b, legacy: false)
        let type = a.elementType
        var out = BroadcastMap.binary(x, y, plan, f)
        IntegerSemantics.wrapAll(&out, type)
        return NDArray(ints: out, shape: plan.outputShape, type: type)
    }

    /// BitShift: X shifted by Y bits, `direction` LEFT or RIGHT. The shift amount is read as an unsigned
    /// number of the type's width, so a negative amount is a shift by the width or more: LEFT then gives
    /// 0 and RIGHT the sign fill (−1 for a negative signed value, else 0). RIGHT is arithmetic for signed
    /// types and logical for unsigned ones; LEFT wraps to the type's width.
    static func bitShift(_ ctx: KernelContext) throws(EvaluationError) -> NDArray {
        let (a, b) = try ctx.sameTypePair()
        guard case .int(let x) = a.storage, case .int(let y) = b.storage else { throw ctx.unsupported(a.elementType) }
        let direction = ctx.string("direction", default: "")
        guard direction == "LEFT" || direction == "RIGHT" else {
            throw ctx.fail("attribute 'direction' must be LEFT or RIGHT, got '\(direction)'")
        }
        let type = a.elementType, bits = width(type)
        let signed = UnaryMath.isSigned(type)
        let plan = try ctx.broadcastPlan(a, b, legacy: false)
        let out: [Int64]
        if direction == "LEFT" {
            out = BroadcastMap.binary(x, y, plan) { v, s in
                s < 0 || s >= bits ? 0 : IntegerWrap.wrap(v &<< s, type)
            }
        } else {
            out = BroadcastMap.binary(x, y, plan) { v, s in
                let large = s < 0 || s >= bits
                if signed { return large ? (v < 0 ? -1 : 0) : v >> s }
                // Unsigned values are non-negative except uint64's bit pattern: shift it as UInt64.
                return large ? 0 : Int64(bitPattern: UInt64(bitPattern: v) >> UInt64(s))
            }
        }
        return NDArray(ints: out, shape: plan.outputShape, type: type)
    }
}
