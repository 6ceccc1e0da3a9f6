import Foundation
import FreezerIR

/// One-input element-wise operators: math functions, rounding, sign, and the NaN/infinity tests.
///
/// float32 (and float16/bfloat16, held as Float) is computed with the Float functions of the C library
/// (`expf`, `erff`, ...), so results round like onnxruntime's float32; float64 with the Double ones.
enum UnaryMath {
    /// Applies `f` to a float32/float16/bfloat16 input or `g` to a float64 input; other types are refused.
    @inline(__always)
    static func floating(_ ctx: KernelContext, _ f: (Float) -> Float, _ g: (Double) -> Double) throws(EvaluationError) -> [NDArray?] {
        var x = try ctx.takeInput(0)
        if x.updateFloats({ BroadcastMap.update(&$0, f) }) || x.updateDoubles({ BroadcastMap.update(&$0, g) }) { return [x] }
        throw ctx.unsupported(x.elementType)
    }

    /// Applies `f`, `g` to floating inputs and `h` (on the Int64 value, then wrapped to the type) to
    /// integer inputs of the types `integers` accepts.
    @inline(__always)
    static func numeric(_ ctx: KernelContext, integers: (ElementType) -> Bool, _ f: (Float) -> Float, _ g: (Double) -> Double,
                        _ h: (Int64) -> Int64) throws(EvaluationError) -> [NDArray?] {
        var x = try ctx.takeInput(0)
        let type = x.elementType
        if x.updateFloats({ BroadcastMap.update(&$0, f) }) || x.updateDoubles({ BroadcastMap.update(&$0, g) }) { return [x] }
        if integers(type) && x.updateInts({ BroadcastMap.update(&$0, h); IntegerSemantics.wrapAll(&$0, type) }) { return [x] }
        throw ctx.unsupported(type)
    }

    static func isSigned(_ t: ElementType) -> Bool { [.int8, .int16, .int32, .int64].contains(t) }
    static func isUnsigned(_ t: ElementType) -> Bool { [.uint8, .uint16, .uint32, .uint64].contains(t) }

    static func register(_ r: inout KernelRegistry) {
        r.register("Sqrt") { ctx in try floating(ctx, { $0.squareRoot() }, { $0.squareRoot() }) }
        r.register("Exp") { ctx in try floating(ctx, { Foundation.exp($0) }, { Foundation.exp($0) }) }
        r.register("Log") { ctx in try floating(ctx, { Foundation.log($0) }, { Foundation.log($0) }) }
        r.register("Reciprocal") { ctx in try floating(ctx, { 1 / $0 }, { 1 / $0 }) }
        r.register("Floor") { ctx in try floating(ctx, { $0.rounded(.down) }, { $0.rounded(.down) }) }
        r.register("Ceil") { ctx in try floating(ctx, { $0.rounded(.up) }, { $0.rounded(.up) }) }
        // Round: half to even, as numpy and onnxruntime.
        r.register("Round", versions: 11...Int64.max) { ctx in
            try floating(ctx, { $0.rounded(.toNearestOrEven) }, { $0.rounded(.toNearestOrEven) })
        }
        r.register("Sin", versions: 7...Int64.max) { ctx in try floating(ctx, { Foundation.sin($0) }, { Foundation.sin($0) }) }
        r.register("Cos", versions: 7...Int64.max) { ctx in try floating(ctx, { Foundation.cos($0) }, { Foundation.cos($0) }) }
        r.register("Erf", versions: 9...Int64.max) { ctx in try floating(ctx, { Foundation.erf($0) }, { Foundation.erf($0) }) }

        // Abs: unsigned values are their own absolute value (uint64 is held as a bit pattern, never negated);
        // the most negative signed value wraps to itself, as in onnxruntime.
        r.register("Abs") { ctx in
            let type = try ctx.input(0).elementType
            let unsigned = isUnsigned(type)
            return try numeric(ctx, integers: { isSigned($0) || isUnsigned($0) }, { Swift.abs($0) }, { Swift.abs($0) }) { v in
                unsigned || v >= 0 ? v : 0 &- v
            }
        }
        r.register("Neg") { ctx in
            try numeric(ctx, integers: isSigned, { -$0 }, { -$0 }) { 0 &- $0 }
        }
        // Sign: -1, 0 or 1; NaN stays NaN and -0 gives +0 (as onnxruntime).
        r.register("Sign", versions: 9...Int64.max) { ctx in
            let type = try ctx.input(0).elementType
            let unsigned = isUnsigned(type)
            return try numeric(ctx, integers: { isSigned($0) || isUnsigned($0) },
                               { $0 > 0 ? 1 : $0 < 0 ? -1 : $0 == 0 ? 0 : $0 },
                               { $0 > 0 ? 1 : $0 < 0 ? -1 : $0 == 0 ? 0 : $0 }) { v in
                unsigned ? (v == 0 ? 0 : 1) : v.signum()
            }
        }

        r.register("IsNaN", versions: 9...Int64.max) { ctx in
            let x = try ctx.input(0)
            switch x.storage {
            case .float(let v): return [NDArray(bools: BroadcastMap.unary(v) { $0.isNaN }, shape: x.shape)]
            case .double(let v): return [NDArray(bools: BroadcastMap.unary(v) { $0.isNaN }, shape: x.shape)]
            default: throw ctx.unsupported(x.elementType)
            }
        }
        r.register("IsInf", versions: 10...Int64.max) { ctx in
            let x = try ctx.input(0)
            let positive = ctx.int("detect_positive", default: 1) != 0
            let negative = ctx.int("detect_negative", default: 1) != 0
            switch x.storage {
            case .float(let v):
                return [NDArray(bools: BroadcastMap.unary(v) { $0.isInfinite && ($0 > 0 ? positive : negative) }, shape: x.shape)]
            case .double(let v):
                return [NDArray(bools: BroadcastMap.unary(v) { $0.isInfinite && ($0 > 0 ? positive : negative) }, shape: x.shape)]
            default: throw ctx.unsupported(x.elementType)
            }
        }
    }
}
