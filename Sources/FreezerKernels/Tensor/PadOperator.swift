import FreezerIR

/// Pad in every opset form: attributes `paddings` (1) or `pads` (2-10) with `value`; inputs `pads` and
/// `constant_value` (11+); the `axes` input (18+); modes constant, reflect, edge and wrap (19+).
///
/// Negative pads crop. As onnxruntime does, the crop is applied first and reflect/edge/wrap read the
/// cropped tensor. Reflect pads larger than the (cropped) size minus one are refused, as in onnxruntime.
extension TensorOperators {
    static func registerPad(_ r: inout KernelRegistry) {
        r.register("Pad", versions: 1...10) { ctx in
            let x = try ctx.input(0)
            let name = ctx.opset == 1 ? "paddings" : "pads"
            guard let pads = ctx.ints(name) else { throw ctx.fail("attribute '\(name)' is required") }
            let v = Double(ctx.float("value", default: 0))
            let fill: NDArray
            switch x.kind {
            case .float, .double: fill = NDArray.scalar(v, type: x.elementType)
            case .int: fill = NDArray(ints: [v.isFinite ? Int64(clamping: Int64(exactly: v.rounded(.towardZero)) ?? 0) : 0], shape: [], type: x.elementType)
            case .bool: fill = NDArray(bools: [v != 0], shape: [])
            case .string: fill = NDArray(strings: [""], shape: [])
            }
            return [try pad(ctx, x, pads: pads, axes: nil, fill: fill)]
        }
        r.register("Pad", versions: 11...Int64.max) { ctx in
            let x = try ctx.input(0)
            let pads = try IndexInputs.list(ctx, 1, "pads")
            var fill: NDArray?
            if let c = ctx.optionalInput(2), c.count > 0 {
                guard c.elementType == x.elementType, c.count == 1 else {
                    throw ctx.fail("input 'constant_value' must be one \(x.elementType) value, got \(c.elementType)\(c.shape)")
                }
                fill = c
            }
            let axes = ctx.opset >= 18 ? try IndexInputs.optionalInts(ctx, 3, "axes") : nil
            return [try pad(ctx, x, pads: pads, axes: axes, fill: fill)]
        }
    }

    static func pad(_ ctx: KernelContext, _ x: NDArray, pads: [Int64], axes: [Int64]?, fill: NDArray?) throws(EvaluationError) -> NDArray {
        let mode = ctx.string("mode", default: "constant")
        guard ["constant", "reflect", "edge"].contains(mode) || (mode == "wrap" && ctx.opset >= 19) else {
            throw ctx.fail("attribute 'mode' '\(mode)' is not one of constant, reflect, edge\(ctx.opset >= 19 ? ", wrap" : "") at opset \(ctx.opset)")
        }
        let axisList = try IndexInputs.axes(axes ?? (0..<Int64(x.rank)).map { $0 }, rank: x.rank, ctx)
        guard pads.count == 2 * axisList.count else {
            throw ctx.fail("'pads' has \(pads.count) values; expected \(2 * axisList.count) for input shape \(x.shape)\(axes == nil ? "" : " and axes \(axisList)")")
        }
        var before = [Int](repeating: 0, count: x.rank), after = before
        for (k, a) in axisList.enumerated() {
            guard abs(pads[k]) < 1 << 40, abs(pads[k + axisList.count]) < 1 << 40 else { throw ctx.fail("'pads' \(pads) are too large") }
            before[a] = Int(pads[k])
            after[a] = Int(pads[k + axisList.count])
        }
        let strides = x.strides
        var shape = x.shape
        var kept = x.shape
        for d in 0..<x.rank {
            let dim = x.shape[d]
            kept[d] = dim - max(-before[d], 0) - max(-after[d], 0)
            guard kept[d] >= 0 else { throw ctx.fail("negative pads \(before[d]), \(after[d]) remove more than the \(dim) elements of axis \(d)") }
            shape[d] = kept[d] + max(before[d], 0) + max(after[d], 0)
            if mode != "constant", kept[d] == 0, shape[d] > 0 {
                throw ctx.fail("mode '\(mode)' cannot pad axis \(d), which has no elements left to copy")
            }
            if mode == "reflect", max(before[d], after[d]) > kept[d] - 1, kept[d] > 0, before[d] > 0 || after[d] > 0 {
                throw ctx.fail("mode 'reflect' pads (\(before[d]), \(after[d])) exceed \(kept[d] - 1), the maximum for axis \(d) of size \(kept[d])")
            }
        }
        _ = try IndexInputs.count(shape, ctx, "output")
        var offsets: [[Int]] = []
        for d in 0..<x.rank {
            let cropStart = max(-before[d], 0)
            let lead = max(before[d], 0)
            let kept = kept[d]
            var table = [Int](repeating: 0, count: shape[d])
            for i in 0..<shape[d] {
                var j = i - lead
                if j < 0 || j >= kept {
                    switch mode {
                    case "edge": j = min(max(j, 0), kept - 1)
                    case "wrap": j = ((j % kept) + kept) % kept
                    case "reflect":
                        if kept == 1 { j = 0 } else {
                            let period = 2 * (kept - 1)
                            j = ((j % period) + period) % period
                            if j >= kept { j = period - j }
                        }
                    default:
                        table[i] = TensorLayout.outside
                        continue
                    }
                }
                table[i] = (cropStart + j) * strides[d]
            }
            offsets.append(table)
        }
        return TensorLayout.take(x, TensorLayout.positions(shape: shape, offsets: offsets), shape: shape, fill: fill)
    }
}
