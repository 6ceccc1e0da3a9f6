import FreezerIR

/// Einsum (opset 12+) by summing out private labels, then contracting operands pairwise as batched
/// matrix products (permute to [batch, kept, contracted], multiply, accumulate in Double for floats),
/// then permuting to the output order.
///
/// Supports explicit and implicit outputs and `...` with numpy broadcasting of size-1 ellipsis dims.
/// A label repeated inside one operand first takes that operand's diagonal over those axes (so `ii->i`
/// is the diagonal and `ii` the trace).
extension TensorOperators {
    static func registerEinsum(_ r: inout KernelRegistry) {
        r.register("Einsum", versions: 12...Int64.max) { ctx in [try einsum(ctx)] }
    }

    /// An operand during evaluation: its values and one label per axis.
    private struct Labeled {
        var array: NDArray
        var labels: [Int]
    }

    /// Labels are letters' ASCII codes; ellipsis dims are `ellipsisBase + k`, right-aligned across operands.
    private static let ellipsisBase = 1000

    static func einsum(_ ctx: KernelContext) throws(EvaluationError) -> NDArray {
        guard let equation = ctx.attribute("equation")?.stringValue else { throw ctx.fail("attribute 'equation' is required") }
        var operands: [NDArray] = []
        for i in 0..<ctx.inputCount { operands.append(try ctx.input(i)) }
        guard let first = operands.first else { throw ctx.fail("Einsum needs at least one input") }
        for (k, a) in operands.enumerated() {
            guard a.elementType == first.elementType else { throw ctx.fail("input \(k) is \(a.elementType) but input 0 is \(first.elementType)") }
            guard a.kind == .float || a.kind == .double || a.kind == .int else { throw ctx.fail("Einsum does not accept \(a.elementType)") }
        }
        let text = equation.filter { $0 != " " }
        let sides = text.components(separatedBy: "->")
        guard sides.count <= 2 else { throw ctx.fail("equation '\(equation)' has more than one '->'") }
        let terms = sides[0].components(separatedBy: ",")
        guard terms.count == operands.count else {
            throw ctx.fail("equation '\(equation)' has \(terms.count) input terms but the node has \(operands.count) inputs")
        }

        // Parse each input term against its operand's rank.
        var parsed: [(before: [Int], hasEllipsis: Bool, after: [Int])] = []
        var ellipsisRank = 0
        for (k, term) in terms.enumerated() {
            let p = try parseTerm(ctx, term, equation)
            let letters = p.before.count + p.after.count
            let rank = operands[k].rank
            guard p.hasEllipsis ? rank >= letters : rank == letters else {
                throw ctx.fail("term '\(term)' of equation '\(equation)' does not match input \(k) of shape \(operands[k].shape)")
            }
            if p.hasEllipsis { ellipsisRank = max(ellipsisRank, rank - letters) }
            parsed.append(p)
        }
        var inputs: [Labeled] = []
        var sizes: [Int: Int] = [:]
        // Every label as the input terms write it (a repeated one counts each time).
        var written: [Int] = []
        for (k, p) in parsed.enumerated() {
            let e = operands[k].rank - p.before.count - p.after.count
            var labels = p.before + (0..<e).map { ellipsisBase + ellipsisRank - e + $0 } + p.after
            written.append(contentsOf: labels)
            if Set(labels).count != labels.count {
                (operands[k], labels) = try diagonal(ctx, operands[k], labels, term: terms[k])
            }
            for (axis, label) in labels.enumerated() {
                let n = operands[k].shape[axis]
                if let known = sizes[label], known != n {
                    let isEllipsis = label >= ellipsisBase
                    guard isEllipsis, known == 1 || n == 1 else {
                        throw ctx.fail("label '\(labelName(label))' has size \(known) in one input and \(n) in input \(k) (shape \(operands[k].shape))")
                    }
                    sizes[label] = max(known, n)
                } else if sizes[label] == nil {
                    sizes[label] = n
                }
            }
            inputs.append(Labeled(array: operands[k], labels: labels))
        }
        // Broadcast size-1 ellipsis dims to their common size.
        for k in inputs.indices {
            let target = inputs[k].labels.map { sizes[$0] ?? 1 }
            if target != inputs[k].array.shape { inputs[k].array = TensorLayout.expand(inputs[k].array, to: target) }
        }

        let output: [Int]
        if sides.count == 2 {
            let p = try parseTerm(ctx, sides[1], equation)
            output = p.before + (p.hasEllipsis ? (0..<ellipsisRank).map { ellipsisBase + $0 } : []) + p.after
            guard Set(output).count == output.count else { throw ctx.fail("output term '\(sides[1])' repeats a label") }
            for l in output where sizes[l] == nil {
                throw ctx.fail("output label '\(labelName(l))' of equation '\(equation)' appears in no input")
            }
        } else {
            // Implicit output: broadcast dims, then the letters used exactly once, in alphabetical (ASCII) order.
            let all = written
            let once = Set(all.filter { l in l < ellipsisBase && all.filter { $0 == l }.count == 1 })
            output = (0..<ellipsisRank).map { ellipsisBase + $0 } + once.sorted()
        }
        _ = try IndexInputs.count(output.map { sizes[$0] ?? 1 }, ctx, "output")

        // Sum out labels private to one operand, then fold the operands left to right.
        func needed(after k: Int) -> Set<Int> {
            var s = Set(output)
            for j in (k + 1)..<max(inputs.count, k + 1) { s.formUnion(inputs[j].labels) }
            return s
        }
        var acc = sumOut(inputs[0], keeping: needed(after: 0).union(inputs.count > 1 ? Set(inputs[1].labels) : []))
        for k in 1..<max(inputs.count, 1) {
            let keep = needed(after: k)
            let b = sumOut(inputs[k], keeping: keep.union(acc.labels))
            acc = contract(sumOut(acc, keeping: keep.union(b.labels)), b, keep: keep)
        }
        acc = sumOut(acc, keeping: Set(output))
        let perm = output.map { l in acc.labels.firstIndex(of: l) ?? 0 }
        return TensorLayout.permute(acc.array, viewedAs: acc.array.shape, perm)
    }

