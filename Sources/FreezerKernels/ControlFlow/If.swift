import FreezerIR

extension ControlFlowOperators {
    /// If (opset 1–25): runs `then_branch` or `else_branch` on a one-element bool condition.
    ///
    /// Both branches must have as many outputs as the node, even though only one runs: a model whose
    /// branches disagree is malformed whichever way the condition goes, and this keeps the error
    /// independent of the input data. Outputs are passed on as the branch produced them: tensors, and
    /// (opset 13+) sequences and optionals.
    static func ifKernel(_ ctx: KernelContext) throws -> [RuntimeValue?] {
        let cond = try scalarBool(try ctx.input(0), "input 'cond'", ctx)
        let thenBranch = try ctx.graph("then_branch")
        let elseBranch = try ctx.graph("else_branch")
        let n = ctx.outputCount
        guard thenBranch.outputs.count == n, elseBranch.outputs.count == n else {
            throw ctx.fail("the node has \(n) output\(n == 1 ? "" : "s") but then_branch has \(thenBranch.outputs.count) and else_branch has \(elseBranch.outputs.count); both branches must have one output per node output")
        }
        let outputs = try run(cond ? thenBranch : elseBranch, values: [], ctx, cond ? "then_branch" : "else_branch")
        return outputs.map { $0 }
    }
}
