extension NeuralNetworkOperators {
    /// The kernel columns of a 2-D window: for each, the offset of its read from `o * stride` in an
    /// input row and the output columns `o` whose read lies in the image. `interior` is the output
    /// columns where every kernel column's read does, so loops over it need no bounds test; the
    /// `border` columns (usually a few at each end) check each read.
    struct WindowColumns {
        var offsets: [Int]
        var ranges: [Range<Int>]
        var interior: Range<Int>
        var border: [Range<Int>]

        init(_ g: SpatialGeometry) {
            let w = g.input[1], ow = g.output[1], sx = g.strides[1]
            offsets = (0..<g.kernel[1]).map { $0 * g.dilations[1] - g.padBegin[1] }
            ranges = offsets.map { inRangePositions(offset: $0, stride: sx, size: w, count: ow) }
            let lo = ranges.map(\.lowerBound).max() ?? 0, hi = ranges.map(\.upperBound).min() ?? 0
            interior = lo < hi ? lo..<hi : 0..<0
            border = [0..<interior.lowerBound, interior.upperBound..<ow]
        }
    }

    /// The kernel rows of output row `oy` whose input row lies in the image (contiguous, in order).
    static func kernelRows(_ g: SpatialGeometry, outputRow oy: Int) -> Range<Int> {
        inRangePositions(offset: oy * g.strides[0] - g.padBegin[0], stride: g.dilations[0], size: g.input[0], count: g.kernel[0])
    }

    /// MaxPool on two spatial axes, one output row at a time: for each kernel position in row-major
    /// order, one pass over the interior columns; border columns walk their window element by element.
    ///
    /// Same semantics as `maxPoolWindows`: the first in-image element of a window is taken as it is
    /// (so a leading NaN stays), later ones replace it only when strictly greater (ties keep the first),
    /// and a window wholly in the padding gives `nnLowest`.
    static func maxPool2D<T: PoolValue>(_ x: [T], planes: Int, _ g: SpatialGeometry) -> [T] {
        let h = g.input[0], w = g.input[1], oh = g.output[0], ow = g.output[1]
        let sy = g.strides[0], sx = g.strides[1], dy = g.dilations[0], top = g.padBegin[0]
        let cols = WindowColumns(g)
        let count = planes * oh * ow
        // Every element is written below, so the output is not filled first.
        return [T](unsafeUninitializedCapacity: count) { yb, initialized in
            guard let y0 = yb.baseAddress else { return }
            x.withUnsafeBufferPointer { xb in
                guard let x0 = xb.baseAddress else {
                    y0.initialize(repeating: .nnLowest, count: count)   // empty image: every window is padding
                    return
                }
                for plane in 0..<planes {
                    let src = x0 + plane * h * w
                    for oy in 0..<oh {
                        let out = y0 + (plane * oh + oy) * ow
                        let rows = kernelRows(g, outputRow: oy)
                        guard !rows.isEmpty else {
                            out.initialize(repeating: .nnLowest, count: ow)
                            continue
                        }
                        let rowStart = oy * sy - top
                        var first = true
                        for ky in rows {
                            let line = src + (rowStart + ky * dy) * w
                            for offset in cols.offsets {
                                // Constant strides let the compiler vectorise the common cases.
                                switch sx {
                                case 1: maxPass(out, line + offset, cols.interior, stride: 1, first: first)
                                case 2: maxPass(out, line + offset, cols.interior, stride: 2, first: first)
                                default: maxPass(out, line + offset, cols.interior, stride: sx, first: first)
                                }
                                first = false
                            }
                        }
                        for range in cols.border {
                            for o in range {
                                var best = T.nnLowest
                                var taken = false
                                for ky in rows {
                                    let line = src + (rowStart + ky * dy) * w + o * sx
                                    for kx in cols.offsets.indices where cols.ranges[kx].contains(o) {
                                        let v = line[cols.offsets[kx]]
                                        if !taken || v > best { best = v; taken = true }
                                    }
                                }
                                out[o] = best
                            }
                        }
                    }
                }
            }
            initialized = count
        }
    }

