import FreezerIR

extension SequenceOperators {
    /// SequenceMap (opset 17+): runs `body` once per element of `input_sequence` and collects each body
    /// output into an output sequence.
    ///
    /// Iteration i feeds the body the i-th tensor of `input_sequence` and, for each additional input,
    /// its i-th tensor when it is a sequence (of the same length) or the tensor itself when it is one.
    /// The body has one output per node output. For an empty input sequence the outputs are empty
    /// sequences of the element types the body declares.
    static func sequenceMap(_ ctx: KernelContext) throws -> [RuntimeValue?] {
        let body = try ctx.graph("body")
        let input = try ctx.sequence(0)
        let extra = try (1..<max(1, ctx.inputCount)).map { (i) throws(EvaluationError) -> RuntimeValue in
            let v = try ctx.value(i)
            switch v {
            case .tensor: break
            case .sequence(let s):
                guard s.count == input.count else {
                    throw ctx.fail("additional input \(i) is a sequence of \(s.count) tensors but input_sequence has \(input.count)")
                }
            case .optional: throw ctx.fail("additional input \(i) must be a tensor or a sequence, but is an optional")
            }
            return v
        }
        guard body.inputs.count == ctx.inputCount else {
            throw ctx.fail("body must have one input per node input (\(ctx.inputCount)), but has \(body.inputs.count)")
        }
        let m = body.outputs.count
        guard ctx.outputCount == m else {
            throw ctx.fail("the node has \(ctx.outputCount) outputs but body has \(m); SequenceMap makes one sequence per body output")
        }
        var outputs = [[NDArray]](repeating: [], count: m)
        for i in 0..<input.count {
            var inputs: [RuntimeValue?] = [.tensor(input.elements[i])]
            for v in extra {
                if case .sequence(let s) = v { inputs.append(.tensor(s.elements[i])) } else { inputs.append(v) }
            }
            let what = "body (element \(i))"
            let results = try ControlFlowOperators.run(body, values: inputs, ctx, what)
            for (j, r) in results.enumerated() {
                guard let a = r.tensor else { throw ctx.fail("output \(j) of \(what) is a \(r.kindName); SequenceMap collects tensors") }
                if let previous = outputs[j].first, previous.elementType != a.elementType {
                    throw ctx.fail("output \(j) of \(what) is \(a.elementType) but of element 0 \(previous.elementType)")
                }
                outputs[j].append(a)
            }
        }
        return try outputs.enumerated().map { (j, elements) throws(EvaluationError) -> RuntimeValue? in
            if let first = elements.first { return .sequence(TensorSequence(elementType: first.elementType, elements: elements)) }
            let declared = body.value(body.outputs[j])
            guard let type = declared.type?.tensor?.elementType, type.isKnown else {
                throw ctx.fail("input_sequence is empty, so the element type of output \(j) can only come from body output '\(declared.name)', which declares none")
            }
            return .sequence(TensorSequence(elementType: type))
        }
    }
}
