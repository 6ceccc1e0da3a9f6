import FreezerIR

/// If, Loop and Scan: operators that run subgraphs.
///
/// Every opset version of the three (If 1–25, Loop 1–25, Scan 8 and 9–25) is covered by one kernel per
/// semantic form: later versions only widened the accepted types (If's outputs and Loop's carried values
/// may be sequences and optionals since opset 13 and 16, which the kernels pass through as they are) or
/// allowed negative axes.
public enum ControlFlowOperators {
    /// Iterations after which a Loop stops with an error rather than running on: 1,000,000.
    ///
    /// A Loop without a trip count whose condition never becomes false would otherwise never return.
    /// Exported models bound their loops by data (sequence lengths, beam steps), far below this. A task
    /// may lower or raise it for what it runs (`$maxLoopIterations.withValue(100) { ... }`); tests do.
    @TaskLocal public static var maxLoopIterations = 1_000_000

    static func register(_ r: inout KernelRegistry) {
        r.registerValues("If", versions: 1...Int64.max, ifKernel)
        r.registerValues("Loop", versions: 1...Int64.max, loopKernel)
        r.register("Scan", versions: 8...8, scan8Kernel)
        r.register("Scan", versions: 9...Int64.max, scanKernel)
    }

    // MARK: - Shared helpers

    /// The single value of a one-element bool tensor (`cond` of If and Loop).
    static func scalarBool(_ a: NDArray, _ what: String, _ ctx: KernelContext) throws(EvaluationError) -> Bool {
        guard a.elementType == .bool, case .bool(let v) = a.storage, v.count == 1 else {
            throw ctx.fail("\(what) must be a bool tensor with exactly one element, but is \(a)")
        }
        return v[0]
    }

    /// The single value of a one-element integer tensor (Loop's trip count `M`).
    static func scalarInt(_ a: NDArray, _ what: String, _ ctx: KernelContext) throws(EvaluationError) -> Int64 {
        guard case .int(let v) = a.storage, v.count == 1 else {
            throw ctx.fail("\(what) must be an int64 tensor with exactly one element, but is \(a)")
        }
        return v[0]
    }

    /// Runs a subgraph attribute, naming the attribute (and iteration) in any error it raises.
    static func run(_ body: Graph, _ inputs: [NDArray?], _ ctx: KernelContext, _ what: String) throws(EvaluationError) -> [NDArray] {
        let outputs = try run(body, values: inputs.map { $0.map(RuntimeValue.tensor) }, ctx, what)
        return try outputs.enumerated().map { (k, v) throws(EvaluationError) -> NDArray in
            guard let a = v.tensor else { throw ctx.fail("output \(k) of \(what) is a \(v.kindName), where a tensor is needed") }
            return a
        }
    }

    /// Runs a subgraph attribute on values of any kind, naming the attribute (and iteration) in any error.
    static func run(_ body: Graph, values inputs: [RuntimeValue?], _ ctx: KernelContext, _ what: String) throws(EvaluationError) -> [RuntimeValue] {
        do {
            return try ctx.runSubgraph(body, values: inputs)
        } catch {
            // Unsupported operators are found for all subgraphs before any node runs; keep that error whole.
            if case .unsupportedOperators = error { throw error }
            throw ctx.fail("\(what) failed: \(error)")
        }
    }

    /// An empty stack of scan output `index` of `body` for a loop that ran zero times: shape
    /// `[0] + element shape` (inserted at `axis`) from the declared output type. Unknown dimensions
    /// count as 0, which leaves the element count 0 whatever they would have been.
    static func emptyStack(_ body: Graph, output index: Int, axis: Int, _ ctx: KernelContext,
                           _ what: String) throws(EvaluationError) -> NDArray {
        let value = body.value(body.outputs[index])
        guard let tensor = value.type?.tensor, tensor.elementType.isKnown else {
            throw ctx.fail("\(what) ran zero iterations, so the type of scan output '\(value.name)' can only come from the body's declaration, which is missing")
        }
        var shape = (tensor.shape ?? []).map { d -> Int in if case .value(let v) = d, v >= 0 { Int(v) } else { 0 } }
        // The stack is empty whatever the element shape, but the product of the dims is still computed,
        // and declared dims no tensor can have would overflow it.
        guard TensorLayout.elementCount(shape) != nil else {
            throw ctx.fail("\(what) ran zero iterations, so scan output '\(value.name)' takes its element shape from the body's declaration \(tensor), whose element count overflows; expected dimensions of a real tensor")
        }
        shape.insert(0, at: min(max(0, axis), shape.count))
        return NDArray.filled(0, shape: shape, type: tensor.elementType)
    }

    /// Stacks per-iteration values into a scan output, naming the output in errors.
    static func stack(_ items: [NDArray], axis: Int, _ name: String, _ ctx: KernelContext) throws(EvaluationError) -> NDArray {
        do {
            return try NDArray.stacked(items, axis: axis)
        } catch {
            throw ctx.fail("scan output '\(name)' cannot be assembled: \(error.description) (a scan output must keep its type and shape in every iteration)")
        }
    }
}
