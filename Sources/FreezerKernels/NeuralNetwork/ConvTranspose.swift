import FreezerIR

extension NeuralNetworkOperators {
    /// ConvTranspose: X (N×C×D…), W (C×M/group×k…), optional bias B (M).
    ///
    /// Per image and group, `col = W_gᵀ · X_g` (one gemm) and col2im scatters each kernel position's
    /// row into the output. Output size and padding follow the ONNX formulas:
    /// `out = stride·(in−1) + output_padding + (k−1)·dilation + 1 − pads`; when `output_shape` is given
    /// (or auto_pad is SAME_*, which asks for `out = in·stride`), the total padding is derived from it
    /// and split with the larger half at the end for SAME_UPPER and at the beginning otherwise; an
    /// output_shape beyond the full result is zero-extended at the end.
    static func convTranspose(_ ctx: KernelContext) throws(EvaluationError) -> [NDArray?] {
        let (x, w, b, kind) = try convolutionInputs(ctx)
        let group = Int(clamping: ctx.int("group", default: 1))
        let n = x.shape[0], c = x.shape[1]
        guard group >= 1, c % group == 0, w.shape[0] == c else {
            throw ctx.fail("group \(group) does not fit X \(text(x.shape)) and W \(text(w.shape)): need C divisible by group and W.shape[0] == C")
        }
        let (m, overflow) = w.shape[1].multipliedReportingOverflow(by: group)
        guard !overflow else { throw ctx.fail("group \(group) times W.shape[1] = \(w.shape[1]) output channels is too large") }
        let kernel = Array(w.shape[2...])
        try checkKernelShape(ctx, weightSpatial: kernel)
        guard kernel.allSatisfy({ $0 >= 1 }) else { throw ctx.fail("W \(text(w.shape)) has an empty kernel dimension") }
        let input = Array(x.shape[2...])
        let nd = input.count
        let zeros = [Int](repeating: 0, count: nd), ones = [Int](repeating: 1, count: nd)
        let strides = try intsAttribute(ctx, "strides", count: nd, default: ones, minimum: 1)
        let dilations = try intsAttribute(ctx, "dilations", count: nd, default: ones, minimum: 1)
        let outputPadding = try intsAttribute(ctx, "output_padding", count: nd, default: zeros, minimum: 0)
        var pads = try intsAttribute(ctx, "pads", count: 2 * nd, default: zeros + zeros, minimum: 0)
        let autoPad = ctx.string("auto_pad", default: "NOTSET")
        guard ["NOTSET", "", "VALID", "SAME_UPPER", "SAME_LOWER"].contains(autoPad) else {
            throw ctx.fail("attribute 'auto_pad' is '\(autoPad)'; expected NOTSET, SAME_UPPER, SAME_LOWER or VALID")
        }
        var requested: [Int]?
        if var shape = ctx.ints("output_shape")?.map({ Int(clamping: $0) }) {
            // Some exporters include N and C; the spec's form has only the spatial dimensions.
            if shape.count == nd + 2 { shape.removeFirst(2) }
            guard shape.count == nd else {
                throw ctx.fail("attribute 'output_shape' \(shape) needs \(nd) spatial dimensions")
            }
            requested = shape
        } else if autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER" {
            requested = (0..<nd).map { input[$0] * strides[$0] }
        }
        var output = [Int](repeating: 0, count: nd)
        for d in 0..<nd {
            let full = strides[d] * (input[d] - 1) + outputPadding[d] + (kernel[d] - 1) * dilations[d] + 1
            if let requested {
                guard requested[d] >= 0 else { throw ctx.fail("attribute 'output_shape' \(text(requested)) has a negative dimension") }
                // A requested size beyond the full result extends it with zeros at the end (onnxruntime
                // clamps the total padding at 0; the ONNX reference agrees for NOTSET).
                let total = max(0, full - requested[d])
                pads[d] = autoPad == "SAME_UPPER" ? total / 2 : total - total / 2
                pads[nd + d] = total - pads[d]
                output[d] = requested[d]
            } else {
                if autoPad == "VALID" { pads[d] = 0; pads[nd + d] = 0 }
                output[d] = full - pads[d] - pads[nd + d]
                guard output[d] >= 0 else {
                    throw ctx.fail("pads \(pads) leave no output along axis \(d) (full size \(full))")
                }
            }
        }
        if let b, b.shape != [m] { throw ctx.fail("bias B is \(text(b.shape)) but must be \(text([m]))") }
        let outShape = [n, m] + output
        _ = try elementCount(outShape, ctx, what: "the output")
        // The window relation runs from X positions (the grid) to output positions (the image).
        let geometry = SpatialGeometry(input: output, kernel: kernel, strides: strides, dilations: dilations,
                                       padBegin: Array(pads[0..<nd]), padEnd: Array(pads[nd...]), output: input)
        let problem = ConvProblem(n: n, c: c, m: m, group: group, geometry: geometry)
        switch kind {
        case .float:
            let y = transposedConvolve(x.floats, w.floats, b?.floats, problem)
            return [NDArray(elementType: x.elementType, shape: outShape, storage: .float(y))]
        case .double:
            let y = transposedConvolve(x.doubles, w.doubles, b?.doubles, problem)
            return [NDArray(elementType: x.elementType, shape: outShape, storage: .double(y))]
        }
    }

    /// The transposed convolution; `p.geometry.output` is X's spatial size, `.input` the output's.
    static func transposedConvolve<T: BLASFloat>(_ x: [T], _ w: [T], _ bias: [T]?, _ p: ConvProblem) -> [T] {
        let g = p.geometry
        let xCount = g.outputCount, yCount = g.inputCount, kCount = g.kernelCount
        let cg = p.inputChannelsPerGroup, mg = p.outputChannelsPerGroup
        let depth = mg * kCount
        var y = [T](repeating: 0, count: p.n * p.m * yCount)
        guard yCount > 0 else { return y }
        // Large layers compute a slice of the output channels at a time, so that the column buffer
        // stays within `bufferLimit` elements.
        let chunk = max(1, min(mg, p.bufferLimit / max(1, kCount * xCount)))
        // The gemm (beta 0) writes the rows of col that col2im reads, so it is not zero-filled first.
        let colCount = chunk * kCount * xCount
        var col = [T](unsafeUninitializedCapacity: colCount) { _, initialized in initialized = colCount }
        var index = [Int](repeating: 0, count: g.rank)
        let rows = windowRows(g)
        x.withUnsafeBufferPointer { xb in
            w.withUnsafeBufferPointer { wb in
                y.withUnsafeMutableBufferPointer { yb in
                    col.withUnsafeMutableBufferPointer { cb in
                        guard let x0 = xb.baseAddress, let w0 = wb.baseAddress, let y0 = yb.baseAddress,
                              let c0 = cb.baseAddress else { return }
                        for image in 0..<p.n {
                            for group in 0..<p.group {
                                for first in stride(from: 0, to: mg, by: chunk) {
                                    let count = min(chunk, mg - first)
                                    gemm(transA: true, transB: false, m: count * kCount, n: xCount, k: cg, alpha: 1,
                                         a: w0 + group * cg * depth + first * kCount, lda: depth,
                                         b: x0 + (image * p.c + group * cg) * xCount, ldb: xCount, beta: 0, c: c0, ldc: xCount)
                                    for oc in 0..<count {
                                        let plane = y0 + (image * p.m + group * mg + first + oc) * yCount
                                        for k in 0..<kCount {
                                            rows[k].scatterAdd(UnsafePointer(c0 + (oc * kCount + k) * xCount), into: plane, index: &index)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        if let bias { addChannelBias(&y, bias, images: p.n, channels: p.m, size: yCount) }
        return y
    }
}
