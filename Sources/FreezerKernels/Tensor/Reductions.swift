import Foundation
import FreezerIR

/// ReduceSum, ReduceMean, ReduceMax, ReduceMin, ReduceProd, ReduceL1, ReduceL2, ReduceSumSquare,
/// ReduceLogSum (log of the sum; −∞ for an empty set) and ReduceLogSumExp in their attribute (axes attribute) and input (axes input, noop_with_empty_axes) forms.
///
/// Float sums accumulate in Double and round once, so results are deterministic and at least as accurate
/// as onnxruntime's float32 accumulation. Max and Min propagate NaN (onnxruntime ignores a NaN that is
/// not the first element of the reduced set; an auditor should see the NaN).
extension TensorOperators {
    enum Reduction: String, CaseIterable {
        case sum = "ReduceSum", mean = "ReduceMean", max = "ReduceMax", min = "ReduceMin", prod = "ReduceProd"
        case l1 = "ReduceL1", l2 = "ReduceL2", sumSquare = "ReduceSumSquare", logSum = "ReduceLogSum", logSumExp = "ReduceLogSumExp"

        /// The first opset where axes is an input: 13 for ReduceSum, 18 for the others.
        var axesInputSince: Int64 { self == .sum ? 13 : 18 }
    }

    static func registerReductions(_ r: inout KernelRegistry) {
        for op in Reduction.allCases {
            r.register(op.rawValue, versions: 1...(op.axesInputSince - 1)) { ctx in
                [try reduce(ctx, op, axes: ctx.ints("axes"), noopWithEmptyAxes: false)]
            }
            r.register(op.rawValue, versions: op.axesInputSince...Int64.max) { ctx in
                let axes = try IndexInputs.optionalInts(ctx, 1, "axes")
                return [try reduce(ctx, op, axes: axes, noopWithEmptyAxes: ctx.int("noop_with_empty_axes", default: 0) != 0)]
            }
        }
    }

    static func reduce(_ ctx: KernelContext, _ op: Reduction, axes given: [Int64]?, noopWithEmptyAxes: Bool) throws(EvaluationError) -> NDArray {
        let x = try ctx.input(0)
        let keepDims = ctx.int("keepdims", default: 1) != 0
        let axes: [Int]
        if let given, !given.isEmpty {
            if ctx.opset < 11, let a = given.first(where: { $0 < 0 }) {
                throw ctx.fail("negative axis \(a) is not allowed before opset 11")
            }
            axes = try IndexInputs.axes(given, rank: x.rank, ctx, allowDuplicates: true)
        } else {
            if noopWithEmptyAxes { return x }
            axes = Array(0..<x.rank)
        }
        // Offsets of each output element (kept dims) and of each element of one reduced set.
        let strides = x.strides
        var keptShape = x.shape, reducedShape = x.shape
        for d in 0..<x.rank { if axes.contains(d) { keptShape[d] = 1 } else { reducedShape[d] = 1 } }
        let bases = TensorLayout.positions(shape: keptShape, offsets: (0..<x.rank).map { TensorLayout.linear(keptShape[$0], stride: strides[$0]) })
        let rel = TensorLayout.positions(shape: reducedShape, offsets: (0..<x.rank).map { TensorLayout.linear(reducedShape[$0], stride: strides[$0]) })
        let shape = keepDims ? keptShape : x.shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element)

