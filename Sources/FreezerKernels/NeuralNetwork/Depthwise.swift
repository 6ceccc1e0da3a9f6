extension NeuralNetworkOperators {
    /// The depthwise convolution of `convolve` for two spatial axes (every element of `y0` is written,
    /// bias included). Each output element is `((0 + w[k₀]·x) + w[k₁]·x) + …` over the in-image kernel
    /// positions in row-major order, then `+ bias`: the order of the N-d path, so every path gives
    /// the same bits.
    static func depthwise2D<T: BLASFloat>(_ x0: UnsafePointer<T>, _ w0: UnsafePointer<T>, _ bias: [T]?,
                                          _ y0: UnsafeMutablePointer<T>, _ p: ConvProblem) {
        let g = p.geometry
        if p.specialisedKernels && g.kernel == [3, 3] {
            depthwise3x3(x0, w0, bias, y0, p)
        } else {
            depthwiseRows(x0, w0, bias, y0, p)
        }
    }

    /// Any kernel size, one output row at a time (the row stays in L1 while every kernel position adds
    /// into it).
    private static func depthwiseRows<T: BLASFloat>(_ x0: UnsafePointer<T>, _ w0: UnsafePointer<T>, _ bias: [T]?,
                                                    _ y0: UnsafeMutablePointer<T>, _ p: ConvProblem) {
        let g = p.geometry
        let h = g.input[0], w = g.input[1], oh = g.output[0], ow = g.output[1]
        let sy = g.strides[0], sx = g.strides[1]
        let kCount = g.kernelCount, mg = p.outputChannelsPerGroup
        // Per kernel position: row and column offsets, and the in-range output columns.
        var offY = [Int](), offX = [Int](), cols = [Range<Int>]()
        for k in 0..<kCount {
            let off = g.offsets(kernelIndex: k)
            offY.append(off[0]); offX.append(off[1])
            cols.append(inRangePositions(offset: off[1], stride: sx, size: w, count: ow))
        }
        for image in 0..<p.n {
            for oc in 0..<p.m {
                let plane = x0 + (image * p.c + oc / mg) * h * w
                let out = y0 + (image * p.m + oc) * oh * ow
                let weights = w0 + oc * kCount
                for oy in 0..<oh {
                    let orow = out + oy * ow
                    orow.update(repeating: 0, count: ow)
                    for k in 0..<kCount {
                        let iy = oy * sy + offY[k]
                        guard iy >= 0, iy < h, !cols[k].isEmpty else { continue }
                        let wv = weights[k]
                        let base = plane + iy * w + offX[k]
                        if sx == 1 {
                            for o in cols[k] { orow[o] += wv * base[o] }
                        } else {
                            var src = base + cols[k].lowerBound &* sx
                            for o in cols[k] {
                                orow[o] += wv * src.pointee
                                src += sx
                            }
                        }
                    }
                    if let b = bias?[oc] {
                        for o in 0..<ow { orow[o] += b }
                    }
                }
            }
        }
    }

    /// A 3×3 kernel (MobileNet's), any stride, padding and dilation.
    ///
    /// Each input plane is first copied into a zero-padded scratch plane whose rows are split by column
    /// phase (padded column c goes to phase `c % stride`, position `c / stride`), so every kernel
    /// position reads consecutive elements for consecutive outputs: the loops need neither bounds tests
    /// nor strided loads, and vectorise. Each output's nine products are summed in a register, in
    /// row-major order from 0, then the bias is added. The padding adds w·0 = ±0 terms, which leave the
    /// sum unchanged (a sum that starts at +0 is never −0), so the bits are those of `depthwiseRows`;
    /// an infinite or NaN weight (w·0 = NaN) sends the layer there instead.
    private static func depthwise3x3<T: BLASFloat>(_ x0: UnsafePointer<T>, _ w0: UnsafePointer<T>, _ bias: [T]?,
                                                   _ y0: UnsafeMutablePointer<T>, _ p: ConvProblem) {
        guard UnsafeBufferPointer(start: w0, count: p.m * 9).allSatisfy({ $0.isFinite }) else {
            return depthwiseRows(x0, w0, bias, y0, p)
        }
        let g = p.geometry
        let h = g.input[0], w = g.input[1], oh = g.output[0], ow = g.output[1]
        let sy = g.strides[0], sx = g.strides[1], dy = g.dilations[0], dx = g.dilations[1]
        let top = g.padBegin[0], left = g.padBegin[1], mg = p.outputChannelsPerGroup
        let phaseLength = (w + left + g.padEnd[1] + sx - 1) / sx
        let rowLength = sx * phaseLength
        // Where kernel column kx reads output column 0 within a scratch row.
        let columns = (0..<3).map { kx in (kx * dx % sx) * phaseLength + kx * dx / sx }
        // Per phase: the positions that hold image columns (the rest stay zero, as padding).
        let phaseRanges = (0..<sx).map { inRangePositions(offset: $0 - left, stride: sx, size: w, count: phaseLength) }
        var scratch = [T](repeating: 0, count: (h + top + g.padEnd[0]) * rowLength)
        scratch.withUnsafeMutableBufferPointer { sb in
            guard let s0 = sb.baseAddress else { return }
            for image in 0..<p.n {
                for ic in 0..<p.c {
                    let plane = x0 + (image * p.c + ic) * h * w
                    for iy in 0..<h {
                        let row = s0 + (iy + top) * rowLength
                        guard sx > 1 else {
                            (row + left).update(from: plane + iy * w, count: w)
                            continue
                        }
                        for (phase, range) in phaseRanges.enumerated() where !range.isEmpty {
                            let dst = row + phase * phaseLength
                            var src = plane + iy * w + (phase + range.lowerBound * sx - left)
                            for j in range {
                                dst[j] = src.pointee
                                src += sx
                            }
                        }
                    }
                    for oc in (ic * mg)..<((ic + 1) * mg) {
                        let out = y0 + (image * p.m + oc) * oh * ow
                        let weights = w0 + oc * 9
                        let b = bias?[oc]
                        for oy in 0..<oh {
                            let r0 = UnsafePointer(s0 + oy * sy * rowLength)
                            let r1: UnsafePointer<T> = r0 + dy * rowLength, r2: UnsafePointer<T> = r1 + dy * rowLength
                            depthwiseRow3x3(out + oy * ow, (r0, r1, r2), columns, weights, ow, bias: b)
                        }
                    }
                }
            }
        }
    }

    /// One output row of `depthwise3x3` from its three scratch rows.
    @inline(__always)
    private static func depthwiseRow3x3<T: BLASFloat>(_ out: UnsafeMutablePointer<T>,
                                                      _ rows: (UnsafePointer<T>, UnsafePointer<T>, UnsafePointer<T>),
                                                      _ columns: [Int], _ k: UnsafePointer<T>, _ count: Int, bias: T?) {
        let a0 = rows.0 + columns[0], a1 = rows.0 + columns[1], a2 = rows.0 + columns[2]
        let b0 = rows.1 + columns[0], b1 = rows.1 + columns[1], b2 = rows.1 + columns[2]
        let c0 = rows.2 + columns[0], c1 = rows.2 + columns[1], c2 = rows.2 + columns[2]
        let k0 = k[0], k1 = k[1], k2 = k[2], k3 = k[3], k4 = k[4], k5 = k[5], k6 = k[6], k7 = k[7], k8 = k[8]
        @inline(__always) func sum(_ i: Int) -> T {
            var acc: T = 0
            acc += k0 * a0[i]; acc += k1 * a1[i]; acc += k2 * a2[i]
            acc += k3 * b0[i]; acc += k4 * b1[i]; acc += k5 * b2[i]
            acc += k6 * c0[i]; acc += k7 * c1[i]; acc += k8 * c2[i]
            return acc
        }
        if let bias {
            for o in 0..<count { out[o] = sum(o) + bias }
        } else {
            for o in 0..<count { out[o] = sum(o) }
        }
    }
}
