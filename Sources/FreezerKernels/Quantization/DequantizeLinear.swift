import FreezerIR

/// DequantizeLinear (opsets 10, 13, 19, 21, 23, 24, 25): `y = (x - x_zero_point) * x_scale`.
///
/// - x: int8, uint8, int16, uint16, int32, int4, uint4, int2, uint2, the float8 types, float4e2m1;
///   x_zero_point (optional, default 0) has x's type and x_scale's shape.
/// - Granularity (see `QuantizationLayout`): per tensor, per axis (`axis`, default 1, opset 13+), or
///   blocked (`block_size`, opset 21+).
/// - Output type: `output_dtype` (opset 23+) when set, else x_scale's type (float32, float16, bfloat16).
///   The product is exact in Double and rounds once to the output type (the output type is the
///   precision of the multiplication).
enum DequantizeLinear {
    static func run(_ ctx: KernelContext) throws(EvaluationError) -> [NDArray?] {
        let x = try ctx.input(0), scale = try ctx.input(1)
        let zeroPoint = ctx.optionalInput(2)
        let layout = try QuantizationLayout(ctx, x: x.shape, scale: scale.shape, what: "x_scale")
        if let zeroPoint {
            if zeroPoint.shape.reduce(1, *) != scale.shape.reduce(1, *) {
                throw ctx.fail("x_zero_point is \(NeuralNetworkOperators.text(zeroPoint.shape)) but must have the shape of x_scale \(NeuralNetworkOperators.text(scale.shape))")
            }
            if x.kind == .int, zeroPoint.elementType != x.elementType {
                throw ctx.fail("x_zero_point is \(zeroPoint.elementType) but must have x's type \(x.elementType)")
            }
        }
        let attribute = ctx.int("output_dtype", default: 0)
        let outputType = attribute == 0 ? QuantizationArithmetic.sourceType(ctx, 1, scale)
                                        : ElementType(rawValue: Int32(clamping: attribute))
        guard [ElementType.float, .float16, .bfloat16, .double].contains(outputType) else {
            throw ctx.fail("output type \(outputType) is not float32, float16 or bfloat16")
        }
        let xs = x.asDoubles, ss = scale.asDoubles
        let zs = zeroPoint?.asDoubles
        var y = [Double](repeating: 0, count: xs.count)
        for i in xs.indices {
            let k = layout.index(i)
            y[i] = (xs[i] - (zs?[k] ?? 0)) * ss[k]
        }
        return [QuantizationArithmetic.floatResult(y, type: outputType, shape: x.shape, precision: ctx.precision)]
    }
}
