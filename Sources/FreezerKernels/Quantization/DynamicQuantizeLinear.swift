import FreezerIR

/// DynamicQuantizeLinear (opset 11): quantizes float32 x to uint8 with a scale and zero point computed
/// from x's range, which is first widened to include 0:
///
///     y_scale      = (max(0, max(x)) - min(0, min(x))) / 255     (1 / 255 when the range is empty)
///     y_zero_point = round(clamp(0 - min(0, min(x)) / y_scale, 0, 255))
///     y            = clamp(round(x / y_scale) + y_zero_point, 0, 255)
///
/// Every step is float32 arithmetic, rounding half to even. Under `Precision.float64` the steps are
/// computed in float64.
enum DynamicQuantizeLinear {
    static func run(_ ctx: KernelContext) throws(EvaluationError) -> [NDArray?] {
        let x = try ctx.input(0)
        guard x.kind == .float || x.kind == .double else {
            throw ctx.fail("x is \(x.elementType) but must be float32")
        }
        let exact = ctx.precision == .float64
        // Each float32 operation is the exact result rounded once to float32.
        func r(_ v: Double) -> Double { exact ? v : Double(Float(v)) }
        let xs = x.asDoubles
        let hi = max(0, xs.max() ?? 0), lo = min(0, xs.min() ?? 0)
        let scale = r((hi == lo ? 1 : r(hi - lo)) / 255)
        let zeroPoint = min(max(r(0 - r(lo / scale)), 0), 255).rounded(.toNearestOrEven)
        let y = xs.map { v in
            QuantizationArithmetic.saturated(r(v / scale).rounded(.toNearestOrEven) + zeroPoint, 0...255)
        }
        let scaleArray = exact ? NDArray(doubles: [scale], shape: [])
                               : NDArray(floats: [Float(scale)], shape: [], type: x.elementType)
        return [NDArray(ints: y, shape: x.shape, type: .uint8), scaleArray,
                NDArray(ints: [Int64(zeroPoint)], shape: [], type: .uint8)]
    }
}
