import Foundation
import FreezerIR

/// Add, Sub, Mul, Div and Mod over broadcast operands of one element type.
///
/// Integer results wrap around to the type's width, as onnxruntime's integer arithmetic does. Integer
/// division truncates toward zero (C semantics, as onnxruntime); a zero divisor is an error, as in
/// onnxruntime ("Integer division by zero").
enum BinaryArithmetic {
    enum Op: String { case add = "Add", sub = "Sub", mul = "Mul", div = "Div" }

    static func kernel(_ op: Op, legacy: Bool) -> Kernel {
        { ctx in
            // The check runs in its own scope so that no local copy keeps the inputs' buffers shared.
            let (plan, inPlace) = try { () throws(EvaluationError) in
                let (a, b) = try ctx.sameTypePair()
                let plan = try ctx.broadcastPlan(a, b, legacy: legacy)
                return (plan, a.kind == .float && (a.count == plan.count || b.count == plan.count))
            }()
            if inPlace { return [try applyInPlace(op, plan, ctx)] }
            let (a, b) = try ctx.sameTypePair()
            return [try apply(op, a, b, plan, ctx)]
        }
    }

    /// float32 arithmetic written into the buffer of an operand that has the output's shape (the first
    /// when both do), reusing it when this node is the operand's last reader.
    private static func applyInPlace(_ op: Op, _ plan: BroadcastPlan, _ ctx: KernelContext) throws(EvaluationError) -> NDArray {
        var a = try ctx.takeInput(0), b = try ctx.takeInput(1)
        if a.count == plan.count {
            let y = b.floats
            b = NDArray(floats: [], shape: [0])
            _ = a.updateFloats { x in
                switch op {
                case .add: BroadcastMap.update(&x, with: y, plan) { $0 + $1 }
                case .sub: BroadcastMap.update(&x, with: y, plan) { $0 - $1 }
                case .mul: BroadcastMap.update(&x, with: y, plan) { $0 * $1 }
                case .div: BroadcastMap.update(&x, with: y, plan) { $0 / $1 }
                }
            }
            a.shape = plan.outputShape
            return a
        }
        let x = a.floats
        a = NDArray(floats: [], shape: [0])
        _ = b.updateFloats { y in
            switch op {
            case .add: BroadcastMap.update(second: &y, first: x, plan) { $0 + $1 }
            case .sub: BroadcastMap.update(second: &y, first: x, plan) { $0 - $1 }
            case .mul: BroadcastMap.update(second: &y, first: x, plan) { $0 * $1 }
            case .div: BroadcastMap.update(second: &y, first: x, plan) { $0 / $1 }
            }
        }
        b.shape = plan.outputShape
        return b
    }

    static func apply(_ op: Op, _ a: NDArray, _ b: NDArray, _ plan: BroadcastPlan,
                      _ ctx: KernelContext) throws(EvaluationError) -> NDArray {
        let storage: NDArray.Storage
        switch (a.storage, b.storage) {
        case let (.float(x), .float(y)):
            switch op {
            case .add: storage = .float(BroadcastMap.binary(x, y, plan) { $0 + $1 })
            case .sub: storage = .float(BroadcastMap.binary(x, y, plan) { $0 - $1 })
            case .mul: storage = .float(BroadcastMap.binary(x, y, plan) { $0 * $1 })
            case .div: storage = .float(BroadcastMap.binary(x, y, plan) { $0 / $1 })
            }
        case let (.double(x), .double(y)):
            switch op {
            case .add: storage = .double(BroadcastMap.binary(x, y, plan) { $0 + $1 })
            case .sub: storage = .double(BroadcastMap.binary(x, y, plan) { $0 - $1 })
            case .mul: storage = .double(BroadcastMap.binary(x, y, plan) { $0 * $1 })
            case .div: storage = .double(BroadcastMap.binary(x, y, plan) { $0 / $1 })
            }
        case let (.int(x), .int(y)):
            let type = a.elementType
            var r: [Int64]
            switch op {
            case .add: r = BroadcastMap.binary(x, y, plan) { $0 &+ $1 }
            case .sub: r = BroadcastMap.binary(x, y, plan) { $0 &- $1 }
            case .mul: r = BroadcastMap.binary(x, y, plan) { $0 &* $1 }
            case .div:
                if plan.count > 0 && y.contains(0) { throw ctx.fail("integer division by zero (input 1 contains 0)") }
                if type == .uint64 {
                    r = BroadcastMap.binary(x, y, plan) { Int64(bitPattern: UInt64(bitPattern: $0) / UInt64(bitPattern: $1)) }
                } else {
                    // Int64.min / -1 wraps to Int64.min instead of trapping.
                    r = BroadcastMap.binary(x, y, plan) { $0.dividedReportingOverflow(by: $1).partialValue }
                }
            }
            IntegerSemantics.wrapAll(&r, type)
            storage = .int(r)
        default:
            throw ctx.unsupported(a.elementType)
        }
        return NDArray(elementType: a.elementType, shape: plan.outputShape, storage: storage)
    }

