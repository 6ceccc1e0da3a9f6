/// Index arithmetic shared by the tensor operators: flat source positions of strided and mapped views,
/// and element gathers that work for every storage kind.
///
/// Most shape operators (Transpose, Slice, Expand, Tile, Pad, DepthToSpace, nearest Resize) are "each
/// output element copies one input element". They are written as a table of per-dimension offsets, turned
/// into flat positions by `positions(shape:offsets:)`, and applied by `take`. One tested gather loop then
/// serves every operator and every element type.
enum TensorLayout {
    /// An offset that marks "no source element": any position that includes it is negative, and `take`
    /// fills it with the constant instead. Far below any real position, so sums over many dims stay negative.
    static let outside = -(1 << 48)

    /// Number of elements of `shape`, or nil when a dimension is negative or the product overflows.
    static func elementCount(_ shape: [Int]) -> Int? {
        var n = 1
        for d in shape {
            guard d >= 0 else { return nil }
            let (p, overflow) = n.multipliedReportingOverflow(by: d)
            if overflow { return nil }
            n = p
        }
        return n
    }

    /// Product of `shape[range]` (dims are already valid).
    static func product(_ shape: [Int], _ range: Range<Int>) -> Int {
        var n = 1
        for d in range { n *= shape[d] }
        return n
    }

    /// Flat source positions of every element of an array of `shape`, row-major: element (i0, i1, ...)
    /// reads position `base + offsets[0][i0] + offsets[1][i1] + ...`; negative means `outside`.
    static func positions(shape: [Int], offsets: [[Int]], base: Int = 0) -> [Int] {
        let n = product(shape, 0..<shape.count)
        if n == 0 { return [] }
        let rank = shape.count
        if rank == 0 { return [base] }
        var index = [Int](repeating: 0, count: rank)
        var outerBase = base
        for d in 0..<(rank - 1) { outerBase += offsets[d][0] }
        let innerCount = shape[rank - 1]
        var out = [Int](repeating: 0, count: n)
        out.withUnsafeMutableBufferPointer { dst in
            offsets[rank - 1].withUnsafeBufferPointer { inner in
                var k = 0
                while k < n {
                    for i in 0..<innerCount { dst[k + i] = outerBase + inner[i] }
                    k += innerCount
                    // Advance the odometer over the outer dimensions, updating the running base.
                    var d = rank - 2
                    while d >= 0 {
                        outerBase -= offsets[d][index[d]]
                        index[d] += 1
                        if index[d] < shape[d] {
                            outerBase += offsets[d][index[d]]
                            break
                        }
                        index[d] = 0
                        outerBase += offsets[d][0]
                        d -= 1
                    }
                }
            }
        }
        return out
    }

    /// Offsets `i * stride` for `i` in `0..<count`.
    static func linear(_ count: Int, stride: Int, start: Int = 0) -> [Int] {
        (0..<count).map { start + $0 * stride }
    }

    /// The elements of `array` at `positions` as an array of `shape` in the same element type; negative
    /// positions take the first element of `fill` (zero, false or "" when nil).
    static func take(_ array: NDArray, _ positions: [Int], shape: [Int], fill: NDArray? = nil) -> NDArray {
        let storage: NDArray.Storage
        switch array.storage {
        case .float(let v):
            var f: Float = 0
            if case .float(let s)? = fill?.storage, let x = s.first { f = x }
            storage = .float(gather(v, positions, f))
        case .double(let v):
            var f: Double = 0
            if case .double(let s)? = fill?.storage, let x = s.first { f = x }
            storage = .double(gather(v, positions, f))
        case .int(let v):
            var f: Int64 = 0
            if case .int(let s)? = fill?.storage, let x = s.first { f = x }
            storage = .int(gather(v, positions, f))
        case .bool(let v):
            var f = false
            if case .bool(let s)? = fill?.storage, let x = s.first { f = x }
            storage = .bool(gather(v, positions, f))
        case .string(let v):
            var f = ""
            if case .string(let s)? = fill?.storage, let x = s.first { f = x }
            storage = .string(gather(v, positions, f))
        }
        return NDArray(elementType: array.elementType, shape: shape, storage: storage)
    }

