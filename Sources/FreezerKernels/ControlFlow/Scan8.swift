import FreezerIR

extension ControlFlowOperators {
    /// Scan (opset 8): the batched form. Axis 0 of every state and scan input is the batch, axis 1 of
    /// every scan input the sequence; each batch entry runs its own loop of `sequence_lens[b]` steps.
    ///
    /// Inputs: `sequence_lens` (optional int64 [batch]), N initial states, M scan inputs. Outputs: the N
    /// final states and K scan outputs, each `[batch, max_sequence_length, ...]`. Where a batch entry's
    /// sequence is shorter than the maximum, ONNX leaves the rest of its scan outputs undefined; this
    /// evaluator fills them with zeros (as onnxruntime does), so results are deterministic.
    /// `directions` = 1 reads that scan input backwards from position `sequence_lens[b] - 1`.
    static func scan8Kernel(_ ctx: KernelContext) throws -> [NDArray?] {
        let body = try ctx.graph("body")
        let layout = try ScanLayout(ctx, body: body, operands: max(0, ctx.inputCount - 1))
        let (n, m, k) = (layout.stateCount, layout.scanInputCount, layout.scanOutputCount)
        let operands = try (1..<ctx.inputCount).map { (i) throws(EvaluationError) in try ctx.input(i) }
        let initialStates = Array(operands[..<n])
        let scanInputs = Array(operands[n...])
        let reverse = try directions(ctx, "directions", count: m)

        let first = scanInputs[0]
        guard first.rank >= 2 else {
            throw ctx.fail("scan input 0 is \(first); opset-8 Scan inputs need a batch axis 0 and a sequence axis 1")
        }
        let batch = first.shape[0]
        let maxLength = first.shape[1]
        for (j, x) in scanInputs.enumerated() where x.rank < 2 || x.shape[0] != batch || x.shape[1] != maxLength {
            throw ctx.fail("scan input \(j) is \(x) but scan input 0 is \(first); all scan inputs need the same batch size (axis 0) and maximum sequence length (axis 1)")
        }
        for (i, s) in initialStates.enumerated() where s.rank < 1 || s.shape[0] != batch {
            throw ctx.fail("initial state \(i) is \(s); its axis 0 must be the batch size \(batch) of the scan inputs")
        }
        var lengths = [Int](repeating: maxLength, count: batch)
        if let given = ctx.optionalInput(0) {
            guard case .int(let v) = given.storage, given.shape == [batch] else {
                throw ctx.fail("input 'sequence_lens' must be an integer tensor of shape [\(batch)] (the batch size), but is \(given)")
            }
            for (b, len) in v.enumerated() {
                guard len >= 0 && len <= Int64(maxLength) else {
                    throw ctx.fail("sequence_lens[\(b)] is \(len), outside 0...\(maxLength) (the maximum sequence length)")
                }
                lengths[b] = Int(len)
            }
        }

        var finalStates = [[NDArray]](repeating: [], count: n)
        var perBatchScans = [[[NDArray]]](repeating: [[NDArray]](repeating: [], count: k), count: batch)
        for b in 0..<batch {
            var states = initialStates.map { $0.slice(at: b, axis: 0) }
            let inputs = scanInputs.map { $0.slice(at: b, axis: 0) }
            let len = lengths[b]
            for t in 0..<len {
                let what = "body (batch \(b), iteration \(t))"
                var feeds: [NDArray?] = states.map { $0 }
                for (j, x) in inputs.enumerated() { feeds.append(x.slice(at: reverse[j] ? len - 1 - t : t, axis: 0)) }
                let outputs = try run(body, feeds, ctx, what)
                guard outputs.count == body.outputs.count else {
                    throw ctx.fail("\(what) returned \(outputs.count) values instead of \(body.outputs.count)")
                }
                for i in 0..<n {
                    try checkState(outputs[i], states[i], i, body, ctx, what)
                    states[i] = outputs[i]
                }
                for j in 0..<k { perBatchScans[b][j].append(outputs[n + j]) }
            }
            for i in 0..<n { finalStates[i].append(states[i]) }
        }

        var result: [NDArray?] = []
        for i in 0..<n {
            result.append(batch == 0 ? initialStates[i] : try stack(finalStates[i], axis: 0, body.value(body.outputs[i]).name, ctx))
        }
        for j in 0..<k {
            guard ctx.outputIsNeeded(n + j) else { result.append(nil); continue }
            let name = body.value(body.outputs[n + j]).name
            // The element of this scan output: from any iteration that ran, else from the declaration.
            let element: NDArray
            if let sample = perBatchScans.lazy.compactMap({ $0[j].first }).first {
                element = NDArray.filled(0, shape: sample.shape, type: sample.elementType)
            } else {
                let empty = try emptyStack(body, output: n + j, axis: 0, ctx, "the scan")
                element = NDArray.filled(0, shape: Array(empty.shape.dropFirst()), type: empty.elementType)
            }
            var rows: [NDArray] = []
            for b in 0..<batch {
                let items = perBatchScans[b][j] + [NDArray](repeating: element, count: maxLength - perBatchScans[b][j].count)
                rows.append(maxLength == 0
                    ? NDArray.filled(0, shape: [0] + element.shape, type: element.elementType)
                    : try stack(items, axis: 0, name, ctx))
            }
            result.append(batch == 0
                ? NDArray.filled(0, shape: [0, maxLength] + element.shape, type: element.elementType)
                : try stack(rows, axis: 0, name, ctx))
        }
        return Array(result.prefix(ctx.outputCount))
    }
}
