extension NeuralNetworkOperators {
    /// The index relation of one kernel position in a strided, padded window: position `o` of the
    /// sliding grid (`grid`) touches position `o * stride + offset` of the image (`image`), per axis.
    ///
    /// Convolution reads the image (im2col: `gather`); transposed convolution writes it (col2im:
    /// `scatterAdd`). Both walk the grid with an odometer over the leading axes and a tight loop over
    /// the last axis, whose in-range part is computed once per kernel position.
    struct WindowRow {
        var image: [Int]
        var grid: [Int]
        var strides: [Int]
        var offsets: [Int]

        private var lastRange: Range<Int> {
            let last = image.count - 1
            return inRangePositions(offset: offsets[last], stride: strides[last], size: image[last], count: grid[last])
        }

        /// Visits each run of the last grid axis: its start in the grid, and the start of the image row
        /// it reads (nil when a leading-axis coordinate falls in the padding).
        private func forEachRun(_ index: inout [Int], _ body: (Int, Int?) -> Void) {
            let nd = image.count
            let outer = grid[0..<(nd - 1)].reduce(1, *)
            let width = grid[nd - 1], imageWidth = image[nd - 1]
            for d in 0..<index.count { index[d] = 0 }
            var gridStart = 0
            for _ in 0..<outer {
                var row = 0
                var valid = true
                for d in 0..<(nd - 1) {
                    let i = index[d] * strides[d] + offsets[d]
                    if i < 0 || i >= image[d] { valid = false; break }
                    row = row * image[d] + i
                }
                body(gridStart, valid ? row * imageWidth : nil)
                gridStart += width
                var d = nd - 2
                while d >= 0 {
                    index[d] += 1
                    if index[d] < grid[d] { break }
                    index[d] = 0
                    d -= 1
                }
            }
        }

        /// `dst[o] = src[o * stride + offset]`, or 0 where that falls in the padding.
        /// `index` is scratch space of at least `rank - 1` elements, reused across calls.
        func gather<T: BLASFloat>(_ src: UnsafePointer<T>, into dst: UnsafeMutablePointer<T>, index: inout [Int]) {
            if image.count == 2 { return WindowRow2D(self).gather(src, into: dst) }
            let last = image.count - 1
            let width = grid[last], s = strides[last], off = offsets[last]
            let r = lastRange
            forEachRun(&index) { start, row in
                let out = dst + start
                guard let row else {
                    out.update(repeating: 0, count: width)
                    return
                }
                if r.lowerBound > 0 { out.update(repeating: 0, count: r.lowerBound) }
                let base = src + row + off
                if s == 1 {
                    (out + r.lowerBound).update(from: base + r.lowerBound, count: r.count)
                } else {
                    for o in r { out[o] = base[o * s] }
                }
                if r.upperBound < width { (out + r.upperBound).update(repeating: 0, count: width - r.upperBound) }
            }
        }

        /// `dst[o] += weight * src[o * stride + offset]` over in-range positions (a fused gather+axpy,
        /// for the direct depthwise convolution).
        func gatherAccumulate<T: BLASFloat>(_ src: UnsafePointer<T>, weight: T, into dst: UnsafeMutablePointer<T>, index: inout [Int]) {
            let last = image.count - 1
            let s = strides[last], off = offsets[last]
            let r = lastRange
            guard !r.isEmpty else { return }
            forEachRun(&index) { start, row in
                guard let row else { return }
                let out = dst + start
                let base = src + row + off
                for o in r { out[o] += weight * base[o * s] }
            }
        }

        /// `dst[o * stride + offset] += src[o]` over in-range positions (col2im for one kernel position).
        func scatterAdd<T: BLASFloat>(_ src: UnsafePointer<T>, into dst: UnsafeMutablePointer<T>, index: inout [Int]) {
            let last = image.count - 1
            let s = strides[last], off = offsets[last]
            let r = lastRange
            guard !r.isEmpty else { return }
            forEachRun(&index) { start, row in
                guard let row else { return }
                let input = src + start
                let base = dst + row + off
                for o in r { base[o * s] += input[o] }
            }
        }
    }

    /// A `WindowRow` of two axes, in plain integers: convolve calls `gather` thousands of times per
    /// layer, and copying a `WindowRow` out of an array retains and releases its four arrays each time.
    struct WindowRow2D {
        var imageHeight: Int, imageWidth: Int, gridHeight: Int, gridWidth: Int
        var strideY: Int, strideX: Int, offsetY: Int, offsetX: Int

        init(_ row: WindowRow) {
            (imageHeight, imageWidth) = (row.image[0], row.image[1])
            (gridHeight, gridWidth) = (row.grid[0], row.grid[1])
            (strideY, strideX) = (row.strides[0], row.strides[1])
            (offsetY, offsetX) = (row.offsets[0], row.offsets[1])
        }

        /// `WindowRow.gather`, one grid row at a time without the odometer (the rows are short, so the
        /// per-row overhead matters).
        func gather<T: BLASFloat>(_ src: UnsafePointer<T>, into dst: UnsafeMutablePointer<T>) {
            let width = gridWidth, s = strideX
            let r = inRangePositions(offset: offsetX, stride: s, size: imageWidth, count: width)
            let rows = inRangePositions(offset: offsetY, stride: strideY, size: imageHeight, count: gridHeight)
            dst.update(repeating: 0, count: rows.lowerBound * width)
            for oy in rows {
                let out = dst + oy * width
                let base = src + (oy * strideY + offsetY) * imageWidth + offsetX + r.lowerBound * s
                out.update(repeating: 0, count: r.lowerBound)
                switch s {
                case 1: (out + r.lowerBound).update(from: base, count: r.count)
                case 2: copyStrided(base, stride: 2, into: out + r.lowerBound, count: r.count)
                default: copyStrided(base, stride: s, into: out + r.lowerBound, count: r.count)
                }
                (out + r.upperBound).update(repeating: 0, count: width - r.upperBound)
            }
            (dst + rows.upperBound * width).update(repeating: 0, count: (gridHeight - rows.upperBound) * width)
        }

        /// `dst[i] = src[i * stride]` for `i < count`.
        @inline(__always)
        private func copyStrided<T>(_ src: UnsafePointer<T>, stride s: Int, into dst: UnsafeMutablePointer<T>, count: Int) {
            for i in 0..<count { dst[i] = src[i &* s] }
        }
    }
}
