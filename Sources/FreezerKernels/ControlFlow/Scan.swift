import FreezerIR

extension ControlFlowOperators {
    /// The N state variables, M scan inputs and K scan outputs of a Scan node, checked against its body.
    struct ScanLayout {
        var stateCount: Int
        var scanInputCount: Int
        var scanOutputCount: Int

        /// `operands` are the node's inputs after `sequence_lens` (opset 8) or all of them (opset 9+).
        init(_ ctx: KernelContext, body: Graph, operands: Int) throws(EvaluationError) {
            guard let m = ctx.int("num_scan_inputs"), m >= 1, m <= Int64(operands) else {
                throw ctx.fail("attribute 'num_scan_inputs' must be between 1 and the \(operands) state and scan inputs, but is \(ctx.int("num_scan_inputs").map(String.init) ?? "missing")")
            }
            scanInputCount = Int(m)
            stateCount = operands - scanInputCount
            guard body.inputs.count == operands else {
                throw ctx.fail("body must have one input per state variable and scan input (\(stateCount) + \(scanInputCount)), but it has \(body.inputs.count)")
            }
            guard body.outputs.count >= stateCount else {
                throw ctx.fail("body must output the \(stateCount) state variables first, but it has only \(body.outputs.count) outputs")
            }
            scanOutputCount = body.outputs.count - stateCount
            guard ctx.outputCount <= body.outputs.count else {
                throw ctx.fail("the node has \(ctx.outputCount) outputs but body produces only \(body.outputs.count) (\(stateCount) states, \(scanOutputCount) scan outputs)")
            }
        }
    }

    /// An optional per-input attribute list (`scan_input_axes`, ...) of `count` entries, or all `value`.
    static func perInput(_ ctx: KernelContext, _ name: String, count: Int, default value: Int64) throws(EvaluationError) -> [Int64] {
        guard let list = ctx.ints(name) else { return [Int64](repeating: value, count: count) }
        guard list.count == count else {
            throw ctx.fail("attribute '\(name)' has \(list.count) entries but there are \(count) \(name.hasPrefix("scan_output") ? "scan outputs" : "scan inputs")")
        }
        return list
    }

    static func directions(_ ctx: KernelContext, _ name: String, count: Int) throws(EvaluationError) -> [Bool] {
        let list = try perInput(ctx, name, count: count, default: 0)
        for d in list where d != 0 && d != 1 {
            throw ctx.fail("attribute '\(name)' holds \(d); directions are 0 (forward) or 1 (reverse)")
        }
        return list.map { $0 == 1 }
    }

    /// Checks that a body output carrying state variable `i` keeps the type and shape of the state.
    static func checkState(_ next: NDArray, _ previous: NDArray, _ i: Int, _ body: Graph, _ ctx: KernelContext,
                           _ what: String) throws(EvaluationError) {
        guard next.elementType == previous.elementType, next.shape == previous.shape else {
            throw ctx.fail("state variable \(i) ('\(body.value(body.inputs[i]).name)') is \(previous) but \(what) returned \(next); Scan requires states to keep their type and shape")
        }
    }

    /// Scan (opset 9–25): iterates the body over slices of M scan inputs along their scan axes,
    /// carrying N state variables and stacking K scan outputs along their output axes.
    ///
    /// `scan_input_directions` = 1 reads a scan input from its end; `scan_output_directions` = 1
    /// prepends each iteration's value (the last iteration's value comes first). Axes may be negative
    /// (counted from the back: of the input's rank for inputs, of the stacked rank for outputs).
    static func scanKernel(_ ctx: KernelContext) throws -> [NDArray?] {
        let body = try ctx.graph("body")
        let layout = try ScanLayout(ctx, body: body, operands: ctx.inputCount)
        let (n, m, k) = (layout.stateCount, layout.scanInputCount, layout.scanOutputCount)
        let operands = try (0..<ctx.inputCount).map { (i) throws(EvaluationError) in try ctx.input(i) }
        var states = Array(operands[..<n])
        let scanInputs = Array(operands[n...])

        let inputAxes = try perInput(ctx, "scan_input_axes", count: m, default: 0)
        let inputReverse = try directions(ctx, "scan_input_directions", count: m)
        let outputAxes = try perInput(ctx, "scan_output_axes", count: k, default: 0)
        let outputReverse = try directions(ctx, "scan_output_directions", count: k)

        var axes: [Int] = []
        var length: Int?
        for (j, x) in scanInputs.enumerated() {
            guard x.rank >= 1 else { throw ctx.fail("scan input \(j) is a scalar (\(x)); it needs an axis to scan") }
            let axis = try ctx.axis(inputAxes[j], rank: x.rank)
            if let length, x.shape[axis] != length {
                throw ctx.fail("scan input \(j) is \(x) with \(x.shape[axis]) elements along its scan axis \(axis), but scan input 0 has \(length); all scan inputs must have the same sequence length")
            }
            length = x.shape[axis]
            axes.append(axis)
        }
        let steps = length ?? 0

        var scans = [[NDArray]](repeating: [], count: k)
        for t in 0..<steps {
            let what = "body (iteration \(t))"
            var inputs: [NDArray?] = states.map { $0 }
            for (j, x) in scanInputs.enumerated() {
                inputs.append(x.slice(at: inputReverse[j] ? steps - 1 - t : t, axis: axes[j]))
            }
            let outputs = try run(body, inputs, ctx, what)
            guard outputs.count == body.outputs.count else {
                throw ctx.fail("\(what) returned \(outputs.count) values instead of \(body.outputs.count)")
            }
            for i in 0..<n {
                try checkState(outputs[i], states[i], i, body, ctx, what)
                states[i] = outputs[i]
            }
            for j in 0..<k where ctx.outputIsNeeded(n + j) { scans[j].append(outputs[n + j]) }
        }

        var result: [NDArray?] = states.map { $0 }
        for j in 0..<k {
            guard ctx.outputIsNeeded(n + j) else { result.append(nil); continue }
            let name = body.value(body.outputs[n + j]).name
            if scans[j].isEmpty {
                let declaredRank = body.value(body.outputs[n + j]).type?.tensor?.shape?.count ?? 0
                let axis = try ctx.axis(outputAxes[j], rank: declaredRank + 1)
                result.append(try emptyStack(body, output: n + j, axis: axis, ctx, "the scan"))
                continue
            }
            let axis = try ctx.axis(outputAxes[j], rank: scans[j][0].rank + 1)
            result.append(try stack(outputReverse[j] ? scans[j].reversed() : scans[j], axis: axis, name, ctx))
        }
        return Array(result.prefix(ctx.outputCount))
    }
}
