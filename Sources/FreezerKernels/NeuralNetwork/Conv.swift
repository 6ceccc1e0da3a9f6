import FreezerIR

extension NeuralNetworkOperators {
    /// Conv (1-D, 2-D, 3-D and beyond): X (N×C×D…), W (M×C/group×k…), optional bias B (M).
    ///
    /// Each image and group is one gemm `W_g (M/g × C/g·K) · col (C/g·K × outputs)` over an im2col
    /// buffer reused across images and groups; a 1×1 convolution without stride or padding reads X
    /// directly. Groups with a single input channel (depthwise convolution, as in MobileNet) are
    /// computed directly instead, since im2col would copy every input K times for a K-term dot product.
    static func conv(_ ctx: KernelContext) throws(EvaluationError) -> [NDArray?] {
        let (x, w, b, kind) = try convolutionInputs(ctx)
        let group = Int(clamping: ctx.int("group", default: 1))
        let n = x.shape[0], c = x.shape[1], m = w.shape[0]
        guard group >= 1, c % group == 0, m % group == 0, w.shape[1] == c / group else {
            throw ctx.fail("group \(group) does not fit X \(text(x.shape)) and W \(text(w.shape)): need C and M divisible by group and W.shape[1] == C/group")
        }
        let kernel = Array(w.shape[2...])
        try checkKernelShape(ctx, weightSpatial: kernel)
        let geometry = try spatialGeometry(ctx, input: Array(x.shape[2...]), kernel: kernel)
        if let b, b.shape != [m] { throw ctx.fail("bias B is \(text(b.shape)) but must be \(text([m]))") }
        let outShape = [n, m] + geometry.output
        _ = try elementCount(outShape, ctx, what: "the output")
        let problem = ConvProblem(n: n, c: c, m: m, group: group, geometry: geometry)
        switch kind {
        case .float:
            let y = convolve(x.floats, w.floats, b?.floats, problem)
            return [NDArray(elementType: x.elementType, shape: outShape, storage: .float(y))]
        case .double:
            let y = convolve(x.doubles, w.doubles, b?.doubles, problem)
            return [NDArray(elementType: x.elementType, shape: outShape, storage: .double(y))]
        }
    }

    /// Sizes of one convolution (also used, with roles swapped, by ConvTranspose).
    struct ConvProblem {
        var n: Int, c: Int, m: Int, group: Int
        var geometry: SpatialGeometry
        /// Most elements of the im2col/col2im buffer (tests lower it to exercise the slicing).
        var bufferLimit = NeuralNetworkOperators.im2colLimit
        /// False runs the general loops instead of the kernels specialised by shape (tests compare them).
        var specialisedKernels = true
        var inputChannelsPerGroup: Int { c / group }
        var outputChannelsPerGroup: Int { m / group }
    }

    static func convolve<T: BLASFloat>(_ x: [T], _ w: [T], _ bias: [T]?, _ p: ConvProblem) -> [T] {
        let total = p.n * p.m * p.geometry.outputCount
        guard p.geometry.outputCount > 0, !x.isEmpty, !w.isEmpty else {
            // Nothing to read (an empty image or no input channels): the sums are empty.
            var y = [T](repeating: 0, count: total)
            if let bias, total > 0 { addChannelBias(&y, bias, images: p.n, channels: p.m, size: p.geometry.outputCount) }
            return y
        }
        // Every path writes each element of y (the gemm with beta 0, the depthwise kernels row by row),
        // so y is not zero-filled first.
        return [T](unsafeUninitializedCapacity: total) { yb, initialized in
            x.withUnsafeBufferPointer { xb in
                w.withUnsafeBufferPointer { wb in
                    convolve(xb.baseAddress!, wb.baseAddress!, bias, into: yb.baseAddress!, p)
                }
            }
            initialized = total
        }
    }

