/// Shape rules of ONNX broadcasting: multidirectional (NumPy), unidirectional, and the legacy
/// `broadcast`/`axis` form of opsets before 7.
///
/// Other operator families can use these for any operator documented as "supports multidirectional
/// (i.e., NumPy-style) broadcasting" (Expand, MatMul batch dimensions, ...).
public enum Broadcasting {
    /// The NumPy broadcast of `shapes`: shapes are right-aligned and each dimension is either equal or 1.
    /// Returns nil when two dimensions differ and neither is 1.
    public static func shape(_ shapes: [[Int]]) -> [Int]? {
        let rank = shapes.map(\.count).max() ?? 0
        var out = [Int](repeating: 1, count: rank)
        for s in shapes {
            let offset = rank - s.count
            for (i, d) in s.enumerated() {
                let current = out[offset + i]
                if d == current || d == 1 { continue }
                if current == 1 { out[offset + i] = d } else { return nil }
            }
        }
        return out
    }

    /// Whether `shape` broadcasts to exactly `target` (unidirectional broadcasting, as in PRelu's slope).
    public static func broadcasts(_ shape: [Int], to target: [Int]) -> Bool {
        guard shape.count <= target.count else { return false }
        let offset = target.count - shape.count
        for (i, d) in shape.enumerated() where d != 1 && d != target[offset + i] { return false }
        return true
    }

    /// B's shape padded to A's rank as opsets 1–6 place it with `broadcast=1`: B's dimensions match A's
    /// starting at `axis` (default: B is aligned with A's trailing dimensions). A one-element B is a scalar.
    /// Returns nil when B cannot be placed that way; the caller names the shapes in its error.
    public static func legacyShape(_ b: [Int], to a: [Int], axis: Int?) -> [Int]? {
        if b.reduce(1, *) == 1 { return [Int](repeating: 1, count: a.count) }
        guard b.count <= a.count else { return nil }
        var start = axis ?? (a.count - b.count)
        if start < 0 { start += a.count }
        guard start >= 0, start + b.count <= a.count else { return nil }
        for (i, d) in b.enumerated() where d != a[start + i] && d != 1 { return nil }
        return [Int](repeating: 1, count: start) + b + [Int](repeating: 1, count: a.count - start - b.count)
    }

    /// Shape as `[2,3]`, for messages.
    static func text(_ shape: [Int]) -> String { "[\(shape.map(String.init).joined(separator: ","))]" }
}

/// A precomputed walk over a broadcast output that reads up to three operands through broadcast strides.
///
/// Dimensions are collapsed where every operand is contiguous (or broadcast) across them, so the walk is
/// a loop over rows of the innermost collapsed dimension, in which each operand is either contiguous
/// (inner stride 1) or repeated (inner stride 0). Per row, the offsets advance with an odometer: no
/// per-element division or allocation.
struct BroadcastPlan {
    let outputShape: [Int]
    let count: Int
    /// Collapsed dimensions, outermost first (at least one).
    private let dims: [Int]
    /// Per operand (always three; unused operands have zero strides): stride of each collapsed dimension.
    private let strides: [[Int]]

    /// A plan for operands of `shapes` (at most three) broadcast to `output`, which must be a valid
    /// broadcast of them (see `Broadcasting.shape`).
    init(output: [Int], operands shapes: [[Int]]) {
        precondition(shapes.count <= 3, "BroadcastPlan: at most three operands")
        outputShape = output
        count = output.reduce(1, *)
        let rank = output.count
        // Full-rank strides with 0 for broadcast dimensions.
        var full: [[Int]] = []
        for k in 0..<3 {
            var s = [Int](repeating: 0, count: rank)
            if k < shapes.count {
                let shape = shapes[k]
                let offset = rank - shape.count
                var acc = 1
                for i in stride(from: shape.count - 1, through: 0, by: -1) {
                    s[offset + i] = shape[i] == 1 ? 0 : acc
                    acc *= shape[i]
                }
            }
            full.append(s)
        }
        // Collapse from the innermost dimension outwards, dropping size-1 output dimensions.
        var cDims: [Int] = []
        var cStrides: [[Int]] = [[], [], []]
        for i in stride(from: rank - 1, through: 0, by: -1) where output[i] != 1 {
            if let last = cDims.last,
               (0..<3).allSatisfy({ k in
                   let inner = cStrides[k].last!
                   return (inner == 0 && full[k][i] == 0) || (inner != 0 && full[k][i] == inner * last)
               }) {
                cDims[cDims.count - 1] = last * output[i]
            } else {
                cDims.append(output[i])
                for k in 0..<3 { cStrides[k].append(full[k][i]) }
            }
        }
        if cDims.isEmpty {
            cDims = [1]
            cStrides = [[0], [0], [0]]
        }
        dims = cDims.reversed()
        strides = cStrides.map { $0.reversed() }
    }

    /// The plan for two operands of the same shape (the common case, built without the general
    /// collapsing: small tensors in loops and attention blocks are dominated by plan construction).
    init(sameShape shape: [Int]) {
        outputShape = shape
        count = shape.reduce(1, *)
        if count == 1 {
            dims = Self.one
            strides = Self.allRepeated
        } else {
            dims = [count]
            strides = Self.twoContiguous
        }
    }

    private static let one = [1]
    private static let allRepeated = [[0], [0], [0]]
    private static let twoContiguous = [[1], [1], [0]]