    /// The diagonal of `x` over the axes that share a label: one axis per distinct label, in the order
    /// of first appearance, element (…, i, …) reading x where every axis of that label has index i.
    private static func diagonal(_ ctx: KernelContext, _ x: NDArray, _ labels: [Int], term: String) throws(EvaluationError) -> (NDArray, [Int]) {
        var distinct: [Int] = []
        for l in labels where !distinct.contains(l) { distinct.append(l) }
        let strides = x.strides
        var shape: [Int] = [], offsets: [[Int]] = []
        for l in distinct {
            let axes = labels.indices.filter { labels[$0] == l }
            let n = x.shape[axes[0]]
            guard axes.allSatisfy({ x.shape[$0] == n }) else {
                throw ctx.fail("term '\(term)' repeats label '\(labelName(l))' over axes of different sizes (shape \(x.shape))")
            }
            shape.append(n)
            offsets.append(TensorLayout.linear(n, stride: axes.reduce(0) { $0 + strides[$1] }))
        }
        return (TensorLayout.take(x, TensorLayout.positions(shape: shape, offsets: offsets), shape: shape), distinct)
    }

    private static func labelName(_ label: Int) -> String {
        label >= ellipsisBase ? "...(\(label - ellipsisBase))" : String(UnicodeScalar(UInt8(label)))
    }

