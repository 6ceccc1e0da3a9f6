import FreezerIR

extension VisionSignalOperators {
    /// DeformConv (19, 22): convolution whose kernel taps are displaced by learned offsets.
    ///
    /// X [N, C, D1…Dr], W [oC, C/group, k1…kr], offset [N, offset_group·∏k·r, O1…Or], optional B [oC] and
    /// mask [N, offset_group·∏k, O1…Or]. Tap k of output position o reads input channel c (offset group
    /// ⌊c / (C/offset_group)⌋ = g) at o·strides − pads_begin + k·dilations + offset[n, (g·∏k + k)·r + i, o]
    /// along each dimension i, by N-linear interpolation in which positions outside X read 0, scaled by
    /// mask[n, g·∏k + k, o] (default 1). Y[n, m, o] = B[m] + Σ W[m, c', k]·sample(c, k, o) over the input
    /// channels c of m's group. O_i = ⌊(D_i + pads − dilation·(k_i − 1) − 1)/stride⌋ + 1 must be offset's dims.
    static func deformConv(_ ctx: KernelContext) throws(EvaluationError) -> [NDArray?] {
        let (x, xv) = try floatInput(ctx, 0, "X")
        let (w, wv) = try floatInput(ctx, 1, "W")
        let (offset, ov) = try floatInput(ctx, 2, "offset")
        let bias = ctx.optionalInput(3) != nil ? try floatInput(ctx, 3, "B").values : nil
        let maskInput = ctx.optionalInput(4) != nil ? try floatInput(ctx, 4, "mask") : nil
        let r = x.rank - 2
        guard r >= 1, w.rank == x.rank, offset.rank == x.rank else {
            throw ctx.fail("X, W and offset must have one rank ≥ 3, got \(text(x.shape)), \(text(w.shape)), \(text(offset.shape))")
        }
        let n = x.shape[0], channels = x.shape[1], dims = Array(x.shape[2...])
        let outChannels = w.shape[0]
        let kernel = try intList(ctx, "kernel_shape", count: r, default: 0, minimum: 1)
        let kernelDims = ctx.ints("kernel_shape") == nil ? Array(w.shape[2...]) : kernel
        guard kernelDims == Array(w.shape[2...]) else { throw ctx.fail("kernel_shape \(kernelDims) differs from W's \(text(w.shape))") }
        let dilations = try intList(ctx, "dilations", count: r, default: 1, minimum: 1)
        let strides = try intList(ctx, "strides", count: r, default: 1, minimum: 1)
        let pads = try intList(ctx, "pads", count: 2 * r, default: 0, minimum: 0)
        let group = Int(ctx.int("group", default: 1)), offsetGroup = Int(ctx.int("offset_group", default: 1))
        guard group >= 1, offsetGroup >= 1, channels % group == 0, outChannels % group == 0, w.shape[1] == channels / group,
              channels % offsetGroup == 0 else {
            throw ctx.fail("group \(group) and offset_group \(offsetGroup) must divide C = \(channels) (and oC = \(outChannels)), with W [oC, C/group, …], got \(text(w.shape))")
        }
        let taps = kernelDims.reduce(1, *)
        var outDims: [Int] = []
        for i in 0..<r {
            let span = dims[i] + pads[i] + pads[r + i] - dilations[i] * (kernelDims[i] - 1) - 1
            guard span >= 0 else { throw ctx.fail("the dilated kernel \(kernelDims) does not fit X \(text(x.shape)) with pads \(pads)") }
            outDims.append(span / strides[i] + 1)
        }
        guard offset.shape == [n, offsetGroup * taps * r] + outDims else {
            throw ctx.fail("offset must be \(text([n, offsetGroup * taps * r] + outDims)), got \(text(offset.shape))")
        }
        if let maskInput { guard maskInput.array.shape == [n, offsetGroup * taps] + outDims else {
            throw ctx.fail("mask must be \(text([n, offsetGroup * taps] + outDims)), got \(text(maskInput.array.shape))")
        } }
        if let bias { guard bias.count == outChannels else { throw ctx.fail("B must have \(outChannels) values, got \(bias.count)") } }
        let positions = outDims.reduce(1, *), plane = dims.reduce(1, *)
        let outStrides = NDArray.strides(of: outDims), inStrides = NDArray.strides(of: dims), kernelStrides = NDArray.strides(of: kernelDims)
        let perGroup = channels / group, outPerGroup = outChannels / group, perOffsetGroup = channels / offsetGroup
        let shape = [n, outChannels] + outDims
        var out = [Double](repeating: 0, count: try IndexInputs.count(shape, ctx, "output"))
        var columns = [Double](repeating: 0, count: channels * taps * positions)
        for b in 0..<n {
            for g in 0..<offsetGroup {
                for k in 0..<taps {
                    for p in 0..<positions {
                        // The sampling point's N-linear neighbours, as (offset in the plane, weight).
                        var neighbours: [(Int, Double)] = [(0, maskInput.map { $0.values[((b * offsetGroup + g) * taps + k) * positions + p] } ?? 1)]
                        for i in 0..<r {
                            let o = (p / outStrides[i]) % outDims[i], kk = (k / kernelStrides[i]) % kernelDims[i]
                            let v = Double(o * strides[i] - pads[i] + kk * dilations[i])
                                + ov[(((b * offsetGroup + g) * taps + k) * r + i) * positions + p]
                            guard v.isFinite, v > -2, v < Double(dims[i] + 1) else { neighbours = []; break }
                            let f = v.rounded(.down), t = v - f, i0 = Int(f)
                            var next: [(Int, Double)] = []
                            for (at, weight) in neighbours {
                                if i0 >= 0 && i0 < dims[i] { next.append((at + i0 * inStrides[i], weight * (1 - t))) }
                                if i0 + 1 >= 0 && i0 + 1 < dims[i] { next.append((at + (i0 + 1) * inStrides[i], weight * t)) }
                            }
                            neighbours = next
                        }
                        for c in (g * perOffsetGroup)..<((g + 1) * perOffsetGroup) {
                            let base = (b * channels + c) * plane
                            var sum = 0.0
                            for (at, weight) in neighbours { sum += weight * xv[base + at] }
                            columns[(c * taps + k) * positions + p] = sum
                        }
                    }
                }
            }
            for m in 0..<outChannels {
                let gi = m / outPerGroup
                let row = (b * outChannels + m) * positions
                for p in 0..<positions { out[row + p] = bias?[m] ?? 0 }
                for cc in 0..<perGroup {
                    let c = gi * perGroup + cc
                    for k in 0..<taps {
                        let weight = wv[(m * perGroup + cc) * taps + k]
                        let column = (c * taps + k) * positions
                        for p in 0..<positions { out[row + p] += weight * columns[column + p] }
                    }
                }
            }
        }
        return [result(out, shape: shape, like: x)]
    }
}