    private static func gather<T>(_ values: [T], _ positions: [Int], _ fill: T) -> [T] {
        values.withUnsafeBufferPointer { src in
            positions.map { $0 >= 0 ? src[$0] : fill }
        }
    }

    /// `array` viewed as `shape` (same element count) with its axes permuted: output axis `d` is axis
    /// `perm[d]` of the view. The caller has checked that `perm` is a permutation.
    static func permute(_ array: NDArray, viewedAs shape: [Int], _ perm: [Int]) -> NDArray {
        let outShape = perm.map { shape[$0] }
        if perm == Array(0..<perm.count) { return array.reshaped(outShape) }
        let strides = NDArray.strides(of: shape)
        let rank = shape.count
        // Fast path: swapping the last two axes of a batch of matrices (attention's K^T and the like).
        if rank >= 2, perm[rank - 2] == rank - 1, perm[rank - 1] == rank - 2, perm[..<(rank - 2)] == ArraySlice(0..<(rank - 2)) {
            let rows = shape[rank - 2], cols = shape[rank - 1]
            let batch = product(shape, 0..<(rank - 2))
            var positions = [Int](repeating: 0, count: batch * rows * cols)
            positions.withUnsafeMutableBufferPointer { p in
                var k = 0
                for b in 0..<batch {
                    let base = b * rows * cols
                    for c in 0..<cols { for r in 0..<rows { p[k] = base + r * cols + c; k += 1 } }
                }
            }
            return take(array, positions, shape: outShape)
        }
        let offsets = perm.map { linear(shape[$0], stride: strides[$0]) }
        return take(array, positions(shape: outShape, offsets: offsets), shape: outShape)
    }

    /// Concatenates arrays of one storage kind along `axis`; `outer` blocks of `blocks[k]` elements each.
    static func concatenate(_ arrays: [NDArray], outer: Int, blocks: [Int], shape: [Int]) -> NDArray {
        let first = arrays[0]
        func join<T>(_ parts: [[T]]) -> [T] {
            var out: [T] = []
            out.reserveCapacity(blocks.reduce(0, +) * outer)
            for o in 0..<outer {
                for (part, block) in zip(parts, blocks) where block > 0 {
                    out.append(contentsOf: part[(o * block)..<((o + 1) * block)])
                }
            }
            return out
        }
        let storage: NDArray.Storage
        switch first.storage {
        case .float: storage = .float(join(arrays.map(\.floats)))
        case .double: storage = .double(join(arrays.map(\.doubles)))
        case .int: storage = .int(join(arrays.map(\.ints)))
        case .bool: storage = .bool(join(arrays.map(\.bools)))
        case .string: storage = .string(join(arrays.map(\.strings)))
        }
        return NDArray(elementType: first.elementType, shape: shape, storage: storage)
    }

    /// The numpy broadcast of two shapes, or nil when they are incompatible.
    static func broadcast(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = max(a.count, b.count)
        var out = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let x = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let y = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            if x == y || y == 1 { out[i] = x } else if x == 1 { out[i] = y } else { return nil }
        }
        return out
    }

    /// `array` broadcast to `shape` (which must be a valid broadcast target of its shape).
    static func expand(_ array: NDArray, to shape: [Int]) -> NDArray {
        if array.shape == shape { return array }
        let lead = shape.count - array.rank
        let strides = array.strides
        let offsets = (0..<shape.count).map { d -> [Int] in
            guard d >= lead, array.shape[d - lead] != 1 else { return [Int](repeating: 0, count: shape[d]) }
            return linear(shape[d], stride: strides[d - lead])
        }
        return take(array, positions(shape: shape, offsets: offsets), shape: shape)
    }
}
