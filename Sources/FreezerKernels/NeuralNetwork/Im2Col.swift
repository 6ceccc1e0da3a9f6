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
            let s = strides[last], off = offsets[last], size = image[last], n = grid[last]
            // o * s + off in [0, size)  ⇔  o in [ceil(-off / s), ceil((size - off) / s)).
            let lo = off >= 0 ? 0 : (-off + s - 1) / s
            let hi = size - off > 0 ? (size - off + s - 1) / s : 0
            let l = min(max(lo, 0), n), h = min(max(hi, l), n)
            return l..<h
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
}
