import FreezerIR

/// Requantization shared by QLinearMatMul and QLinearConv: an exact integer sum `s` becomes
/// `saturate(round(s · (a_scale · b_scale / y_scale)) + y_zero_point)` in y_zero_point's type (rounding
/// half to even). The multiplier is computed in the scales' type, each operation rounded once to it, as
/// ONNX's reference does; the product with `s` is then exact in Double. Under `Precision.float64` the
/// multiplier is not rounded.
enum Requantization {
    /// The multiplier `a_scale · b_scale / y_scale` for one pair of scale values.
    static func multiplier(_ aScale: Double, _ bScale: Double, _ yScale: Double, type: ElementType) -> Double {
        let r = { (v: Double) in QuantizationArithmetic.rounded(v, to: type) }
        return r(r(aScale * bScale) / yScale)
    }

    /// The output type (y_zero_point's, else the quantized input's) and its range.
    static func output(_ ctx: KernelContext, yZero: NDArray?, input: NDArray) throws(EvaluationError) -> (ElementType, ClosedRange<Int64>) {
        let type = yZero?.elementType ?? input.elementType
        guard [ElementType.int8, .uint8].contains(type), let range = QuantizationArithmetic.integerRange(type) else {
            throw ctx.unsupportedFeature("\(ctx.node.opType) producing \(type) (int8 and uint8 are implemented)")
        }
        return (type, range)
    }

    /// The single value of a per-tensor scale or zero point.
    static func scalar(_ ctx: KernelContext, _ array: NDArray?, _ name: String, default value: Double = 0) throws(EvaluationError) -> Double {
        guard let array else { return value }
        guard array.count == 1 else {
            throw ctx.unsupportedFeature("\(name) of shape \(NeuralNetworkOperators.text(array.shape)) (a per-tensor \(name) is implemented)")
        }
        return array.asDoubles[0]
    }
}

/// QLinearMatMul (opsets 10, 21): the quantized matrix product
/// `y = saturate(round((a - a_zero_point) · (b - b_zero_point) · a_scale · b_scale / y_scale) + y_zero_point)`
/// with numpy.matmul's shapes. a, b, y are int8 or uint8 (the float8 types of opset 21 are not
/// implemented); scales are float32 (float16, bfloat16 too in opset 21). a's scale and zero point are
/// per tensor or per row, b's per tensor or per column, y's per tensor.
enum QLinearMatMul {
    static func run(_ ctx: KernelContext) throws(EvaluationError) -> [NDArray?] {
        let a = try ctx.input(0), aScale = try ctx.input(1), aZero = ctx.optionalInput(2)
        let b = try ctx.input(3), bScale = try ctx.input(4), bZero = ctx.optionalInput(5)
        let yScale = try ctx.input(6), yZero = ctx.optionalInput(7)
        for (array, name) in [(a, "a"), (b, "b")] where array.kind != .int {
            throw ctx.unsupportedFeature("QLinearMatMul of \(name) in \(QuantizationArithmetic.sourceType(ctx, name == "a" ? 0 : 3, array)) (int8 and uint8 are implemented)")
        }
        let product = try IntegerProducts.matMul(ctx, a, aZero, b, bZero, names: ("a", "b"))
        let (type, range) = try Requantization.output(ctx, yZero: yZero, input: a)
        let ys = try Requantization.scalar(ctx, yScale, "y_scale"), yz = try Requantization.scalar(ctx, yZero, "y_zero_point")
        let scaleType = ctx.precision == .float64 ? ElementType.double : QuantizationArithmetic.sourceType(ctx, 1, aScale)
        let m = product.m, n = product.n
        let aBatches = max(a.rank - 2, 0) == 0 ? 1 : a.shape.dropLast(2).reduce(1, *)
        let bBatches = max(b.rank - 2, 0) == 0 ? 1 : b.shape.dropLast(2).reduce(1, *)
        let av = aScale.asDoubles, bv = bScale.asDoubles
        for (count, lines, batches, name) in [(av.count, m, aBatches, "a_scale"), (bv.count, n, bBatches, "b_scale")] {
            guard count == 1 || count == lines || count == lines * batches else {
                throw ctx.fail("\(name) has \(count) elements: it must have 1, \(lines) or \(lines * batches)")
            }
        }
        var out = [Int64](repeating: 0, count: product.values.count)
        for o in out.indices {
            let matrix = m * n == 0 ? 0 : o / (m * n)
            let row = (o / n) % m, column = o % n
            let sa = av.count == 1 ? av[0] : av[av.count == m ? row : product.aBatch(matrix) * m + row]
            let sb = bv.count == 1 ? bv[0] : bv[bv.count == n ? column : product.bBatch(matrix) * n + column]
            let scaled = Double(product.values[o]) * Requantization.multiplier(sa, sb, ys, type: scaleType)
            out[o] = QuantizationArithmetic.saturated(scaled.rounded(.toNearestOrEven) + yz, range)
        }
        return [NDArray(ints: out, shape: product.shape, type: type)]
    }
}

/// QLinearConv (opset 10): the quantized convolution
/// `y = saturate(round(((x - x_zero_point) ⊛ (w - w_zero_point) + B) · x_scale · w_scale / y_scale) + y_zero_point)`
/// with Conv's attributes. x, w, y are int8 or uint8; B (optional) is int32, already quantized with
/// scale x_scale · w_scale and zero point 0; x's and y's scale and zero point are per tensor, w's per
/// tensor or per output channel.
enum QLinearConv {
    static func run(_ ctx: KernelContext) throws(EvaluationError) -> [NDArray?] {
        let x = try ctx.input(0), xScale = try ctx.input(1), xZero = ctx.optionalInput(2)
        let w = try ctx.input(3), wScale = try ctx.input(4), wZero = ctx.optionalInput(5)
        let yScale = try ctx.input(6), yZero = ctx.optionalInput(7), bias = ctx.optionalInput(8)
        let (sums, shape, spatial) = try IntegerProducts.convolution(ctx, x: x, xZero: xZero, w: w, wZero: wZero)
        let (type, range) = try Requantization.output(ctx, yZero: yZero, input: x)
        let m = shape[1]
        let xs = try Requantization.scalar(ctx, xScale, "x_scale")
        let ys = try Requantization.scalar(ctx, yScale, "y_scale"), yz = try Requantization.scalar(ctx, yZero, "y_zero_point")
        let ws = wScale.asDoubles
        guard ws.count == 1 || ws.count == m else {
            throw ctx.fail("w_scale has \(ws.count) elements: it must have 1 or one per output channel (\(m))")
        }
        var biases = [Double](repeating: 0, count: m)
        if let bias {
            guard bias.elementType == .int32, bias.count == m else {
                throw ctx.fail("B must be \(m) int32 values, not \(bias.elementType)\(NeuralNetworkOperators.text(bias.shape))")
            }
            biases = bias.asDoubles
        }
        let scaleType = ctx.precision == .float64 ? ElementType.double : QuantizationArithmetic.sourceType(ctx, 1, xScale)
        let multipliers = (0..<m).map { Requantization.multiplier(xs, ws[ws.count == 1 ? 0 : $0], ys, type: scaleType) }
        var out = [Int64](repeating: 0, count: sums.count)
        for o in out.indices {
            let channel = spatial == 0 ? 0 : (o / spatial) % m
            let scaled = (sums[o] + biases[channel]) * multipliers[channel]
            out[o] = QuantizationArithmetic.saturated(scaled.rounded(.toNearestOrEven) + yz, range)
        }
        return [NDArray(ints: out, shape: shape, type: type)]
    }
}
