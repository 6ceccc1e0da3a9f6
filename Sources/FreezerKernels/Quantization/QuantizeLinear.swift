import FreezerIR

/// QuantizeLinear (opsets 10, 13, 19, 21, 23, 25): `y = saturate(round(x / y_scale) + y_zero_point)`.
///
/// - Granularity (see `QuantizationLayout`): per tensor, per axis (`axis`, default 1, opset 13+), or
///   blocked (`block_size`, opset 21+).
/// - Output type: `y_zero_point`'s type; else `output_dtype` (opset 21+); else uint8. Both given and
///   different is an error.
/// - `x / y_scale` is computed in the precision of `y_scale`'s type, or of the `precision` attribute
///   (opset 23+) when set: both operands and the quotient rounded to that type (float32, float16,
///   bfloat16; x and y_scale have one type before opset 23, so only then can this round x).
/// - Integer outputs (int8, uint8, int16, uint16, int4, uint4, int2, uint2): the quotient rounds half to
///   even, the zero point is added and the sum saturates to the type's range.
/// - float8 outputs (opset 19+): `x / y_scale + y_zero_point` rounds to nearest even; `saturate`
///   (default 1) clamps values beyond the range (infinities too) to ±largest finite, else they become
///   infinity (e5m2) or NaN. float4e2m1 (opset 23+) always saturates.
///
/// Under `Precision.float64` the quotient is not rounded to the scale's type; the result is still the
/// quantized type, since that rounding is the operator's meaning.
enum QuantizeLinear {
    static func run(_ ctx: KernelContext) throws(EvaluationError) -> [NDArray?] {
        let x = try ctx.input(0), scale = try ctx.input(1)
        let zeroPoint = ctx.optionalInput(2)
        let outputType = try outputType(ctx, zeroPoint)
        let layout = try QuantizationLayout(ctx, x: x.shape, scale: scale.shape)
        if let zeroPoint, zeroPoint.shape.reduce(1, *) != scale.shape.reduce(1, *) {
            throw ctx.fail("y_zero_point is \(NeuralNetworkOperators.text(zeroPoint.shape)) but must have the shape of y_scale \(NeuralNetworkOperators.text(scale.shape))")
        }
        // The quotient's precision: the `precision` attribute, else y_scale's type.
        let precisionAttribute = ctx.int("precision", default: 0)
        let divisionType = ctx.precision == .float64 ? ElementType.double
            : precisionAttribute != 0 ? ElementType(rawValue: Int32(clamping: precisionAttribute))
            : QuantizationArithmetic.sourceType(ctx, 1, scale)
        let xs = x.asDoubles, ss = scale.asDoubles
        let zs = zeroPoint?.asDoubles
        var quotient = [Double](repeating: 0, count: xs.count)
        for i in xs.indices {
            let xq = QuantizationArithmetic.rounded(xs[i], to: divisionType)
            let sq = QuantizationArithmetic.rounded(ss[layout.index(i)], to: divisionType)
            quotient[i] = QuantizationArithmetic.rounded(xq / sq, to: divisionType)
        }
        if let range = QuantizationArithmetic.integerRange(outputType), outputType != .int32 {
            var out = [Int64](repeating: 0, count: xs.count)
            for i in xs.indices {
                // Round first, then add the zero point: the quotient alone rounds half to even.
                let zp = zs.map { $0[layout.index(i)] } ?? 0
                let q = quotient[i].isNaN ? quotient[i] : quotient[i].rounded(.toNearestOrEven) + zp
                out[i] = QuantizationArithmetic.saturated(q, range)
            }
            return [NDArray(ints: out, shape: x.shape, type: outputType)]
        }
        guard outputType.isLowPrecisionFloat, outputType != .float8e8m0 else {
            throw ctx.fail("output type \(outputType) is not a quantized type (int8, uint8, int16, uint16, int4, uint4, int2, uint2, float8, float4e2m1)")
        }
        let saturate = ctx.int("saturate", default: 1) != 0
        var shifted = quotient
        if let zs { for i in shifted.indices { shifted[i] += zs[layout.index(i)] } }
        let values = Cast.lowPrecision(shifted, outputType, saturate: saturate)
        return [NDArray(elementType: outputType, shape: x.shape, storage: .float(values))]
    }

    /// The output type: y_zero_point's, or output_dtype, or uint8.
    static func outputType(_ ctx: KernelContext, _ zeroPoint: NDArray?) throws(EvaluationError) -> ElementType {
        let attribute = ctx.int("output_dtype", default: 0)
        let requested = attribute == 0 ? nil : ElementType(rawValue: Int32(clamping: attribute))
        guard let zeroPoint else { return requested ?? .uint8 }
        let zeroType = QuantizationArithmetic.sourceType(ctx, 2, zeroPoint)
        if zeroType == .double && ctx.precision == .float64 {
            throw ctx.unsupportedFeature("a float8 zero point whose type the graph does not declare, under float64")
        }
        if let requested, requested != zeroType {
            throw ctx.fail("output_dtype \(requested) differs from y_zero_point's type \(zeroType)")
        }
        return zeroType
    }
}
