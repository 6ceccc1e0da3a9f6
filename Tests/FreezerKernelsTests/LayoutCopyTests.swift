import Testing
@testable import FreezerIR
@testable import FreezerKernels
import FreezerVerify

/// The direct copy paths of the layout operators (Transpose, Slice, Gather, Concat, Expand, Split,
/// Tile) against naive references written here: each reference lists, for every output element, the
/// flat input position it copies, and the expected array is built from that list. Random shapes of
/// rank 0–6 with size-0 and size-1 axes, in every storage kind; results must match bit for bit.
@Suite("Layout copies")
struct LayoutCopyTests {
    /// Storage kinds the copies are generic over.
    enum Storage: CaseIterable, Sendable { case float, int, bool, string }

    /// A deterministic generator (freezer's own SplitMix64), so that a failure can be replayed.
    typealias Generator = SeededGenerator

    /// An array whose elements all differ (floats include -0 and NaN, compared by bit pattern).
    static func array(_ kind: Storage, _ shape: [Int], seed: Int = 0) -> NDArray {
        let n = shape.reduce(1, *)
        switch kind {
        case .float:
            return NDArray(floats: (0..<n).map { i in i % 7 == 3 ? -0.0 : i % 11 == 5 ? .nan : Float(i + seed) * 0.5 - 3 }, shape: shape)
        case .int: return NDArray(ints: (0..<n).map { Int64($0 + seed) * 7 - 3 }, shape: shape)
        case .bool: return NDArray(bools: (0..<n).map { ($0 + seed) % 3 == 0 }, shape: shape)
        case .string: return NDArray(strings: (0..<n).map { "s\($0 + seed)" }, shape: shape)
        }
    }

    /// The naive gather: element k of the result is element `positions[k]` of one of `sources`.
    static func pick(_ sources: [NDArray], _ positions: [(source: Int, index: Int)], shape: [Int]) -> NDArray {
        let first = sources[0]
        switch first.storage {
        case .float: return NDArray(floats: positions.map { sources[$0.source].floats[$0.index] }, shape: shape)
        case .int: return NDArray(ints: positions.map { sources[$0.source].ints[$0.index] }, shape: shape)
        case .bool: return NDArray(bools: positions.map { sources[$0.source].bools[$0.index] }, shape: shape)
        case .string: return NDArray(strings: positions.map { sources[$0.source].strings[$0.index] }, shape: shape)
        case .double: return NDArray(doubles: positions.map { sources[$0.source].doubles[$0.index] }, shape: shape)
        }
    }

    static func pick(_ x: NDArray, _ positions: [Int], shape: [Int]) -> NDArray {
        pick([x], positions.map { (0, $0) }, shape: shape)
    }

