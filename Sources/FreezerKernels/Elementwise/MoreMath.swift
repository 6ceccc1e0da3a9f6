import Foundation
import FreezerIR

/// Trigonometric and hyperbolic functions, Shrink, ThresholdedRelu and Swish: one-input element-wise
/// functions, computed like `UnaryMath` (Float functions for float32, Double ones for float64).
enum MoreMath {
    static func register(_ r: inout KernelRegistry) {
        // Tan, Asin, Acos, Atan (7), Sinh, Cosh, Asinh, Acosh, Atanh (9); opset 22 only added bfloat16.
        r.register("Tan", versions: 7...Int64.max) { ctx in try UnaryMath.floating(ctx, { Foundation.tan($0) }, { Foundation.tan($0) }) }
        r.register("Asin", versions: 7...Int64.max) { ctx in try UnaryMath.floating(ctx, { Foundation.asin($0) }, { Foundation.asin($0) }) }
        r.register("Acos", versions: 7...Int64.max) { ctx in try UnaryMath.floating(ctx, { Foundation.acos($0) }, { Foundation.acos($0) }) }
        r.register("Atan", versions: 7...Int64.max) { ctx in try UnaryMath.floating(ctx, { Foundation.atan($0) }, { Foundation.atan($0) }) }
        r.register("Sinh", versions: 9...Int64.max) { ctx in try UnaryMath.floating(ctx, { Foundation.sinh($0) }, { Foundation.sinh($0) }) }
        r.register("Cosh", versions: 9...Int64.max) { ctx in try UnaryMath.floating(ctx, { Foundation.cosh($0) }, { Foundation.cosh($0) }) }
        r.register("Asinh", versions: 9...Int64.max) { ctx in try UnaryMath.floating(ctx, { Foundation.asinh($0) }, { Foundation.asinh($0) }) }
        r.register("Acosh", versions: 9...Int64.max) { ctx in try UnaryMath.floating(ctx, { Foundation.acosh($0) }, { Foundation.acosh($0) }) }
        r.register("Atanh", versions: 9...Int64.max) { ctx in try UnaryMath.floating(ctx, { Foundation.atanh($0) }, { Foundation.atanh($0) }) }

        // ThresholdedRelu (10, 22): `x > alpha ? x : 0`, alpha default 1.
        r.register("ThresholdedRelu", versions: 10...Int64.max) { ctx in
            let alpha = ctx.float("alpha", default: 1), alphaD = Double(alpha)
            return try UnaryMath.floating(ctx, { $0 > alpha ? $0 : 0 }, { $0 > alphaD ? $0 : 0 })
        }
        // Swish (24): `x · sigmoid(alpha · x)`, alpha default 1.
        r.register("Swish", versions: 24...Int64.max) { ctx in
            let alpha = ctx.float("alpha", default: 1), alphaD = Double(alpha)
            return try UnaryMath.floating(ctx, { $0 * Activations.sigmoid(alpha * $0) }, { $0 * Activations.sigmoid(alphaD * $0) })
        }
        // Shrink (9): `x < −lambd ? x + bias : x > lambd ? x − bias : 0` (lambd 0.5, bias 0). Integer
        // inputs compare and subtract in Double and are truncated back to their type.
        r.register("Shrink", versions: 9...Int64.max) { ctx in
            let lambd = Double(ctx.float("lambd", default: 0.5)), bias = Double(ctx.float("bias", default: 0))
            let f = { (x: Double) -> Double in x < -lambd ? x + bias : (x > lambd ? x - bias : 0) }
            let x = try ctx.input(0)
            if x.kind == .int {
                let type = x.elementType
                let out = x.asDoubles.map { IntegerSemantics.fromFloating(f($0), type) }
                return [NDArray(ints: out, shape: x.shape, type: type)]
            }
            return try UnaryMath.floating(ctx, { Float(f(Double($0))) }, f)
        }
        registerHardmax(&r)
        registerCumProd(&r)
        registerDet(&r)
    }
}
