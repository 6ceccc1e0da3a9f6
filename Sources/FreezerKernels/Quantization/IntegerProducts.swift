import FreezerIR

/// The exact integer products behind MatMulInteger, ConvInteger, QLinearMatMul and QLinearConv: the
/// operands minus their zero points, multiplied and summed without rounding (Int64 for the matrix
/// product; Double for the convolution, exact while sums stay below 2^53, far beyond 8-bit operands).
enum IntegerProducts {
    typealias NN = NeuralNetworkOperators

    /// A matrix product of quantized operands: values, output shape and the sizes that locate an output
    /// element's row, column and batch matrices.
    struct MatrixProduct {
        var values: [Int64]
        var shape: [Int]
        var m: Int, k: Int, n: Int
        var plan: NN.BatchPlan
        /// The batch matrix of A (of B) that output matrix `i` reads.
        func aBatch(_ i: Int) -> Int { m * k == 0 ? 0 : plan.aOffsets[i] / (m * k) }
        func bBatch(_ i: Int) -> Int { k * n == 0 ? 0 : plan.bOffsets[i] / (k * n) }
    }

    /// `(A - a_zero_point) · (B - b_zero_point)` with numpy.matmul's shapes. A zero point is a scalar
    /// (one element), per row of A / per column of B (M / N elements), or per row (column) of every
    /// batch matrix (`[..., M, 1]` / `[..., 1, N]`: batch × M / batch × N elements).
    static func matMul(_ ctx: KernelContext, _ a: NDArray, _ aZero: NDArray?, _ b: NDArray, _ bZero: NDArray?,
                       names: (a: String, b: String) = ("A", "B")) throws(EvaluationError) -> MatrixProduct {
        guard a.kind == .int, b.kind == .int else {
            throw ctx.fail("\(names.a) (\(a.elementType)) and \(names.b) (\(b.elementType)) must be 8-bit integers")
        }
        guard a.rank >= 1, b.rank >= 1 else {
            throw ctx.fail("inputs must have rank ≥ 1 but \(names.a) is \(NN.text(a.shape)) and \(names.b) is \(NN.text(b.shape))")
        }
        let aShape = a.rank == 1 ? [1, a.shape[0]] : a.shape
        let bShape = b.rank == 1 ? [b.shape[0], 1] : b.shape
        let m = aShape[aShape.count - 2], k = aShape[aShape.count - 1]
        let n = bShape[bShape.count - 1]
        guard k == bShape[bShape.count - 2] else {
            throw ctx.fail("inner dimensions differ: \(names.a) is \(NN.text(a.shape)) and \(names.b) is \(NN.text(b.shape))")
        }
        let aBatch = Array(aShape.dropLast(2)), bBatch = Array(bShape.dropLast(2))
        guard let batch = NN.broadcastShapes(aBatch, bBatch) else {
            throw ctx.fail("batch dimensions of \(names.a) \(NN.text(a.shape)) and \(names.b) \(NN.text(b.shape)) do not broadcast")
        }
        var outShape = batch
        if a.rank > 1 { outShape.append(m) }
        if b.rank > 1 { outShape.append(n) }
        _ = try NN.elementCount(outShape, ctx, what: "the output")

        var av = a.ints, bv = b.ints
        if let aZero {
            let z = try zeroPoints(ctx, aZero, of: a, lines: m, batches: aBatch.reduce(1, *), what: "\(names.a)'s zero point (per row)")
            for i in av.indices { av[i] -= z.count == 1 ? z[0] : z[z.count == m ? (i / k) % m : i / k] }
        }
        if let bZero {
            let z = try zeroPoints(ctx, bZero, of: b, lines: n, batches: bBatch.reduce(1, *), what: "\(names.b)'s zero point (per column)")
            for i in bv.indices { bv[i] -= z.count == 1 ? z[0] : z[z.count == n ? i % n : (i / (k * n)) * n + i % n] }
        }
        let plan = NN.BatchPlan(aBatch: aBatch, bBatch: bBatch, batch: batch, m: m, k: k, n: n)
        return MatrixProduct(values: NN.matMulInteger(av, bv, plan), shape: outShape, m: m, k: k, n: n, plan: plan)
    }

    /// The values of a zero point of one, `lines` or `batches × lines` elements, with its operand's type.
    private static func zeroPoints(_ ctx: KernelContext, _ zero: NDArray, of operand: NDArray, lines: Int, batches: Int,
                                   what: String) throws(EvaluationError) -> [Int64] {
        guard zero.elementType == operand.elementType else {
            throw ctx.fail("\(what) is \(zero.elementType) but must have its operand's type \(operand.elementType)")
        }
        guard zero.count == 1 || zero.count == lines || zero.count == lines * batches else {
            throw ctx.fail("\(what) has \(zero.count) elements: it must have 1, \(lines) or \(lines * batches)")
        }
        return zero.ints
    }