    /// `convolve` on non-empty buffers; writes every element of `y0`.
    private static func convolve<T: BLASFloat>(_ x0: UnsafePointer<T>, _ w0: UnsafePointer<T>, _ bias: [T]?,
                                               into y0: UnsafeMutablePointer<T>, _ p: ConvProblem) {
        let g = p.geometry
        let inCount = g.inputCount, outCount = g.outputCount, kCount = g.kernelCount
        let cg = p.inputChannelsPerGroup, mg = p.outputChannelsPerGroup
        if cg == 1 && p.group > 1 && mg <= 2 {
            // Depthwise: y[m] = Σ_k w[m, k] · shifted x[group of m], then + bias.
            if g.rank == 2 { return depthwise2D(x0, w0, bias, y0, p) }
            var index = [Int](repeating: 0, count: g.rank)
            let rows = windowRows(g)
            for image in 0..<p.n {
                for oc in 0..<p.m {
                    let plane = x0 + (image * p.c + oc / mg) * inCount
                    let out = y0 + (image * p.m + oc) * outCount
                    out.update(repeating: 0, count: outCount)
                    for k in 0..<kCount {
                        rows[k].gatherAccumulate(plane, weight: w0[oc * kCount + k], into: out, index: &index)
                    }
                }
            }
            if let bias { addChannelBias(y0, bias, images: p.n, channels: p.m, size: outCount) }
            return
        }
        let pointwise = g.kernel.allSatisfy { $0 == 1 } && g.strides.allSatisfy { $0 == 1 }
            && g.padBegin.allSatisfy { $0 == 0 } && g.padEnd.allSatisfy { $0 == 0 }
        let depth = cg * kCount
        // Large layers gather a slice of the input channels at a time (accumulating the partial
        // products), so the im2col buffer stays within `bufferLimit` elements.
        let chunk = pointwise ? cg : max(1, min(cg, p.bufferLimit / max(1, kCount * outCount)))
        let colCount = pointwise ? 0 : chunk * kCount * outCount
        // Fully written by the gathers before each gemm reads it.
        var col = [T](unsafeUninitializedCapacity: colCount) { _, initialized in initialized = colCount }
        var index = [Int](repeating: 0, count: g.rank)
        let rows = pointwise ? [] : windowRows(g)
        let rows2D = g.rank == 2 ? rows.map(WindowRow2D.init) : []
        col.withUnsafeMutableBufferPointer { cb in
            for image in 0..<p.n {
                for group in 0..<p.group {
                    let planes = x0 + (image * p.c + group * cg) * inCount
                    let out = y0 + (image * p.m + group * mg) * outCount
                    if !pointwise && p.specialisedKernels,
                       T.nnPackedConv2D(planes, channels: cg, w0 + group * mg * depth, outputChannels: mg, geometry: g,
                                        into: out) {
                        // Packed straight from the image, without an im2col buffer.
                    } else if pointwise {
                        gemm(transA: false, transB: false, m: mg, n: outCount, k: depth, alpha: 1,
                             a: w0 + group * mg * depth, lda: depth, b: planes, ldb: outCount,
                             beta: 0, c: out, ldc: outCount)
                    } else if let c0 = cb.baseAddress {
                        for first in stride(from: 0, to: cg, by: chunk) {
                            let count = min(chunk, cg - first)
                            for ch in 0..<count {
                                let plane = planes + (first + ch) * inCount
                                for k in 0..<kCount {
                                    let dst = c0 + (ch * kCount + k) * outCount
                                    if rows2D.isEmpty {
                                        rows[k].gather(plane, into: dst, index: &index)
                                    } else {
                                        rows2D[k].gather(plane, into: dst)
                                    }
                                }
                            }
                            gemm(transA: false, transB: false, m: mg, n: outCount, k: count * kCount, alpha: 1,
                                 a: w0 + group * mg * depth + first * kCount, lda: depth, b: c0, ldb: outCount,
                                 beta: first == 0 ? 0 : 1, c: out, ldc: outCount)
                        }
                    }
                    // After the products, as before (adding the bias first would round differently),
                    // but per group, while the gemm's output is still partly in cache.
                    if let bias { addChannelBias(out, bias, firstChannel: group * mg, images: 1, channels: mg, size: outCount) }
                }
            }
        }
    }

    /// The im2col/col2im relation of each kernel position of `g`, in row-major kernel order.
    static func windowRows(_ g: SpatialGeometry) -> [WindowRow] {
        (0..<g.kernelCount).map {
            WindowRow(image: g.input, grid: g.output, strides: g.strides, offsets: g.offsets(kernelIndex: $0))
        }
    }

    /// Most elements an im2col buffer holds (32 MB of Float).
    static let im2colLimit = 1 << 23

    /// `y[n, c, …] += bias[firstChannel + c]`.
    static func addChannelBias<T: BLASFloat>(_ y: UnsafeMutablePointer<T>, _ bias: [T], firstChannel: Int = 0,
                                             images: Int, channels: Int, size: Int) {
        for image in 0..<images {
            for ch in 0..<channels {
                let v = bias[firstChannel + ch]
                let plane = y + (image * channels + ch) * size
                for i in 0..<size { plane[i] += v }
            }
        }
    }
}
