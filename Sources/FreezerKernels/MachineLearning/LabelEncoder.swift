import FreezerIR

extension MachineLearningOperators {
    /// LabelEncoder (ai.onnx.ml 2+, with opset 4's tensor attributes): maps each element of X through the
    /// table `keys_*[i] -> values_*[i]`; elements not among the keys become the default.
    ///
    /// Exactly one `keys_*` (`keys_strings`, `keys_int64s`, `keys_floats`, `keys_tensor`) and one
    /// `values_*` attribute are given, of one length; X has the keys' element type and Y the values'.
    /// The default is `default_tensor` (one element) when the values are a tensor, else `default_string`
    /// ("_Unused"), `default_int64` (-1) or `default_float` (-0.0) for the values' type; a `values_tensor`
    /// without `default_tensor` takes the default of its kind ("_Unused", -1, -0.0). A repeated key maps to
    /// its last value; a NaN key matches every NaN, and 0.0 and -0.0 are the same key.
    static func labelEncoder(_ ctx: KernelContext) throws -> [NDArray?] {
        let x = try ctx.input(0)
        let keys = try table(ctx, "keys")
        let values = try table(ctx, "values")
        guard keys.count == values.count else {
            throw ctx.fail("the keys have \(keys.count) entries but the values \(values.count); they must pair up")
        }
        let fallback: NDArray
        if ctx.attribute("values_tensor") != nil, let d = try tensorAttribute(ctx, "default_tensor") {
            guard d.count == 1, d.elementType == values.elementType else {
                throw ctx.fail("attribute 'default_tensor' must hold one \(values.elementType) value, but is \(d)")
            }
            fallback = d.reshaped([])
        } else {
            switch values.kind {
            case .string: fallback = NDArray(strings: [ctx.string("default_string", default: "_Unused")], shape: [])
            case .int: fallback = NDArray(ints: [ctx.int("default_int64", default: -1)], shape: [], type: values.elementType)
            case .float, .double:
                fallback = NDArray.filled(Double(ctx.float("default_float", default: -0.0)), shape: [], type: values.elementType)
            case .bool: throw ctx.fail("the values must be strings, integers or floating-point numbers, not bool")
            }
        }
        let positions = try lookup(x, in: keys, ctx)
        return [gather(values, fallback: fallback, positions: positions, shape: x.shape)]
    }

    /// LabelEncoder (ai.onnx.ml 1): strings to their index in `classes_strings` (`default_int64`, -1,
    /// when absent; the first of repeated classes wins), or int64 indices to their string in
    /// `classes_strings` (`default_string`, "_Unused", when out of range), by the input's type.
    static func labelEncoder1(_ ctx: KernelContext) throws -> [NDArray?] {
        let x = try ctx.input(0)
        let classes = stringsAttribute(ctx, "classes_strings") ?? []
        switch x.storage {
        case .string(let v):
            var index: [String: Int64] = [:]
            for (i, c) in classes.enumerated() where index[c] == nil { index[c] = Int64(i) }
            let fallback = ctx.int("default_int64", default: -1)
            return [NDArray(ints: v.map { index[$0] ?? fallback }, shape: x.shape)]
        case .int(let v) where x.elementType == .int64:
            let fallback = ctx.string("default_string", default: "_Unused")
            return [NDArray(strings: v.map { $0 >= 0 && $0 < Int64(classes.count) ? classes[Int($0)] : fallback }, shape: x.shape)]
        default:
            throw ctx.fail("input must be string or int64 at ai.onnx.ml opset 1, but is \(x.elementType)")
        }
    }

    /// The `keys_*` or `values_*` table, as a 1-D array (exactly one of the attributes must be given).
    private static func table(_ ctx: KernelContext, _ prefix: String) throws(EvaluationError) -> NDArray {
        var found: [NDArray] = []
        if let v = stringsAttribute(ctx, prefix + "_strings") { found.append(NDArray(strings: v, shape: [v.count])) }
        if let v = ctx.ints(prefix + "_int64s") { found.append(NDArray(ints: v, shape: [v.count])) }
        if let v = ctx.floats(prefix + "_floats") { found.append(NDArray(floats: v, shape: [v.count])) }
        if let t = try tensorAttribute(ctx, prefix + "_tensor") {
            guard t.rank == 1 else { throw ctx.fail("attribute '\(prefix)_tensor' must be 1-D, but has shape \(t.shape)") }
            found.append(t)
        }
        guard found.count == 1 else {
            throw ctx.fail("exactly one of '\(prefix)_strings', '\(prefix)_int64s', '\(prefix)_floats' and '\(prefix)_tensor' must be given, found \(found.count)")
        }
        return found[0]
    }

    /// For every element of `x`, the position of its key in `keys` (the last one for repeated keys), or
    /// -1. Floating-point keys and inputs are compared as Double (exact for every float type, and so also
    /// under float64 precision, where float inputs arrive widened).
    private static func lookup(_ x: NDArray, in keys: NDArray, _ ctx: KernelContext) throws(EvaluationError) -> [Int] {
        func index<K: Hashable>(_ keys: [K], _ inputs: [K]) -> [Int] {
            var table: [K: Int] = [:]
            for (i, k) in keys.enumerated() { table[k] = i }
            return inputs.map { table[$0] ?? -1 }
        }
        switch (keys.kind, x.kind) {
        case (.string, .string): return index(keys.strings, x.strings)
        case (.int, .int): return index(keys.ints, x.ints)
        case (.float, .float), (.float, .double), (.double, .double), (.double, .float):
            // One key for every NaN and for both zeros, as dictionaries of floats behave.
            func key(_ v: Double) -> UInt64 { v.isNaN ? Double.nan.bitPattern : (v == 0 ? 0 : v.bitPattern) }
            return index(keys.asDoubles.map(key), x.asDoubles.map(key))
        default:
            throw ctx.fail("input is \(x.elementType) but the keys are \(keys.elementType); they must be of the same type")
        }
    }

    /// `values[positions[i]]`, or `fallback` where the position is -1, shaped `shape`.
    private static func gather(_ values: NDArray, fallback: NDArray, positions: [Int], shape: [Int]) -> NDArray {
        func pick<T>(_ v: [T], _ d: [T]) -> [T] { positions.map { $0 < 0 ? d[0] : v[$0] } }
        let storage: NDArray.Storage = switch (values.storage, fallback.storage) {
        case (.string(let v), .string(let d)): .string(pick(v, d))
        case (.int(let v), .int(let d)): .int(pick(v, d))
        case (.float(let v), .float(let d)): .float(pick(v, d))
        case (.double(let v), .double(let d)): .double(pick(v, d))
        default: .bool(pick(values.bools, fallback.bools))
        }
        return NDArray(elementType: values.elementType, shape: shape, storage: storage)
    }
}
