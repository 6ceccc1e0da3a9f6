import Foundation
import FreezerIR

/// Activation functions. Each is written so that NaN stays NaN and the sign of zero is kept where
/// onnxruntime keeps it (Relu(-0) = -0).
enum Activations {
    static func register(_ r: inout KernelRegistry) {
        // Relu: integer types from opset 14.
        r.register("Relu") { ctx in
            let intsAllowed = ctx.opset >= 14
            return try UnaryMath.numeric(ctx, integers: { intsAllowed && UnaryMath.isSigned($0) },
                                         { $0 < 0 ? 0 : $0 }, { $0 < 0 ? 0 : $0 }) { $0 < 0 ? 0 : $0 }
        }
        r.register("LeakyRelu") { ctx in
            let alpha = ctx.float("alpha", default: 0.01), alphaD = Double(alpha)
            return try UnaryMath.floating(ctx, { $0 >= 0 ? $0 : alpha * $0 }, { $0 >= 0 ? $0 : alphaD * $0 })
        }
        r.register("PRelu") { ctx in try prelu(ctx) }
        r.register("Elu") { ctx in
            let alpha = ctx.float("alpha", default: 1), alphaD = Double(alpha)
            return try UnaryMath.floating(ctx, { $0 >= 0 ? $0 : alpha * (Foundation.exp($0) - 1) },
                                          { $0 >= 0 ? $0 : alphaD * (Foundation.exp($0) - 1) })
        }
        r.register("Selu") { ctx in
            // Selu-1 documents shorter defaults than Selu-6; each version evaluates with its own.
            let alpha = ctx.float("alpha", default: ctx.opset < 6 ? 1.6732 : 1.67326319217681884765625)
            let gamma = ctx.float("gamma", default: ctx.opset < 6 ? 1.0507 : 1.05070102214813232421875)
            let alphaD = Double(alpha), gammaD = Double(gamma)
            return try UnaryMath.floating(ctx, { $0 > 0 ? gamma * $0 : gamma * (alpha * Foundation.exp($0) - alpha) },
                                          { $0 > 0 ? gammaD * $0 : gammaD * (alphaD * Foundation.exp($0) - alphaD) })
        }
        r.register("Celu", versions: 12...Int64.max) { ctx in
            let alpha = ctx.float("alpha", default: 1), alphaD = Double(alpha)
            guard alpha != 0 else { throw ctx.fail("attribute 'alpha' must not be 0") }
            return try UnaryMath.floating(ctx, { $0 > 0 ? $0 : alpha * (Foundation.exp($0 / alpha) - 1) },
                                          { $0 > 0 ? $0 : alphaD * (Foundation.exp($0 / alphaD) - 1) })
        }
        r.register("Sigmoid") { ctx in try UnaryMath.floating(ctx, sigmoid, sigmoid) }
        r.register("HardSigmoid") { ctx in
            let alpha = ctx.float("alpha", default: 0.2), beta = ctx.float("beta", default: 0.5)
            let alphaD = Double(alpha), betaD = Double(beta)
            return try UnaryMath.floating(ctx, { clamp01(alpha * $0 + beta) }, { clamp01(alphaD * $0 + betaD) })
        }
        // HardSwish: x * HardSigmoid(x) with alpha = 1/6, beta = 0.5.
        r.register("HardSwish", versions: 14...Int64.max) { ctx in
            let alpha = Float(1.0 / 6.0), alphaD = 1.0 / 6.0
            return try UnaryMath.floating(ctx, { $0 * clamp01(alpha * $0 + 0.5) }, { $0 * clamp01(alphaD * $0 + 0.5) })
        }
        r.register("Tanh") { ctx in try UnaryMath.floating(ctx, { Foundation.tanh($0) }, { Foundation.tanh($0) }) }
        r.register("Softplus") { ctx in try UnaryMath.floating(ctx, softplus, softplus) }
        r.register("Softsign") { ctx in try UnaryMath.floating(ctx, { $0 / (1 + Swift.abs($0)) }, { $0 / (1 + Swift.abs($0)) }) }
        r.register("Mish", versions: 18...Int64.max) { ctx in
            try UnaryMath.floating(ctx, { $0 * Foundation.tanh(softplus($0)) }, { $0 * Foundation.tanh(softplus($0)) })
        }
        r.register("Gelu", versions: 20...Int64.max) { ctx in
            switch ctx.string("approximate", default: "none") {
            case "none":
                return try UnaryMath.floating(ctx, { 0.5 * $0 * (1 + Foundation.erf($0 * Float(0.5.squareRoot()))) },
                                              { 0.5 * $0 * (1 + Foundation.erf($0 * 0.5.squareRoot())) })
            case "tanh":
                let k = Float((2 / Double.pi).squareRoot()), kD = (2 / Double.pi).squareRoot()
                return try UnaryMath.floating(ctx, { x in 0.5 * x * (1 + Foundation.tanh(k * (x + 0.044715 * x * x * x))) },
                                              { x in 0.5 * x * (1 + Foundation.tanh(kD * (x + 0.044715 * x * x * x))) })
            case let other:
                throw ctx.fail("attribute 'approximate' must be \"none\" or \"tanh\", got \"\(other)\"")
            }
        }
    }