    /// One kernel position of `maxPool2D` over columns `r`: the first position copies, the others keep
    /// the earlier value unless the new one is strictly greater. (`&*`: an overflow check would keep
    /// the strided loads from vectorising; `o * s` is an in-image position.)
    @inline(__always)
    private static func maxPass<T: PoolValue>(_ out: UnsafeMutablePointer<T>, _ src: UnsafePointer<T>, _ r: Range<Int>,
                                              stride s: Int, first: Bool) {
        if first {
            for o in r { out[o] = src[o &* s] }
        } else {
            for o in r {
                let v = src[o &* s], b = out[o]
                out[o] = v > b ? v : b
            }
        }
    }

    /// AveragePool on two spatial axes, one output row at a time, like `maxPool2D`: the interior
    /// columns' sums are accumulated in a Double row. Each window is summed from 0 in row-major order
    /// and divided once, as in `averagePoolWindows`, so the results are the same bit for bit.
    static func averagePool2D<T: BLASFloat>(_ x: [T], planes: Int, _ g: SpatialGeometry, includePad: Bool) -> [T] {
        let h = g.input[0], w = g.input[1], oh = g.output[0], ow = g.output[1]
        let sy = g.strides[0], sx = g.strides[1], dy = g.dilations[0], top = g.padBegin[0]
        let cols = WindowColumns(g)
        // Per output column: the kernel columns inside the image, and inside the padded extent.
        let insideX = (0..<ow).map { o in cols.ranges.reduce(0) { $0 + ($1.contains(o) ? 1 : 0) } }
        let paddedX = (0..<ow).map { o in cols.offsets.reduce(0) { $0 + (o * sx + $1 < w + g.padEnd[1] ? 1 : 0) } }
        var sums = [Double](repeating: 0, count: ow)
        let count = planes * oh * ow
        // Every element is written below, so the output is not filled first.
        return [T](unsafeUninitializedCapacity: count) { yb, initialized in
            guard let y0 = yb.baseAddress else { return }
            x.withUnsafeBufferPointer { xb in
                sums.withUnsafeMutableBufferPointer { sb in
                    // An empty image has only empty windows; any pointer serves, as nothing is read.
                    let x0 = xb.baseAddress ?? UnsafePointer(y0)
                    guard let acc = sb.baseAddress else { return }
                    for plane in 0..<planes {
                        let src = x0 + plane * h * w
                        for oy in 0..<oh {
                            let out = y0 + (plane * oh + oy) * ow
                            let rows = kernelRows(g, outputRow: oy)
                            let rowStart = oy * sy - top
                            var paddedY = 0
                            for ky in 0..<g.kernel[0] where rowStart + ky * dy < h + g.padEnd[0] { paddedY += 1 }
                            for o in cols.interior { acc[o] = 0 }
                            for ky in rows {
                                let line = src + (rowStart + ky * dy) * w
                                for offset in cols.offsets {
                                    switch sx {
                                    case 1: sumPass(acc, line + offset, cols.interior, stride: 1)
                                    case 2: sumPass(acc, line + offset, cols.interior, stride: 2)
                                    default: sumPass(acc, line + offset, cols.interior, stride: sx)
                                    }
                                }
                            }
                            for o in cols.interior {
                                out[o] = T(acc[o] / Double(includePad ? paddedY * paddedX[o] : rows.count * insideX[o]))
                            }
                            for range in cols.border {
                                for o in range {
                                    var sum = 0.0
                                    for ky in rows {
                                        let line = src + (rowStart + ky * dy) * w + o * sx
                                        for kx in cols.offsets.indices where cols.ranges[kx].contains(o) {
                                            sum += Double(line[cols.offsets[kx]])
                                        }
                                    }
                                    out[o] = T(sum / Double(includePad ? paddedY * paddedX[o] : rows.count * insideX[o]))
                                }
                            }
                        }
                    }
                }
            }
            initialized = count
        }
    }

    /// One kernel position of `averagePool2D` over columns `r`.
    @inline(__always)
    private static func sumPass<T: BLASFloat>(_ acc: UnsafeMutablePointer<Double>, _ src: UnsafePointer<T>, _ r: Range<Int>,
                                              stride s: Int) {
        for o in r { acc[o] += Double(src[o &* s]) }
    }
}
