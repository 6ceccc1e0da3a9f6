import FreezerIR

extension ControlFlowOperators {
    /// Loop (opset 1–25): runs `body` while `iteration < M && cond`, carrying N values from one
    /// iteration to the next and stacking K per-iteration scan outputs along a new axis 0.
    ///
    /// Inputs: `M` (optional int64 trip count), `cond` (optional bool), N initial carried values.
    /// Body inputs: `iteration_num` (int64 scalar), `cond` (bool scalar), N carried values.
    /// Body outputs: `cond`, N carried values, K scan-output elements. Node outputs: the N final
    /// carried values, then the K stacked scan outputs.
    ///
    /// As the operator's table says: without a `cond` input the body's condition output is ignored and
    /// the body sees `true`; without `M` the loop runs until the condition is false. A negative `M`
    /// runs zero iterations. Whatever the inputs, the loop stops with an error after
    /// `maxLoopIterations` iterations instead of running forever.
    ///
    /// Carried values may be sequences and optionals (opset 13+ and 16+); each keeps its kind and element
    /// type from one iteration to the next, where an optional holding a value counts as that value: a
    /// body input declared optional may be returned by the body as the tensor or sequence it holds (as
    /// ONNX's test_loop16_seq_none does), and is wrapped in an optional again for the next iteration.
    /// Scan outputs are tensors.
    static func loopKernel(_ ctx: KernelContext) throws -> [RuntimeValue?] {
        let body = try ctx.graph("body")
        let tripCount = try ctx.optionalInput(0).map { (m) throws(EvaluationError) in try scalarInt(m, "input 'M' (trip count)", ctx) }
        let condGiven = ctx.optionalInput(1)
        var cond = try condGiven.map { (c) throws(EvaluationError) in try scalarBool(c, "input 'cond'", ctx) } ?? true
        let n = max(0, ctx.inputCount - 2)
        guard body.inputs.count == 2 + n else {
            throw ctx.fail("the node has \(n) loop-carried input\(n == 1 ? "" : "s"), so body must have \(2 + n) inputs (iteration_num, cond, then the carried values), but it has \(body.inputs.count)")
        }
        guard body.outputs.count >= 1 + n else {
            throw ctx.fail("body must output cond and the \(n) loop-carried value\(n == 1 ? "" : "s") (at least \(1 + n) outputs), but it has \(body.outputs.count)")
        }
        let k = body.outputs.count - 1 - n
        guard ctx.outputCount <= n + k else {
            throw ctx.fail("the node has \(ctx.outputCount) outputs but the loop produces only \(n + k) (\(n) carried, \(k) scan outputs)")
        }
        var carried: [RuntimeValue] = []
        for i in 0..<n {
            guard let v = ctx.optionalValue(2 + i) else {
                throw ctx.fail("loop-carried input \(i) (node input \(2 + i)) is missing; every carried value needs an initial value")
            }
            carried.append(v)
        }
        let scanNeeded = (0..<k).map { ctx.outputIsNeeded(n + $0) }
        let takesOptional = (0..<n).map { body.value(body.inputs[2 + $0]).type?.otherKind == "optional" }
        var scans = [[NDArray]](repeating: [], count: k)

        let limit = maxLoopIterations
        var iteration: Int64 = 0
        while cond && (tripCount.map { iteration < $0 } ?? true) {
            guard iteration < Int64(limit) else {
                throw ctx.fail("the loop ran \(limit) iterations without stopping (trip count \(tripCount.map(String.init) ?? "not given"), condition \(condGiven == nil ? "not given" : "still true")); the reference evaluator stops a Loop after \(limit) iterations")
            }
            let what = "body (iteration \(iteration))"
            var inputs: [RuntimeValue?] = [.tensor(NDArray(ints: [iteration], shape: [])), .tensor(NDArray(bools: [cond], shape: []))]
            for (i, v) in carried.enumerated() { inputs.append(takesOptional[i] ? v.asOptional : v) }
            let outputs = try run(body, values: inputs, ctx, what)
            guard outputs.count == body.outputs.count else {
                throw ctx.fail("\(what) returned \(outputs.count) values instead of \(body.outputs.count)")
            }
            if condGiven != nil {
                guard let c = outputs[0].tensor else { throw ctx.fail("the condition output of \(what) is a \(outputs[0].kindName), not a tensor") }
                cond = try scalarBool(c, "the condition output of \(what)", ctx)
            }
            for i in 0..<n {
                let next = outputs[1 + i]
                // An optional holding a value stands for that value; an empty one for any value.
                func content(_ v: RuntimeValue) -> RuntimeValue? { if case .optional(let inner) = v { inner } else { v } }
                let same = content(next).flatMap { a in content(carried[i]).map { a.hasSameKind(as: $0) } } ?? true
                guard same else {
                    throw ctx.fail("loop-carried value \(i) ('\(body.value(body.inputs[2 + i]).name)') changes type from \(carried[i]) to \(next) in \(what)")
                }
                carried[i] = next
            }
            for j in 0..<k where scanNeeded[j] {
                guard let element = outputs[1 + n + j].tensor else {
                    throw ctx.fail("scan output \(j) of \(what) is a \(outputs[1 + n + j].kindName); Loop stacks only tensors")
                }
                scans[j].append(element)
            }
            iteration += 1
        }

        var result: [RuntimeValue?] = carried.map { $0 }
        for j in 0..<k {
            guard scanNeeded[j] else { result.append(nil); continue }
            let name = body.value(body.outputs[1 + n + j]).name
            result.append(.tensor(scans[j].isEmpty
                ? try emptyStack(body, output: 1 + n + j, axis: 0, ctx, "the loop")
                : try stack(scans[j], axis: 0, name, ctx)))
        }
        return Array(result.prefix(ctx.outputCount))
    }
}
