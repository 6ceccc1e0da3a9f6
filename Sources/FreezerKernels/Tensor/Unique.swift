import FreezerIR

extension MoreTensorOperators {
    static func registerUnique(_ r: inout KernelRegistry) {
        r.register("Unique", versions: 11...Int64.max, unique)
    }

    /// Unique (11): the distinct elements of the flattened input, or with `axis` the distinct slices
    /// along that axis. `sorted` (default 1) orders them ascending (slices lexicographically);
    /// `sorted = 0` keeps the order of first occurrence. NaNs are one value, sorted last (as numpy).
    /// Outputs: Y; `indices`, the position of each one's first occurrence in the input (along the axis,
    /// or flat); `inverse_indices`, for each input element (or slice) its position in Y; `counts`, how
    /// often each occurs. All but Y are int64.
    static func unique(_ ctx: KernelContext) throws -> [NDArray?] {
        var x = try ctx.input(0)
        let sorted = ctx.int("sorted", default: 1) != 0
        let axis: Int
        if let a = ctx.int("axis") {
            guard x.rank >= 1 else { throw ctx.fail("attribute 'axis' needs an input of rank 1 or more, got a scalar") }
            axis = try ctx.axis(a, rank: x.rank)
        } else {
            x = x.reshaped([x.count])
            axis = 0
        }
        let (outer, n, inner) = TensorOperators.lines(x.shape, axis: axis)
        // Slice s holds the elements at o * n * inner + s * inner + i, compared in (o, i) order.
        let members = (0..<n).map { s in
            (0..<outer).flatMap { o in (0..<inner).map { i in (o * n + s) * inner + i } }
        }
        let less: (Int, Int) -> Bool
        let equal: (Int, Int) -> Bool
        switch x.storage {
        case .float(let v): (less, equal) = orderings(v.map(TotalOrder.init), members)
        case .double(let v): (less, equal) = orderings(v.map(TotalOrder.init), members)
        case .int(let v) where x.elementType == .uint64: (less, equal) = orderings(v.map { UInt64(bitPattern: $0) }, members)
        case .int(let v): (less, equal) = orderings(v, members)
        case .bool(let v): (less, equal) = orderings(v.map { $0 ? 1 : 0 }, members)
        case .string(let v): (less, equal) = orderings(v, members)
        }
        // Stable sort of the slices, then runs of equal ones; each run's first member is its first occurrence.
        let order = (0..<n).sorted { less($0, $1) || (!less($1, $0) && $0 < $1) }
        var groups: [[Int]] = []
        for s in order {
            if let last = groups.last?.first, equal(last, s) { groups[groups.count - 1].append(s) } else { groups.append([s]) }
        }
        if !sorted { groups.sort { $0[0] < $1[0] } }
        var inverse = [Int64](repeating: 0, count: n)
        for (g, group) in groups.enumerated() { for s in group { inverse[s] = Int64(g) } }
        let firsts = groups.map { $0[0] }
        var shape = x.shape
        shape[axis] = groups.count
        let y = TensorLayout.gatherBlocks(x, outer: outer, size: n, inner: inner, rows: firsts, shape: shape)
        return [y, NDArray(ints: firsts.map(Int64.init), shape: [groups.count]),
                NDArray(ints: inverse, shape: [n]), NDArray(ints: groups.map { Int64($0.count) }, shape: [groups.count])]
    }

    /// A floating value ordered as numpy's unique orders it: NaN after every number and equal to
    /// every NaN (so all NaNs are one unique value), -0 equal to +0.
    private struct TotalOrder<T: FloatingPoint>: Comparable {
        let value: T
        init(_ value: T) { self.value = value }
        static func == (a: Self, b: Self) -> Bool { a.value.isNaN ? b.value.isNaN : a.value == b.value }
        static func < (a: Self, b: Self) -> Bool { a.value.isNaN ? false : (b.value.isNaN || a.value < b.value) }
    }

    /// Lexicographic order and equality of slices given by the positions of their elements in `v`.
    private static func orderings<T: Comparable>(_ v: [T], _ members: [[Int]]) -> ((Int, Int) -> Bool, (Int, Int) -> Bool) {
        let less = { (a: Int, b: Int) -> Bool in
            for (p, q) in zip(members[a], members[b]) where v[p] != v[q] { return v[p] < v[q] }
            return false
        }
        let equal = { (a: Int, b: Int) -> Bool in zip(members[a], members[b]).allSatisfy { v[$0] == v[$1] } }
        return (less, equal)
    }
}
