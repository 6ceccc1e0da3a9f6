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
        var inputChannelsPerGroup: Int { c / group }
        var outputChannelsPerGroup: Int { m / group }
    }

    static func convolve<T: BLASFloat>(_ x: [T], _ w: [T], _ bias: [T]?, _ p: ConvProblem) -> [T] {
        let g = p.geometry
        let inCount = g.inputCount, outCount = g.outputCount, kCount = g.kernelCount
        let cg = p.inputChannelsPerGroup, mg = p.outputChannelsPerGroup
        var y = [T](repeating: 0, count: p.n * p.m * outCount)
        guard outCount > 0 else { return y }
        var index = [Int](repeating: 0, count: g.rank)
        let rows = (0..<kCount).map {
            WindowRow(image: g.input, grid: g.output, strides: g.strides, offsets: g.offsets(kernelIndex: $0))
        }
        x.withUnsafeBufferPointer { xb in
            w.withUnsafeBufferPointer { wb in
                y.withUnsafeMutableBufferPointer { yb in
                    guard let x0 = xb.baseAddress, let w0 = wb.baseAddress, let y0 = yb.baseAddress else { return }
                    if cg == 1 && p.group > 1 && mg <= 2 {
                        // Depthwise: y[m] = Σ_k w[m, k] · shifted x[group of m], then + bias.
                        if g.rank == 2 {
                            depthwise2D(x0, w0, y0, p, rows)
                            return
                        }
                        for image in 0..<p.n {
                            for oc in 0..<p.m {
                                let plane = x0 + (image * p.c + oc / mg) * inCount
                                let out = y0 + (image * p.m + oc) * outCount
                                for k in 0..<kCount {
                                    rows[k].gatherAccumulate(plane, weight: w0[oc * kCount + k], into: out, index: &index)
                                }
                            }
                        }
                        return
                    }
                    let pointwise = g.kernel.allSatisfy { $0 == 1 } && g.strides.allSatisfy { $0 == 1 }
                        && g.padBegin.allSatisfy { $0 == 0 } && g.padEnd.allSatisfy { $0 == 0 }
                    let depth = cg * kCount
                    // Large layers gather a slice of the input channels at a time (accumulating the
                    // partial products), so the im2col buffer stays within `bufferLimit` elements.
                    let chunk = pointwise ? cg : max(1, min(cg, p.bufferLimit / max(1, kCount * outCount)))
                    var col = [T](repeating: 0, count: pointwise ? 0 : chunk * kCount * outCount)
                    col.withUnsafeMutableBufferPointer { cb in
                        for image in 0..<p.n {
                            for group in 0..<p.group {
                                let planes = x0 + (image * p.c + group * cg) * inCount
                                let out = y0 + (image * p.m + group * mg) * outCount
                                if pointwise {
                                    gemm(transA: false, transB: false, m: mg, n: outCount, k: depth, alpha: 1,
                                         a: w0 + group * mg * depth, lda: depth, b: planes, ldb: outCount,
                                         beta: 0, c: out, ldc: outCount)
                                    continue
                                }
                                guard let c0 = cb.baseAddress else { return }
                                for first in stride(from: 0, to: cg, by: chunk) {
                                    let count = min(chunk, cg - first)
                                    for ch in 0..<count {
                                        for k in 0..<kCount {
                                            rows[k].gather(planes + (first + ch) * inCount, into: c0 + (ch * kCount + k) * outCount, index: &index)
                                        }
                                    }
                                    gemm(transA: false, transB: false, m: mg, n: outCount, k: count * kCount, alpha: 1,
                                         a: w0 + group * mg * depth + first * kCount, lda: depth, b: c0, ldb: outCount,
                                         beta: first == 0 ? 0 : 1, c: out, ldc: outCount)
                                }
                            }
                        }
                    }
                }
            }
        }
        if let bias { addChannelBias(&y, bias, images: p.n, channels: p.m, size: outCount) }
        return y
    }

    /// The depthwise convolution of `convolve` for two spatial axes, one output row at a time (the row
    /// stays in L1 while every kernel position adds into it). Each output element accumulates the kernel
    /// positions in the same order as the general path, so the results are the same bit for bit.
    private static func depthwise2D<T: BLASFloat>(_ x0: UnsafePointer<T>, _ w0: UnsafePointer<T>,
                                                  _ y0: UnsafeMutablePointer<T>, _ p: ConvProblem, _ rows: [WindowRow]) {
        let g = p.geometry
        let h = g.input[0], w = g.input[1], oh = g.output[0], ow = g.output[1]
        let sy = g.strides[0], sx = g.strides[1]
        let kCount = rows.count, mg = p.outputChannelsPerGroup
        // Per kernel position: row and column offsets, and the in-range output columns [lo, hi).
        var offY = [Int](), offX = [Int](), lo = [Int](), hi = [Int]()
        for row in rows {
            let off = row.offsets[1]
            let l0 = off >= 0 ? 0 : (-off + sx - 1) / sx
            let h0 = w - off > 0 ? (w - off + sx - 1) / sx : 0
            let l = min(max(l0, 0), ow)
            offY.append(row.offsets[0]); offX.append(off); lo.append(l); hi.append(min(max(h0, l), ow))
        }
        for image in 0..<p.n {
            for oc in 0..<p.m {
                let plane = x0 + (image * p.c + oc / mg) * h * w
                let out = y0 + (image * p.m + oc) * oh * ow
                let weights = w0 + oc * kCount
                for oy in 0..<oh {
                    let orow = out + oy * ow
                    for k in 0..<kCount {
                        let iy = oy * sy + offY[k]
                        guard iy >= 0, iy < h, lo[k] < hi[k] else { continue }
                        let wv = weights[k]
                        let base = plane + iy * w + offX[k]
                        if sx == 1 {
                            for o in lo[k]..<hi[k] { orow[o] += wv * base[o] }
                        } else {
                            var src = base + lo[k] &* sx
                            for o in lo[k]..<hi[k] {
                                orow[o] += wv * src.pointee
                                src += sx
                            }
                        }
                    }
                }
            }
        }
    }

    /// Most elements an im2col buffer holds (32 MB of Float).
    static let im2colLimit = 1 << 23

    /// `y[n, c, …] += bias[c]`.
    static func addChannelBias<T: BLASFloat>(_ y: inout [T], _ bias: [T], images: Int, channels: Int, size: Int) {
        y.withUnsafeMutableBufferPointer { yb in
            for image in 0..<images {
                for ch in 0..<channels {
                    let v = bias[ch]
                    let base = (image * channels + ch) * size
                    for i in base..<(base + size) { yb[i] += v }
                }
            }
        }
    }
}