        switch x.storage {
        case .float(let v):
            let out = reduceDoubles(op, v.map(Double.init), bases, rel)
            return NDArray(elementType: x.elementType, shape: shape, storage: .float(out.map { Float($0) }))
        case .double(let v):
            return NDArray(elementType: .double, shape: shape, storage: .double(reduceDoubles(op, v, bases, rel)))
        case .int(let v):
            if rel.isEmpty, op == .max || op == .min {
                throw ctx.fail("\(op.rawValue) of an empty set of \(x.elementType) values (input shape \(x.shape), axes \(axes)) has no value")
            }
            return NDArray(elementType: x.elementType, shape: shape, storage: .int(reduceInts(op, v, x.elementType, bases, rel)))
        case .bool(let v) where op == .max || op == .min:
            let out = bases.map { b in op == .max ? rel.contains { v[b + $0] } : rel.allSatisfy { v[b + $0] } }
            return NDArray(elementType: .bool, shape: shape, storage: .bool(out))
        default:
            throw ctx.fail("\(op.rawValue) does not accept \(x.elementType)")
        }
    }

    /// One result per base: the reduction of `values[base + r]` over `rel`, in Double.
    static func reduceDoubles(_ op: Reduction, _ values: [Double], _ bases: [Int], _ rel: [Int]) -> [Double] {
        values.withUnsafeBufferPointer { v in
            rel.withUnsafeBufferPointer { rel in
                bases.map { b in
                    switch op {
                    case .sum, .mean, .logSum:
                        var s = 0.0
                        for r in rel { s += v[b + r] }
                        return op == .sum ? s : op == .mean ? s / Double(rel.count) : log(s)
                    case .sumSquare, .l2:
                        var s = 0.0
                        for r in rel { let x = v[b + r]; s += x * x }
                        return op == .l2 ? s.squareRoot() : s
                    case .l1:
                        var s = 0.0
                        for r in rel { s += abs(v[b + r]) }
                        return s
                    case .prod:
                        var s = 1.0
                        for r in rel { s *= v[b + r] }
                        return s
                    case .max, .min:
                        var s = op == .max ? -Double.infinity : Double.infinity
                        for r in rel {
                            let x = v[b + r]
                            if x.isNaN { return .nan }
                            s = op == .max ? Swift.max(s, x) : Swift.min(s, x)
                        }
                        return s
                    case .logSumExp:
                        var m = -Double.infinity
                        for r in rel { let x = v[b + r]; if x.isNaN { return .nan }; m = Swift.max(m, x) }
                        // Subtracting the maximum keeps exp from overflowing; an infinite maximum is the result.
                        if !m.isFinite { return m }
                        var s = 0.0
                        for r in rel { s += exp(v[b + r] - m) }
                        return m + log(s)
                    }
                }
            }
        }
    }

    /// Integer reductions in Int64 wrapped to `type`; mean divides with truncation, L2 and LogSumExp go
    /// through Double and truncate, as onnxruntime's integer kernels do.
    static func reduceInts(_ op: Reduction, _ values: [Int64], _ type: ElementType, _ bases: [Int], _ rel: [Int]) -> [Int64] {
        let unsigned = type == .uint64
        return values.withUnsafeBufferPointer { v in
            bases.map { b -> Int64 in
                switch op {
                case .sum, .mean:
                    var s: Int64 = 0
                    for r in rel { s = s &+ v[b + r] }
                    if op == .mean { s = rel.isEmpty ? 0 : (unsigned ? Int64(bitPattern: UInt64(bitPattern: s) / UInt64(rel.count)) : s / Int64(rel.count)) }
                    return IntegerWrap.wrap(s, type)
                case .sumSquare:
                    var s: Int64 = 0
                    for r in rel { s = s &+ v[b + r] &* v[b + r] }
                    return IntegerWrap.wrap(s, type)
                case .l1:
                    var s: Int64 = 0
                    for r in rel { let x = v[b + r]
                        s = s &+ (unsigned || x >= 0 ? x : 0 &- x) }
                    return IntegerWrap.wrap(s, type)
                case .prod:
                    var s: Int64 = 1
                    for r in rel { s = s &* v[b + r] }
                    return IntegerWrap.wrap(s, type)
                case .max, .min:
                    var s = v[b + rel[0]]
                    for r in rel {
                        let x = v[b + r]
                        let greater = unsigned ? UInt64(bitPattern: x) > UInt64(bitPattern: s) : x > s
                        let less = unsigned ? UInt64(bitPattern: x) < UInt64(bitPattern: s) : x < s
                        if op == .max ? greater : less { s = x }
                    }
                    return s
                case .l2, .logSum, .logSumExp:
                    let d = rel.map { Double(v[b + $0]) }
                    let r = reduceDoubles(op, d, [0], Array(0..<d.count))[0]
                    return r.isFinite ? IntegerWrap.wrap(Int64(clamping: Int64(exactly: r.rounded(.towardZero)) ?? 0), type) : 0
                }
            }
        }
    }
}