    /// Exact equality: shape, type and every value's bits.
    static func expectIdentical(_ a: NDArray, _ b: NDArray, _ what: @autoclosure () -> String,
                                sourceLocation: SourceLocation = #_sourceLocation) {
        let same: Bool
        switch (a.storage, b.storage) {
        case let (.float(x), .float(y)): same = x.map(\.bitPattern) == y.map(\.bitPattern)
        default: same = a.storage == b.storage
        }
        #expect(a.shape == b.shape && a.elementType == b.elementType && same, "\(what()): got \(a.storage), expected \(b.storage)",
                sourceLocation: sourceLocation)
    }

    /// Every multi-index of `shape` in row-major order.
    static func indices(_ shape: [Int]) -> [[Int]] {
        var out: [[Int]] = [[]]
        for n in shape { out = out.flatMap { prefix in (0..<n).map { prefix + [$0] } } }
        return out
    }

    static func flat(_ index: [Int], _ shape: [Int]) -> Int {
        zip(index, shape).reduce(0) { $0 * $1.1 + $1.0 }
    }

    /// A random shape of `rank` with small sizes, 0 and 1 included, at most about `limit` elements.
    static func shape(rank: Int, _ g: inout Generator, limit: Int = 400) -> [Int] {
        var s = (0..<rank).map { _ in [0, 1, 1, 2, 3, 4, 5][Int.random(in: 0..<7, using: &g)] }
        // Sizes 0 are rarer than the rest so that most cases copy something.
        if s.contains(0), Int.random(in: 0..<3, using: &g) > 0 { s = s.map { max($0, 1) } }
        while s.reduce(1, *) > limit, let k = s.firstIndex(where: { $0 > 1 }) { s[k] -= 1 }
        return s
    }

    static let cases = 150

    // MARK: Transpose

    @Test(arguments: Storage.allCases)
    func transposeMatchesReference(_ kind: Storage) throws {
        var g = Generator(seed: 1)
        for c in 0..<Self.cases {
            let rank = c % 7
            let shape = Self.shape(rank: rank, &g)
            let perm = Array(0..<rank).shuffled(using: &g)
            let x = Self.array(kind, shape)
            let outShape = perm.map { shape[$0] }
            let positions = Self.indices(outShape).map { out in
                var src = [Int](repeating: 0, count: rank)
                for (d, p) in perm.enumerated() { src[p] = out[d] }
                return Self.flat(src, shape)
            }
            let got = try runNode("Transpose", [x], attributes: [attr("perm", perm.map(Int64.init))])[0]
            Self.expectIdentical(got, Self.pick(x, positions, shape: outShape), "Transpose \(shape) perm \(perm)")
        }
    }

    /// Shapes large enough for the tiled path, with sides that are not multiples of the tile.
    @Test(arguments: [([3, 40, 37], [0, 2, 1]), ([2, 33, 5, 17], [3, 1, 2, 0]), ([17, 18], [1, 0]), ([1, 4, 32, 32], [0, 1, 3, 2]),
                      ([2, 3, 20, 19], [2, 3, 0, 1]), ([64, 1, 50], [2, 1, 0]), ([5, 6, 7, 8, 2, 3], [5, 0, 4, 1, 3, 2])])
    func largeTransposesMatchReference(_ shape: [Int], _ perm: [Int]) throws {
        for kind in Storage.allCases {
            let x = Self.array(kind, shape)
            let outShape = perm.map { shape[$0] }
            let positions = Self.indices(outShape).map { out in
                var src = [Int](repeating: 0, count: shape.count)
                for (d, p) in perm.enumerated() { src[p] = out[d] }
                return Self.flat(src, shape)
            }
            let got = try runNode("Transpose", [x], attributes: [attr("perm", perm.map(Int64.init))])[0]
            Self.expectIdentical(got, Self.pick(x, positions, shape: outShape), "Transpose \(shape) perm \(perm) \(kind)")
        }
    }

    @Test func transposeThatKeepsTheOrderSharesTheValues() throws {
        let x = Self.array(.float, [1, 3, 1, 4])
        let got = try runNode("Transpose", [x], attributes: [attr("perm", [2, 1, 0, 3] as [Int64])])[0]
        Self.expectIdentical(got, x.reshaped([1, 3, 1, 4]), "size-1 axes moved")
    }

    // MARK: Slice

    /// The numpy slice of one axis: the input indices it selects, in order.
    static func sliceIndices(dim: Int, start: Int64, end: Int64, step: Int64) -> [Int] {
        let n = Int64(dim)
        var s = start < 0 ? start + n : start, e = end < 0 ? end + n : end
        var out: [Int] = []
        if step > 0 {
            s = min(max(s, 0), n)
            e = min(max(e, 0), n)
            var i = s
            while i < e {
                out.append(Int(i))
                let (next, overflow) = i.addingReportingOverflow(step)
                if overflow { break }
                i = next
            }
        } else {
            s = min(max(s, 0), n - 1)
            e = min(max(e, -1), n - 1)
            var i = s
            while i > e {
                out.append(Int(i))
                let (next, overflow) = i.addingReportingOverflow(step)
                if overflow { break }
                i = next
            }
        }
        return out
    }

    @Test(arguments: Storage.allCases)
    func sliceMatchesReference(_ kind: Storage) throws {
        var g = Generator(seed: 2)
        let steps: [Int64] = [1, 1, 1, 2, 3, -1, -1, -2, -3, .max, .min]
        for c in 0..<Self.cases {
            let rank = c % 7
            let shape = Self.shape(rank: rank, &g)
            let x = Self.array(kind, shape)
            // A random subset of the axes in random order, some given as negative axes.
            let axes = Array(Array(0..<rank).shuffled(using: &g).prefix(Int.random(in: 0...rank, using: &g)))
            var starts: [Int64] = [], ends: [Int64] = [], stepList: [Int64] = [], axisValues: [Int64] = []
            var selected = shape.map { Array(0..<$0) }
            for a in axes {
                let dim = Int64(shape[a])
                let pickBound = { (g: inout Generator) -> Int64 in
                    Int.random(in: 0..<8, using: &g) == 0 ? [Int64.max, Int64.min, -Int64.max][Int.random(in: 0..<3, using: &g)]
                        : Int64.random(in: (-dim - 3)...(dim + 3), using: &g)
                }
                let s = pickBound(&g), e = pickBound(&g), st = steps[Int.random(in: 0..<steps.count, using: &g)]
                starts.append(s); ends.append(e); stepList.append(st)
                axisValues.append(Bool.random(using: &g) ? Int64(a) : Int64(a - rank))
                selected[a] = Self.sliceIndices(dim: shape[a], start: s, end: e, step: st)
            }
            let outShape = selected.map(\.count)
            let positions = Self.indices(outShape).map { out in
                Self.flat((0..<rank).map { selected[$0][out[$0]] }, shape)
            }
            let list = { (v: [Int64]) in NDArray(ints: v, shape: [v.count]) }
            let got = try runNode("Slice", [x, list(starts), list(ends), list(axisValues), list(stepList)], opset: 13)[0]
            Self.expectIdentical(got, Self.pick(x, positions, shape: outShape),
                                 "Slice \(shape) starts \(starts) ends \(ends) axes \(axisValues) steps \(stepList)")
        }
    }

    // MARK: Gather

    @Test(arguments: Storage.allCases)
    func gatherMatchesReference(_ kind: Storage) throws {
        var g = Generator(seed: 3)
        for c in 0..<Self.cases {
            let rank = 1 + c % 5
            let shape = Self.shape(rank: rank, &g, limit: 200)
            let x = Self.array(kind, shape)
            let axis = Int.random(in: 0..<rank, using: &g)
            let dim = shape[axis]
            var indicesShape = Self.shape(rank: Int.random(in: 0...3, using: &g), &g, limit: 12)
            if dim == 0 { indicesShape = indicesShape + [0] }
            let idx = (0..<indicesShape.reduce(1, *)).map { _ in Int64.random(in: Int64(-dim)..<Int64(dim), using: &g) }
            let outShape = Array(shape[..<axis]) + indicesShape + Array(shape[(axis + 1)...])
            let k = indicesShape.count
            let positions = Self.indices(outShape).map { out in
                let i = idx[Self.flat(Array(out[axis..<(axis + k)]), indicesShape)]
                let src = Array(out[..<axis]) + [Int(i < 0 ? i + Int64(dim) : i)] + Array(out[(axis + k)...])
                return Self.flat(src, shape)
            }
            let axisValue = Bool.random(using: &g) ? Int64(axis) : Int64(axis - rank)
            let got = try runNode("Gather", [x, NDArray(ints: idx, shape: indicesShape)], attributes: [attr("axis", axisValue)], opset: 13)[0]
            Self.expectIdentical(got, Self.pick(x, positions, shape: outShape), "Gather \(shape) axis \(axisValue) indices \(idx) \(indicesShape)")
        }
    }

    // MARK: Concat and Split

    @Test(arguments: Storage.allCases)
    func concatMatchesReference(_ kind: Storage) throws {
        var g = Generator(seed: 4)
        for c in 0..<Self.cases {
            let rank = 1 + c % 6
            let base = Self.shape(rank: rank, &g, limit: 100)
            let axis = Int.random(in: 0..<rank, using: &g)
            let parts = (0..<Int.random(in: 1...4, using: &g)).map { k -> NDArray in
                var s = base
                s[axis] = [0, 1, 2, 3][Int.random(in: 0..<4, using: &g)]
                return Self.array(kind, s, seed: 1000 * k)
            }
            var outShape = base
            outShape[axis] = parts.map { $0.shape[axis] }.reduce(0, +)
            let positions = Self.indices(outShape).map { out -> (source: Int, index: Int) in
                var i = out[axis], k = 0
                while i >= parts[k].shape[axis] { i -= parts[k].shape[axis]; k += 1 }
                var src = out
                src[axis] = i
                return (k, Self.flat(src, parts[k].shape))
            }
            let got = try runNode("Concat", parts, attributes: [attr("axis", Int64(axis))], opset: 13)[0]
            Self.expectIdentical(got, Self.pick(parts, positions, shape: outShape), "Concat \(parts.map(\.shape)) axis \(axis)")
        }
    }

    @Test(arguments: Storage.allCases)
    func splitMatchesReference(_ kind: Storage) throws {
        var g = Generator(seed: 5)
        for c in 0..<Self.cases {
            let rank = 1 + c % 6
            let shape = Self.shape(rank: rank, &g)
            let x = Self.array(kind, shape)
            let axis = Int.random(in: 0..<rank, using: &g)
            // Random cut points give sizes that add up to the axis, zeros included.
            let cuts = ((0..<Int.random(in: 0...3, using: &g)).map { _ in Int.random(in: 0...shape[axis], using: &g) } + [0, shape[axis]]).sorted()
            let sizes = zip(cuts.dropFirst(), cuts).map { $0 - $1 }
            let got = try runNode("Split", [x, NDArray(ints: sizes.map(Int64.init), shape: [sizes.count])],
                                  attributes: [attr("axis", Int64(axis))], outputs: sizes.count, opset: 13)
            var start = 0
            for (k, size) in sizes.enumerated() {
                var outShape = shape
                outShape[axis] = size
                let positions = Self.indices(outShape).map { out in
                    var src = out
                    src[axis] += start
                    return Self.flat(src, shape)
                }
                Self.expectIdentical(got[k], Self.pick(x, positions, shape: outShape), "Split \(shape) axis \(axis) sizes \(sizes) output \(k)")
                start += size
            }
        }
    }

    // MARK: Expand and Tile

    @Test(arguments: Storage.allCases)
    func expandMatchesReference(_ kind: Storage) throws {
        var g = Generator(seed: 6)
        for c in 0..<Self.cases {
            let outRank = c % 7
            let full = Self.shape(rank: outRank, &g, limit: 300)
            // The input keeps some trailing axes of the result, some of them as size 1.
            let rank = Int.random(in: 0...outRank, using: &g)
            let shape = full[(outRank - rank)...].map { Int.random(in: 0..<3, using: &g) == 0 ? 1 : $0 }
            let x = Self.array(kind, shape)
            // The target may say 1 where the input already has the size.
            let target = (0..<outRank).map { d in
                d >= outRank - rank && shape[d - (outRank - rank)] == full[d] && Bool.random(using: &g) ? 1 : full[d]
            }
            let positions = Self.indices(full).map { out in
                Self.flat((0..<rank).map { shape[$0] == 1 ? 0 : out[$0 + outRank - rank] }, shape)
            }
            let got = try runNode("Expand", [x, NDArray(ints: target.map(Int64.init), shape: [outRank])], opset: 13)[0]
            Self.expectIdentical(got, Self.pick(x, positions, shape: full), "Expand \(shape) to \(target)")
        }
    }

    @Test(arguments: Storage.allCases)
    func tileMatchesReference(_ kind: Storage) throws {
        var g = Generator(seed: 7)
        for c in 0..<Self.cases {
            let rank = c % 6
            let shape = Self.shape(rank: rank, &g, limit: 60)
            let repeats = (0..<rank).map { _ in [0, 1, 1, 2, 3][Int.random(in: 0..<5, using: &g)] }
            let x = Self.array(kind, shape)
            let outShape = zip(shape, repeats).map { $0 * $1 }
            let positions = Self.indices(outShape).map { out in
                Self.flat((0..<rank).map { out[$0] % shape[$0] }, shape)
            }
            let got = try runNode("Tile", [x, NDArray(ints: repeats.map(Int64.init), shape: [rank])], opset: 13)[0]
            Self.expectIdentical(got, Self.pick(x, positions, shape: outShape), "Tile \(shape) by \(repeats)")
        }
    }

    @Test func constantOfShapeFillsEveryShape() throws {
        let value = Tensor.make(name: "v", type: .int32, dims: [1], values: [-7])
        for shape in [[], [0], [1], [3], [2, 0, 4], [2, 3, 4], [1, 1, 5]] as [[Int]] {
            let got = try runNode("ConstantOfShape", [NDArray(ints: shape.map(Int64.init), shape: [shape.count])],
                                  attributes: [Attribute(name: "value", value: .tensor(value))], opset: 13)[0]
            Self.expectIdentical(got, NDArray(ints: [Int64](repeating: -7, count: shape.reduce(1, *)), shape: shape, type: .int32), "ConstantOfShape \(shape)")
        }
    }
}