    /// max(0, min(1, v)); NaN stays NaN.
    @inline(__always)
    static func clamp01<T: FloatingPoint>(_ v: T) -> T { v < 0 ? 0 : (v > 1 ? 1 : v) }

    /// The logistic function without overflow: exp is only taken of non-positive values.
    @inline(__always)
    static func sigmoid(_ x: Float) -> Float {
        if x >= 0 { return 1 / (1 + Foundation.exp(-x)) }
        let e = Foundation.exp(x)
        return e / (1 + e)
    }

    @inline(__always)
    static func sigmoid(_ x: Double) -> Double {
        if x >= 0 { return 1 / (1 + Foundation.exp(-x)) }
        let e = Foundation.exp(x)
        return e / (1 + e)
    }

    /// log(1 + exp(x)) without overflow for large x.
    @inline(__always)
    static func softplus(_ x: Float) -> Float { x > 0 ? x + Foundation.log1p(Foundation.exp(-x)) : Foundation.log1p(Foundation.exp(x)) }

    @inline(__always)
    static func softplus(_ x: Double) -> Double { x > 0 ? x + Foundation.log1p(Foundation.exp(-x)) : Foundation.log1p(Foundation.exp(x)) }

    /// PRelu: `x > 0 ? x : slope * x`, with the slope broadcast to X's shape (unidirectional broadcasting).
    static func prelu(_ ctx: KernelContext) throws -> [NDArray?] {
        var (x, slope) = try ctx.sameTypePair()
        // Before opset 7, a 1-D slope with one value per channel applies along axis 1 (as PyTorch exported PReLU).
        if ctx.opset < 7, slope.rank == 1, x.rank > 2, slope.count == x.shape[1], slope.count > 1 {
            slope = slope.reshaped([slope.count] + [Int](repeating: 1, count: x.rank - 2))
        }
        guard Broadcasting.broadcasts(slope.shape, to: x.shape) else {
            throw ctx.fail("slope of shape \(Broadcasting.text(slope.shape)) cannot be broadcast to X of shape \(Broadcasting.text(x.shape))")
        }
        let plan = BroadcastPlan(output: x.shape, operands: [x.shape, slope.shape])
        var out = x
        switch (x.storage, slope.storage) {
        case let (.float(a), .float(s)): out.storage = .float(BroadcastMap.binary(a, s, plan) { $0 > 0 ? $0 : $0 * $1 })
        case let (.double(a), .double(s)): out.storage = .double(BroadcastMap.binary(a, s, plan) { $0 > 0 ? $0 : $0 * $1 })
        case let (.int(a), .int(s)) where ctx.opset >= 16 && [.int32, .int64, .uint32, .uint64].contains(x.elementType):
            // Unsigned values are never negative: they pass through.
            if x.elementType == .int32 || x.elementType == .int64 {
                var r = BroadcastMap.binary(a, s, plan) { $0 > 0 ? $0 : $0 &* $1 }
                IntegerSemantics.wrapAll(&r, x.elementType)
                out.storage = .int(r)
            }
        default:
            throw ctx.unsupported(x.elementType)
        }
        return [out]
    }
}