    /// Operand `k`'s stride along the innermost row: 1 (contiguous) or 0 (repeated).
    func innerStride(_ k: Int) -> Int { strides[k][dims.count - 1] == 0 ? 0 : 1 }

    /// Calls `body(outputStart, rowLength, offset0, offset1, offset2)` for every row of the output, in order.
    @inline(__always)
    func forEachRow(_ body: (Int, Int, Int, Int, Int) -> Void) {
        guard count > 0 else { return }
        let inner = dims[dims.count - 1]
        let outer = dims.count - 1
        if outer == 0 { body(0, inner, 0, 0, 0); return }
        // Odometer state in one scratch buffer: index, dims and the three operands' strides per outer dimension.
        let scratch = UnsafeMutablePointer<Int>.allocate(capacity: 5 * outer)
        defer { scratch.deallocate() }
        let index = scratch, extent = scratch + outer, s0 = scratch + 2 * outer, s1 = scratch + 3 * outer, s2 = scratch + 4 * outer
        for d in 0..<outer {
            index[d] = 0
            extent[d] = dims[d]
            s0[d] = strides[0][d]; s1[d] = strides[1][d]; s2[d] = strides[2][d]
        }
        var o0 = 0, o1 = 0, o2 = 0
        var start = 0
        while start < count {
            body(start, inner, o0, o1, o2)
            start += inner
            var d = outer - 1
            while d >= 0 {
                index[d] += 1
                o0 += s0[d]; o1 += s1[d]; o2 += s2[d]
                if index[d] < extent[d] { break }
                o0 -= s0[d] * extent[d]; o1 -= s1[d] * extent[d]; o2 -= s2[d] * extent[d]
                index[d] = 0
                d -= 1
            }
        }
    }
}

/// Element-wise maps over broadcast operands, with fast paths for equal shapes and one-element operands.
enum BroadcastMap {
    /// `f(a[i], b[j])` over the broadcast of two operands laid out by `plan`.
    @inline(__always)
    static func binary<A, B, R>(_ a: [A], _ b: [B], _ plan: BroadcastPlan, _ f: (A, B) -> R) -> [R] {
        let n = plan.count
        return [R](unsafeUninitializedCapacity: n) { out, initialized in
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    if pa.count == n && pb.count == n {
                        for i in 0..<n { out.initializeElement(at: i, to: f(pa[i], pb[i])) }
                    } else if pb.count == 1 && pa.count == n {
                        let y = pb[0]
                        for i in 0..<n { out.initializeElement(at: i, to: f(pa[i], y)) }
                    } else if pa.count == 1 && pb.count == n {
                        let x = pa[0]
                        for i in 0..<n { out.initializeElement(at: i, to: f(x, pb[i])) }
                    } else if n > 0 {
                        // n > 0 implies every operand is non-empty.
                        let sa = plan.innerStride(0), sb = plan.innerStride(1)
                        let po = out.baseAddress!, xa = pa.baseAddress!, xb = pb.baseAddress!
                        plan.forEachRow { o, len, ia, ib, _ in
                            let dst = po + o, ra = xa + ia, rb = xb + ib
                            if sa == 1 && sb == 1 {
                                for j in 0..<len { (dst + j).initialize(to: f(ra[j], rb[j])) }
                            } else if sa == 1 {
                                let y = rb[0]
                                for j in 0..<len { (dst + j).initialize(to: f(ra[j], y)) }
                            } else if sb == 1 {
                                let x = ra[0]
                                for j in 0..<len { (dst + j).initialize(to: f(x, rb[j])) }
                            } else {
                                let v = f(ra[0], rb[0])
                                for j in 0..<len { (dst + j).initialize(to: v) }
                            }
                        }
                    }
                }
            }
            initialized = n
        }
    }

    /// `f(c[i], a[j], b[k])` over the broadcast of three operands laid out by `plan` (Where).
    @inline(__always)
    static func ternary<C, A, B, R>(_ c: [C], _ a: [A], _ b: [B], _ plan: BroadcastPlan, _ f: (C, A, B) -> R) -> [R] {
        let n = plan.count
        return [R](unsafeUninitializedCapacity: n) { out, initialized in
            c.withUnsafeBufferPointer { pc in
                a.withUnsafeBufferPointer { pa in
                    b.withUnsafeBufferPointer { pb in
                        if pc.count == n && pa.count == n && pb.count == n {
                            for i in 0..<n { out.initializeElement(at: i, to: f(pc[i], pa[i], pb[i])) }
                        } else {
                            let sc = plan.innerStride(0), sa = plan.innerStride(1), sb = plan.innerStride(2)
                            plan.forEachRow { o, len, ic, ia, ib in
                                for j in 0..<len {
                                    out.initializeElement(at: o + j, to: f(pc[ic + j * sc], pa[ia + j * sa], pb[ib + j * sb]))
                                }
                            }
                        }
                    }
                }
            }
            initialized = n
        }
    }

    /// `f(a[i])` over one operand.
    @inline(__always)
    static func unary<A, R>(_ a: [A], _ f: (A) -> R) -> [R] {
        let n = a.count
        return [R](unsafeUninitializedCapacity: n) { out, initialized in
            a.withUnsafeBufferPointer { pa in
                for i in 0..<n { out.initializeElement(at: i, to: f(pa[i])) }
            }
            initialized = n
        }
    }
}