    // MARK: - Mod

    /// Mod (opset 10+). `fmod=1`: remainder of truncated division, sign of A (C `fmod`, `%`). `fmod=0`:
    /// remainder of floored division, sign of B (Python `%`); for floating types only from opset 28, as the
    /// standard requires `fmod=1` for them before (onnxruntime refuses it too).
    static func mod(_ ctx: KernelContext) throws -> [NDArray?] {
        let (a, b) = try ctx.sameTypePair()
        let plan = try ctx.broadcastPlan(a, b, legacy: false)
        let fmod = ctx.int("fmod", default: 0)
        guard fmod == 0 || fmod == 1 else { throw ctx.fail("attribute 'fmod' must be 0 or 1, got \(fmod)") }
        let storage: NDArray.Storage
        switch (a.storage, b.storage) {
        case let (.float(x), .float(y)):
            if fmod == 1 { storage = .float(BroadcastMap.binary(x, y, plan) { Foundation.fmod($0, $1) }) }
            else {
                guard ctx.opset >= 28 else { throw floatFloorModError(ctx, a.elementType) }
                storage = .float(BroadcastMap.binary(x, y, plan) { floorMod($0, $1) })
            }
        case let (.double(x), .double(y)):
            if fmod == 1 { storage = .double(BroadcastMap.binary(x, y, plan) { Foundation.fmod($0, $1) }) }
            else {
                guard ctx.opset >= 28 else { throw floatFloorModError(ctx, a.elementType) }
                storage = .double(BroadcastMap.binary(x, y, plan) { floorMod($0, $1) })
            }
        case let (.int(x), .int(y)):
            if plan.count > 0 && y.contains(0) { throw ctx.fail("integer modulo by zero (input 1 contains 0)") }
            if a.elementType == .uint64 {
                // Unsigned: truncated and floored remainders agree.
                storage = .int(BroadcastMap.binary(x, y, plan) { Int64(bitPattern: UInt64(bitPattern: $0) % UInt64(bitPattern: $1)) })
            } else if fmod == 1 {
                storage = .int(BroadcastMap.binary(x, y, plan) { $0.remainderReportingOverflow(dividingBy: $1).partialValue })
            } else {
                storage = .int(BroadcastMap.binary(x, y, plan) { p, q in
                    let r = p.remainderReportingOverflow(dividingBy: q).partialValue
                    return r != 0 && (r < 0) != (q < 0) ? r + q : r
                })
            }
        default:
            throw ctx.unsupported(a.elementType)
        }
        return [NDArray(elementType: a.elementType, shape: plan.outputShape, storage: storage)]
    }

    private static func floatFloorModError(_ ctx: KernelContext, _ type: ElementType) -> EvaluationError {
        ctx.fail("attribute 'fmod' must be 1 for floating-point inputs (\(type)) before opset 28; this node is opset \(ctx.opset)")
    }

    /// Floored remainder with the sign of `y`, with the special cases of Mod-28.
    @inline(__always)
    static func floorMod<T: BinaryFloatingPoint>(_ x: T, _ y: T) -> T {
        var r = x.truncatingRemainder(dividingBy: y)
        if r != 0 && (r < 0) != (y < 0) { r += y }
        if r == 0 { r = y.sign == .minus ? -0.0 : 0.0 }
        return r
    }
}