    private static func parseTerm(_ ctx: KernelContext, _ term: String, _ equation: String) throws(EvaluationError) -> (before: [Int], hasEllipsis: Bool, after: [Int]) {
        var before: [Int] = [], after: [Int] = []
        var hasEllipsis = false
        let chars = Array(term.utf8)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == UInt8(ascii: ".") {
                guard !hasEllipsis, i + 2 < chars.count, chars[i + 1] == c, chars[i + 2] == c else {
                    throw ctx.fail("term '\(term)' of equation '\(equation)' has a malformed or repeated '...'")
                }
                hasEllipsis = true
                i += 3
                continue
            }
            guard (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) else {
                throw ctx.fail("equation '\(equation)' has the invalid character '\(String(UnicodeScalar(c)))'")
            }
            if hasEllipsis { after.append(Int(c)) } else { before.append(Int(c)) }
            i += 1
        }
        return (before, hasEllipsis, after)
    }

    /// Sums out every axis whose label is not in `keeping`.
    private static func sumOut(_ x: Labeled, keeping: Set<Int>) -> Labeled {
        let axes = x.labels.indices.filter { !keeping.contains(x.labels[$0]) }
        if axes.isEmpty { return x }
        let a = x.array
        let strides = a.strides
        var keptShape = a.shape, reducedShape = a.shape
        for d in 0..<a.rank { if axes.contains(d) { keptShape[d] = 1 } else { reducedShape[d] = 1 } }
        let bases = TensorLayout.positions(shape: keptShape, offsets: (0..<a.rank).map { TensorLayout.linear(keptShape[$0], stride: strides[$0]) })
        let rel = TensorLayout.positions(shape: reducedShape, offsets: (0..<a.rank).map { TensorLayout.linear(reducedShape[$0], stride: strides[$0]) })
        let shape = a.shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element)
        let storage: NDArray.Storage
        switch a.storage {
        case .float(let v): storage = .float(reduceDoubles(.sum, v.map(Double.init), bases, rel).map { Float($0) })
        case .double(let v): storage = .double(reduceDoubles(.sum, v, bases, rel))
        default: storage = .int(reduceInts(.sum, a.ints, a.elementType, bases, rel))
        }
        let labels = x.labels.enumerated().filter { !axes.contains($0.offset) }.map(\.element)
        return Labeled(array: NDArray(elementType: a.elementType, shape: shape, storage: storage), labels: labels)
    }

    /// Contracts two operands over their shared labels that are not kept, as a batched matrix product.
    private static func contract(_ a: Labeled, _ b: Labeled, keep: Set<Int>) -> Labeled {
        let batch = a.labels.filter { b.labels.contains($0) && keep.contains($0) }
        let summed = a.labels.filter { b.labels.contains($0) && !keep.contains($0) }
        let left = a.labels.filter { !b.labels.contains($0) }
        let right = b.labels.filter { !a.labels.contains($0) }
        func arranged(_ x: Labeled, _ order: [Int]) -> NDArray {
            TensorLayout.permute(x.array, viewedAs: x.array.shape, order.map { l in x.labels.firstIndex(of: l) ?? 0 })
        }
        func size(_ x: Labeled, _ ls: [Int]) -> Int { ls.reduce(1) { $0 * x.array.shape[x.labels.firstIndex(of: $1) ?? 0] } }
        let nb = size(a, batch), m = size(a, left), kk = size(a, summed), n = size(b, right)
        let pa = arranged(a, batch + left + summed), pb = arranged(b, batch + right + summed)
        let shape = batch.map { a.array.shape[a.labels.firstIndex(of: $0) ?? 0] }
            + left.map { a.array.shape[a.labels.firstIndex(of: $0) ?? 0] }
            + right.map { b.array.shape[b.labels.firstIndex(of: $0) ?? 0] }

        func product<T>(_ x: [T], _ y: [T], zero: T, _ dot: (UnsafeBufferPointer<T>, Int, UnsafeBufferPointer<T>, Int, Int) -> T) -> [T] {
            var out = [T](repeating: zero, count: nb * m * n)
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeBufferPointer { yp in
                    for bi in 0..<nb {
                        for i in 0..<m {
                            for j in 0..<n {
                                out[(bi * m + i) * n + j] = dot(xp, (bi * m + i) * kk, yp, (bi * n + j) * kk, kk)
                            }
                        }
                    }
                }
            }
            return out
        }
        let storage: NDArray.Storage
        switch (pa.storage, pb.storage) {
        case let (.float(x), .float(y)):
            storage = .float(product(x, y, zero: 0) { xp, xo, yp, yo, k in
                var s = 0.0
                for t in 0..<k { s += Double(xp[xo + t]) * Double(yp[yo + t]) }
                return Float(s)
            })
        case let (.double(x), .double(y)):
            storage = .double(product(x, y, zero: 0) { xp, xo, yp, yo, k in
                var s = 0.0
                for t in 0..<k { s += xp[xo + t] * yp[yo + t] }
                return s
            })
        default:
            let type = a.array.elementType
            storage = .int(product(pa.ints, pb.ints, zero: 0) { xp, xo, yp, yo, k in
                var s: Int64 = 0
                for t in 0..<k { s = s &+ xp[xo + t] &* yp[yo + t] }
                return IntegerWrap.wrap(s, type)
            })
        }
        return Labeled(array: NDArray(elementType: a.array.elementType, shape: shape, storage: storage), labels: batch + left + right)
    }
}
