import Foundation
import FreezerIR

/// Pow: base of type T, exponent of type T (opsets 1–11) or of any numeric type T1 (opset 12+);
/// the result has the base's type.
///
/// Computed as onnxruntime does with `std::pow`: float32 to a float32 (or float16/bfloat16) power in Float
/// (`powf`); any other mix in Double, then converted to the base's type. An integer result is converted
/// from Double as onnxruntime's `static_cast` does on x86-64 (`IntegerSemantics.fromFloating`). As in
/// onnxruntime, a one-element exponent equal to 2 or 3 is computed by multiplication (`x*x`, `x*x*x`),
/// which wraps for integers instead of saturating.
enum Pow {
    static func kernel(legacy: Bool) -> Kernel {
        { ctx in
            let base = try ctx.input(0), exponent = try ctx.input(1)
            if ctx.opset < 12 && base.elementType != exponent.elementType {
                throw ctx.fail("base and exponent must have the same element type before opset 12, got \(base.elementType) and \(exponent.elementType)")
            }
            guard base.kind == .float || base.kind == .double || base.kind == .int else { throw ctx.unsupported(base.elementType) }
            guard exponent.kind == .float || exponent.kind == .double || exponent.kind == .int else {
                throw ctx.unsupported(exponent.elementType, input: 1)
            }
            let plan = try ctx.broadcastPlan(base, exponent, legacy: legacy)
            return [NDArray(elementType: base.elementType, shape: plan.outputShape, storage: compute(base, exponent, plan))]
        }
    }

    static func compute(_ base: NDArray, _ exponent: NDArray, _ plan: BroadcastPlan) -> NDArray.Storage {
        let baseType = base.elementType
        // onnxruntime's shortcut for a single exponent value of 2 or 3.
        if exponent.count == 1 && plan.count > 0 {
            let e = exponent.asDoubles[0]
            if e == 2 || e == 3 {
                let cube = e == 3
                switch base.storage {
                case .float(let x):
                    return .float(BroadcastMap.binary(x, [Float(0)], plan) { v, _ in cube ? v * v * v : v * v })
                case .double(let x):
                    return .double(BroadcastMap.binary(x, [Double(0)], plan) { v, _ in cube ? v * v * v : v * v })
                case .int(let x):
                    var r = BroadcastMap.binary(x, [Int64(0)], plan) { v, _ in cube ? v &* v &* v : v &* v }
                    IntegerSemantics.wrapAll(&r, baseType)
                    return .int(r)
                default: break
                }
            }
        }
        switch (base.storage, exponent.storage) {
        case let (.float(x), .float(y)):
            // float32 (float16/bfloat16 are widened to float32 by onnxruntime) to a float power: powf.
            return .float(BroadcastMap.binary(x, y, plan) { Foundation.pow($0, $1) })
        case let (.float(x), _):
            let y = doubles(exponent)
            return .float(BroadcastMap.binary(x, y, plan) { Float(Foundation.pow(Double($0), $1)) })
        case let (.double(x), _):
            let y = doubles(exponent)
            return .double(BroadcastMap.binary(x, y, plan) { Foundation.pow($0, $1) })
        case let (.int(x), _):
            let y = doubles(exponent)
            let x64 = baseType == .uint64 ? x.map { Double(UInt64(bitPattern: $0)) } : x.map(Double.init)
            return .int(BroadcastMap.binary(x64, y, plan) { IntegerSemantics.fromFloating(Foundation.pow($0, $1), baseType) })
        default:
            return base.storage // unreachable: kinds are checked by the kernel
        }
    }

    /// Exponent values as Double (uint64 read as unsigned).
    private static func doubles(_ a: NDArray) -> [Double] { a.asDoubles }
}
