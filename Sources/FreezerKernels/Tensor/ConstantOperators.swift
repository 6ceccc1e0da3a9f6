import FreezerIR

/// Constant, ConstantOfShape, Identity, Shape, Size and Range: operators that make tensors from
/// attributes or from shapes rather than from element values.
extension TensorOperators {
    static func registerConstants(_ r: inout KernelRegistry) {
        // Identity passes any value on: tensors, and sequences and optionals (opset 14+ and 16+).
        r.registerValues("Identity") { ctx in [try ctx.value(0)] }
        r.register("Constant") { ctx in [try constant(ctx)] }
        r.register("ConstantOfShape", versions: 9...Int64.max) { ctx in [try constantOfShape(ctx)] }

        r.register("Shape", versions: 1...14) { ctx in
            let x = try ctx.input(0)
            return [NDArray(ints: x.shape.map(Int64.init), shape: [x.rank])]
        }
        // Opset 15 adds start/end, clamped to [0, rank] after adding rank to negative values.
        r.register("Shape", versions: 15...Int64.max) { ctx in
            let x = try ctx.input(0)
            let rank = Int64(x.rank)
            func clamp(_ v: Int64) -> Int { Int(min(max(v < 0 ? v + rank : v, 0), rank)) }
            let start = clamp(ctx.int("start", default: 0))
            let end = clamp(ctx.int("end", default: rank))
            let dims = start < end ? x.shape[start..<end].map(Int64.init) : []
            return [NDArray(ints: dims, shape: [dims.count])]
        }
        r.register("Size") { ctx in [NDArray(ints: [Int64(try ctx.input(0).count)], shape: [])] }
        r.register("Range", versions: 11...Int64.max) { ctx in [try range(ctx)] }
    }

    /// Constant: exactly one of value, value_float(s), value_int(s), value_string(s); sparse_value refused.
    static func constant(_ ctx: KernelContext) throws(EvaluationError) -> NDArray {
        let forms = ["value", "sparse_value", "value_float", "value_floats", "value_int", "value_ints", "value_string", "value_strings"]
        let present = ctx.node.attributes.filter { forms.contains($0.name) }
        guard present.count == 1, let a = present.first else {
            throw ctx.fail("Constant needs exactly one of \(forms.joined(separator: ", ")); got \(present.map(\.name))")
        }
        switch (a.name, a.value) {
        case ("value", .tensor(let t)):
            return try NDArray(t)
        case ("sparse_value", _):
            throw ctx.unsupportedFeature("sparse_value (densify the tensor first)")
        case ("value_float", .float(let v)):
            return NDArray(floats: [v], shape: [])
        case ("value_floats", .floats(let v)):
            return NDArray(floats: v, shape: [v.count])
        case ("value_int", .int(let v)):
            return NDArray(ints: [v], shape: [])
        case ("value_ints", .ints(let v)):
            return NDArray(ints: v, shape: [v.count])
        case ("value_string", .string(let v)):
            return NDArray(strings: [String(decoding: v, as: UTF8.self)], shape: [])
        case ("value_strings", .strings(let v)):
            return NDArray(strings: v.map { String(decoding: $0, as: UTF8.self) }, shape: [v.count])
        default:
            throw ctx.fail("Constant attribute '\(a.name)' has the wrong attribute type (\(a.value))")
        }
    }

    /// ConstantOfShape: a tensor of the given shape filled with the one-element `value` (default float 0).
    static func constantOfShape(_ ctx: KernelContext) throws(EvaluationError) -> NDArray {
        let dims = try IndexInputs.list(ctx, 0, "input")
        var shape: [Int] = []
        for d in dims { shape.append(try IndexInputs.dimension(d, ctx, "shape value")) }
        _ = try IndexInputs.count(shape, ctx, "output")
        var value = NDArray.scalar(0, type: .float)
        if let a = ctx.attribute("value") {
            guard case .tensor(let t) = a.value else { throw ctx.fail("attribute 'value' must be a tensor") }
            value = try NDArray(t)
            guard value.count == 1 else { throw ctx.fail("attribute 'value' must hold one element, got shape \(value.shape)") }
        }
        // Every axis repeats the one element: a fill, with no table of positions.
        let view = StridedView(shape: shape, strides: [Int](repeating: 0, count: shape.count))
        return TensorLayout.copy(value, view, shape: shape)
    }

