import FreezerIR

/// The recurrent operators RNN, GRU and LSTM (opsets 1, 3 for GRU, 7, 14 and 22).
///
/// One kernel covers every version: the versions differ only in attributes that are absent from the
/// older ones (`layout` from 14, GRU's `linear_before_reset` from 3) or that do not change the values
/// (`output_sequence` of version 1 only says whether Y is wanted, which the node's outputs already tell),
/// and in the types they accept (bfloat16 from 22).
///
/// Values are computed in Double whatever the input type and rounded once into the output type: X,
/// the weights and the states are widened, the products run on BLAS dgemm, the gates and activations in
/// Double, and the outputs are converted back to X's computation type at the end.
enum RecurrentOperators {
    static func register(_ r: inout KernelRegistry) {
        r.register("RNN", versions: 1...Int64.max) { ctx in try recurrent(ctx, .rnn) }
        r.register("GRU", versions: 1...Int64.max) { ctx in try recurrent(ctx, .gru) }
        r.register("LSTM", versions: 1...Int64.max) { ctx in try recurrent(ctx, .lstm) }
    }

    /// The three cells, by what tells them apart: gates per direction, activation functions per
    /// direction and their defaults.
    enum Cell {
        case rnn, gru, lstm

        /// Rows of W and R per direction, in units of hidden_size (RNN: i; GRU: z, r, h; LSTM: i, o, f, c).
        var gates: Int {
            switch self {
            case .rnn: 1
            case .gru: 3
            case .lstm: 4
            }
        }

        /// The default activation functions of one direction (RNN f; GRU f, g; LSTM f, g, h).
        var defaultActivations: [String] {
            switch self {
            case .rnn: ["Tanh"]
            case .gru: ["Sigmoid", "Tanh"]
            case .lstm: ["Sigmoid", "Tanh", "Tanh"]
            }
        }
    }

    /// RNN, GRU or LSTM: runs every direction over the sequence and returns Y, Y_h (and Y_c for LSTM),
    /// each only when the node declares it.
    static func recurrent(_ ctx: KernelContext, _ cell: Cell) throws(EvaluationError) -> [NDArray?] {
        let declared = cell == .lstm ? 3 : 2
        guard ctx.outputCount <= declared else {
            throw ctx.fail("has \(ctx.outputCount) outputs but \(ctx.node.opType) has at most \(declared)")
        }
        let problem = try RecurrentProblem(ctx, cell)
        var result = RecurrentResult(problem)
        for direction in 0..<problem.directions {
            switch cell {
            case .rnn: runRNN(problem, direction: direction, into: &result)
            case .gru: runGRU(problem, direction: direction, into: &result)
            case .lstm: runLSTM(problem, direction: direction, into: &result)
            }
        }
        return result.outputs(problem, ctx)
    }
}