    /// A convolution of quantized operands: `(x - x_zero_point) ⊛ (w - w_zero_point)` with Conv's
    /// attributes (group, kernel_shape, strides, dilations, pads, auto_pad). x_zero_point is a scalar;
    /// w_zero_point a scalar or one per output channel. Padding reads the zero point (contributes 0).
    /// Returns exact sums, the output shape and the number of spatial outputs per channel.
    static func convolution(_ ctx: KernelContext, x: NDArray, xZero: NDArray?, w: NDArray,
                            wZero: NDArray?) throws(EvaluationError) -> (sums: [Double], shape: [Int], spatial: Int) {
        guard x.kind == .int, w.kind == .int else {
            throw ctx.fail("x (\(x.elementType)) and w (\(w.elementType)) must be 8-bit integers")
        }
        guard x.rank >= 3, w.rank == x.rank else {
            throw ctx.fail("x must be N×C×D1… (rank ≥ 3) and w of the same rank, but x is \(NN.text(x.shape)) and w is \(NN.text(w.shape))")
        }
        let group = Int(clamping: ctx.int("group", default: 1))
        let n = x.shape[0], c = x.shape[1], m = w.shape[0]
        guard group >= 1, c % group == 0, m % group == 0, w.shape[1] == c / group else {
            throw ctx.fail("group \(group) does not fit x \(NN.text(x.shape)) and w \(NN.text(w.shape)): need C and M divisible by group and w.shape[1] == C/group")
        }
        let kernel = Array(w.shape[2...])
        try NN.checkKernelShape(ctx, weightSpatial: kernel)
        let geometry = try NN.spatialGeometry(ctx, input: Array(x.shape[2...]), kernel: kernel)
        let outShape = [n, m] + geometry.output
        _ = try NN.elementCount(outShape, ctx, what: "the output")

        var xv = x.asDoubles, wv = w.asDoubles
        if let xZero {
            guard xZero.elementType == x.elementType, xZero.count == 1 else {
                throw ctx.fail("x_zero_point must be one \(x.elementType) value, not \(xZero.elementType)\(NN.text(xZero.shape))")
            }
            let z = Double(xZero.ints[0])
            for i in xv.indices { xv[i] -= z }
        }
        if let wZero {
            guard wZero.elementType == w.elementType, wZero.count == 1 || wZero.count == m else {
                throw ctx.fail("w_zero_point must be one \(w.elementType) value or one per output channel (\(m)), not \(wZero.elementType)\(NN.text(wZero.shape))")
            }
            let z = wZero.ints, perChannel = wv.count / max(m, 1)
            for i in wv.indices { wv[i] -= Double(z[z.count == 1 ? 0 : i / perChannel]) }
        }
        let problem = NN.ConvProblem(n: n, c: c, m: m, group: group, geometry: geometry)
        return (NN.convolve(xv, wv, nil, problem), outShape, geometry.outputCount)
    }
}

/// MatMulInteger (opset 10): `(A - a_zero_point) · (B - b_zero_point)` as numpy.matmul, in int32 (the
/// accumulation wraps in 32 bits). A and B are int8 or uint8; a zero point is a scalar, or one per row of
/// A (per column of B).
enum MatMulInteger {
    static func run(_ ctx: KernelContext) throws(EvaluationError) -> [NDArray?] {
        let product = try IntegerProducts.matMul(ctx, try ctx.input(0), ctx.optionalInput(2), try ctx.input(1), ctx.optionalInput(3))
        return [NDArray(ints: product.values.map { Int64(Int32(truncatingIfNeeded: $0)) }, shape: product.shape, type: .int32)]
    }
}

/// ConvInteger (opset 10): `(x - x_zero_point) ⊛ (w - w_zero_point)` with Conv's attributes, in int32
/// (the accumulation wraps in 32 bits). x and w are int8 or uint8; x_zero_point is a scalar,
/// w_zero_point a scalar or one per output channel.
enum ConvInteger {
    static func run(_ ctx: KernelContext) throws(EvaluationError) -> [NDArray?] {
        let (sums, shape, _) = try IntegerProducts.convolution(ctx, x: try ctx.input(0), xZero: ctx.optionalInput(2),
                                                               w: try ctx.input(1), wZero: ctx.optionalInput(3))
        return [NDArray(ints: sums.map { Int64(Int32(truncatingIfNeeded: Int64($0))) }, shape: shape, type: .int32)]
    }
}
