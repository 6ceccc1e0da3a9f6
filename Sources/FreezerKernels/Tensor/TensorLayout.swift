/// Index arithmetic shared by the tensor operators: flat source positions of strided and mapped views,
/// and element gathers that work for every storage kind.
///
/// Most shape operators are "each output element copies one input element". Those that read a strided
/// view of their input (Transpose, Slice, Split, Expand, Tile, DepthToSpace) copy it directly with
/// `copy(_:_:shape:)`; Gather and Concat move whole blocks. The irregular ones (Pad, nearest Resize,
/// Trilu, ...) are written as a table of per-dimension offsets, turned into flat positions by
/// `positions(shape:offsets:)`, and applied by `take`.
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
        copy(array, .permuted(shape, perm), shape: perm.map { shape[$0] })
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
        // Broadcast axes (new leading ones and size-1 ones) repeat one element: stride 0.
        let steps = (0..<shape.count).map { d in d >= lead && array.shape[d - lead] != 1 ? strides[d - lead] : 0 }
        return copy(array, StridedView(shape: shape, strides: steps), shape: shape)
    }
}
