/// Copies of strided views (Transpose, Slice, Split, Expand, Tile) straight into a fresh contiguous
/// array, with no table of flat positions.
///
/// A view is an output shape plus, per output axis, the source stride in elements (negative walks
/// backwards, zero repeats one element) and the flat source position of its first element. The axes
/// are simplified first, so most views become one or two loops: contiguous runs are block copies, and
/// a view that reads one axis contiguously but not the innermost one is copied in square tiles.
struct StridedView {
    var shape: [Int]
    var strides: [Int]
    var start = 0

    /// The whole of a row-major array of `shape` with its axes permuted: output axis `d` is axis
    /// `perm[d]` of the source.
    static func permuted(_ shape: [Int], _ perm: [Int]) -> StridedView {
        let strides = NDArray.strides(of: shape)
        return StridedView(shape: perm.map { shape[$0] }, strides: perm.map { strides[$0] })
    }

    /// The same walk over the source with fewer axes: size-1 axes dropped, and each axis merged into
    /// the one before it when that one steps exactly over it (the pair then walks like one axis).
    /// Output order is row-major either way, so the output needs no strides of its own.
    func simplified() -> StridedView {
        var shape: [Int] = [], strides: [Int] = []
        shape.reserveCapacity(self.shape.count)
        strides.reserveCapacity(self.shape.count)
        for (n, s) in zip(self.shape, self.strides) where n != 1 {
            if let last = shape.last, strides[strides.count - 1] == s * n {
                shape[shape.count - 1] = last * n
                strides[strides.count - 1] = s
            } else {
                shape.append(n)
                strides.append(s)
            }
        }
        return StridedView(shape: shape, strides: strides, start: start)
    }

    /// Number of elements the view selects.
    var count: Int { TensorLayout.product(shape, 0..<shape.count) }
}

extension TensorLayout {
    /// The elements of `array` that `view` selects, as an array of `shape` (the view's element count).
    /// A view that reads all of `array` in order is a reshape and shares its storage.
    static func copy(_ array: NDArray, _ view: StridedView, shape: [Int]) -> NDArray {
        let v = view.simplified(), count = view.count
        if v.start == 0, count == array.count, v.shape.isEmpty || (v.shape.count == 1 && v.strides[0] == 1) {
            return array.reshaped(shape)
        }
        let storage: NDArray.Storage
        switch array.storage {
        case .float(let x): storage = .float(stridedCopy(x, simplified: v, count: count))
        case .double(let x): storage = .double(stridedCopy(x, simplified: v, count: count))
        case .int(let x): storage = .int(stridedCopy(x, simplified: v, count: count))
        case .bool(let x): storage = .bool(stridedCopy(x, simplified: v, count: count))
        case .string(let x): storage = .string(stridedCopy(x, simplified: v, count: count))
        }
        return NDArray(elementType: array.elementType, shape: shape, storage: storage)
    }

    /// `values` read through `v` (already simplified; `count` elements) into a new row-major array.
    static func stridedCopy<T>(_ values: [T], simplified v: StridedView, count: Int) -> [T] {
        if count == 0 { return [] }
        return values.withUnsafeBufferPointer { buffer in
            let src = buffer.baseAddress! + v.start
            return [T](unsafeUninitializedCapacity: count) { out, initialized in
                let dst = out.baseAddress!
                let rank = v.shape.count
                if rank == 0 {
                    dst.initialize(to: src[0])
                } else if rank >= 2, v.strides[rank - 1] != 1, v.strides[rank - 1] != 0, let j = v.strides[..<(rank - 1)].lastIndex(of: 1) {
                    copyTiles(src, dst, v, contiguousAxis: j)
                } else {
                    copyRuns(src, dst, v)
                }
                initialized = count
            }
        }
    }

    /// Odometer over every axis but the last, copying one run along the last axis per step.
    private static func copyRuns<T>(_ src: UnsafePointer<T>, _ dst: UnsafeMutablePointer<T>, _ v: StridedView) {
        let rank = v.shape.count
        let n = v.shape[rank - 1], step = v.strides[rank - 1]
        let runs = product(v.shape, 0..<(rank - 1))
        var index = [Int](repeating: 0, count: rank)
        var from = 0
        var to = dst
        for _ in 0..<runs {
            let p = src + from
            if step == 1 {
                to.initialize(from: p, count: n)
            } else if step == 0 {
                to.initialize(repeating: p.pointee, count: n)
            } else {
                var from = p
                for i in 0..<n {
                    (to + i).initialize(to: from.pointee)
                    from += step
                }
            }
            to += n
            advance(&index, &from, v, axes: rank - 1)
        }
    }

    /// Moves the odometer `index` over the first `axes` axes of `v` one step (last axis fastest),
    /// keeping `from`, the source offset of the current position, in step.
    @inline(__always)
    private static func advance(_ index: inout [Int], _ from: inout Int, _ v: StridedView, axes: Int) {
        var d = axes - 1
        while d >= 0 {
            index[d] += 1
            from += v.strides[d]
            if index[d] < v.shape[d] { return }
            from -= v.strides[d] * v.shape[d]
            index[d] = 0
            d -= 1
        }
    }

    /// A transposing copy: axis `j` reads the source contiguously but the last axis does not. For each
    /// position of the other axes, the (j, last) plane is copied tile by tile, so that neither the
    /// strided reads nor the strided writes leave the cache.
    private static func copyTiles<T>(_ src: UnsafePointer<T>, _ dst: UnsafeMutablePointer<T>, _ v: StridedView, contiguousAxis j: Int) {
        // 16×16 tiles: 1 KiB of floats, so a tile's source and destination lines stay in L1 while
        // either side is walked across its stride.
        let tile = 16
        let rank = v.shape.count
        let rows = v.shape[j], cols = v.shape[rank - 1], colStep = v.strides[rank - 1]
        let rowStride = product(v.shape, (j + 1)..<rank)  // Output stride of axis j.
        // The other axes, outermost first, with their source and output strides.
        var shape: [Int] = [], srcStrides: [Int] = [], dstStrides: [Int] = []
        for d in 0..<(rank - 1) where d != j {
            shape.append(v.shape[d])
            srcStrides.append(v.strides[d])
            dstStrides.append(product(v.shape, (d + 1)..<rank))
        }
        let planes = product(shape, 0..<shape.count)
        var index = [Int](repeating: 0, count: shape.count)
        var from = 0, to = 0
        for _ in 0..<planes {
            let s = src + from, o = dst + to
            var r0 = 0
            while r0 < rows {
                let r1 = min(r0 + tile, rows)
                var c0 = 0
                while c0 < cols {
                    let c1 = min(c0 + tile, cols)
                    for r in r0..<r1 {
                        // Pointers step along the tile row: no index products or overflow checks per element.
                        var to = o + r * rowStride + c0, from = s + r + c0 * colStep
                        for _ in c0..<c1 {
                            to.initialize(to: from.pointee)
                            to += 1
                            from += colStep
                        }
                    }
                    c0 = c1
                }
                r0 = r1
            }
            // Advance the odometer over the other axes.
            var d = shape.count - 1
            while d >= 0 {
                index[d] += 1
                from += srcStrides[d]
                to += dstStrides[d]
                if index[d] < shape[d] { break }
                from -= srcStrides[d] * shape[d]
                to -= dstStrides[d] * shape[d]
                index[d] = 0
                d -= 1
            }
        }
    }
}