    /// Range: `start, start+delta, ...` below `limit` (above it for negative delta), accumulated by
    /// repeated addition as onnxruntime and the ONNX function body do.
    static func range(_ ctx: KernelContext) throws(EvaluationError) -> NDArray {
        let start = try ctx.input(0), limit = try ctx.input(1), delta = try ctx.input(2)
        for (a, name) in [(start, "start"), (limit, "limit"), (delta, "delta")] {
            guard a.count == 1, a.rank <= 1 else { throw ctx.fail("input '\(name)' must be a scalar, got shape \(a.shape)") }
            guard a.elementType == start.elementType else {
                throw ctx.fail("inputs must share one type: start is \(start.elementType), \(name) is \(a.elementType)")
            }
        }
        switch (start.storage, limit.storage, delta.storage) {
        case let (.float(s), .float(l), .float(d)):
            // The count is computed in Float, as onnxruntime does: ceil(2.2f / 0.1f) is 22, not 23.
            let n = try rangeCount(Double((l[0] - s[0]) / d[0]), d[0] == 0, ctx)
            var out = [Float](repeating: 0, count: n)
            var v = s[0]
            // float16/bfloat16 accumulate in their own precision before opset 27 and with stash_type=0;
            // from 27 the default stash_type=1 accumulates in float32 and rounds the outputs once.
            let type = start.elementType
            let roundEachStep = type != .float && (ctx.opset < 27 || ctx.int("stash_type", default: 1) == 0)
            for i in 0..<n {
                out[i] = v
                v += d[0]
                if roundEachStep { v = roundedToType(v, type) }
            }
            return NDArray(floats: out, shape: [n], type: type)
        case let (.double(s), .double(l), .double(d)):
            let n = try rangeCount((l[0] - s[0]) / d[0], d[0] == 0, ctx)
            var out = [Double](repeating: 0, count: n)
            var v = s[0]
            for i in 0..<n { out[i] = v; v += d[0] }
            return NDArray(doubles: out, shape: [n])
        case let (.int(s), .int(l), .int(d)):
            guard d[0] != 0 else { throw ctx.fail("input 'delta' must not be zero") }
            let (diff, overflow) = l[0].subtractingReportingOverflow(s[0])
            guard !overflow else { throw ctx.fail("Range from \(s[0]) to \(l[0]) overflows") }
            // Int64.min / -1 (and % -1) would trap: that count, 2^63, is far too large anyway.
            guard !(diff == .min && d[0] == -1) else {
                throw ctx.fail("Range from \(s[0]) to \(l[0]) by \(d[0]) would produce 2^63 elements")
            }
            var q = diff / d[0]
            if diff % d[0] != 0 && (diff > 0) == (d[0] > 0) { q += 1 }
            let n = try rangeCount(Double(max(q, 0)), false, ctx)
            let out = (0..<n).map { IntegerWrap.wrap(s[0] &+ Int64($0) &* d[0], start.elementType) }
            return NDArray(ints: out, shape: [n], type: start.elementType)
        default:
            throw ctx.fail("Range does not support \(start.elementType)")
        }
    }

    /// `v` rounded to float16 or bfloat16 precision.
    private static func roundedToType(_ v: Float, _ type: ElementType) -> Float {
        type == .float16 ? HalfPrecision.float(fromHalf: HalfPrecision.half(fromDouble: Double(v)))
                         : HalfPrecision.float(fromBFloat16: HalfPrecision.bfloat16(fromDouble: Double(v)))
    }

    private static func rangeCount(_ steps: Double, _ zeroDelta: Bool, _ ctx: KernelContext) throws(EvaluationError) -> Int {
        guard !zeroDelta else { throw ctx.fail("input 'delta' must not be zero") }
        guard !steps.isNaN else { throw ctx.fail("Range bounds are not numbers") }
        let n = max(steps.rounded(.up), 0)
        guard n <= Double(IndexInputs.maxElements) else { throw ctx.fail("Range would produce \(n) elements") }
        return Int(n)
    }
}
