import FreezerIR

extension RecurrentOperators {
    /// A recurrent node's inputs and attributes, checked and widened to Double, in the sequence-first
    /// layout (layout 1 inputs are transposed here, its outputs back in `RecurrentResult.outputs`).
    ///
    /// Inputs by position: X, W, R, B, sequence_lens, initial_h, then for LSTM initial_c and P.
    struct RecurrentProblem {
        let cell: Cell
        let steps: Int, batch: Int, inputSize: Int, hidden: Int, directions: Int
        /// Whether the single direction of a one-direction node runs backwards (`direction` = reverse).
        let reverse: Bool
        /// Batch-major (layout 1) inputs and outputs.
        let batchFirst: Bool
        /// X as steps × batch × inputSize.
        let x: [Double]
        /// Per direction: W (gates·hidden × inputSize), R (gates·hidden × hidden), and the biases Wb and Rb
        /// (gates·hidden each; zero when B is absent).
        let w: [[Double]], r: [[Double]], wb: [[Double]], rb: [[Double]]
        /// Per direction, the LSTM peepholes P[i], P[o], P[f] (3·hidden; zero when P is absent).
        let p: [[Double]]
        /// Per direction, the initial hidden and cell states as batch × hidden.
        let h0: [[Double]], c0: [[Double]]
        /// Per batch entry, the number of valid steps (steps when sequence_lens is absent).
        let lengths: [Int]
        let activations: [[Activation]]
        /// The clip threshold of the gates' pre-activations (nil: no clipping).
        let clip: Double?
        /// GRU: apply the reset gate after the recurrent product (linear_before_reset ≠ 0).
        let linearBeforeReset: Bool
        /// LSTM: couple the forget gate to the input gate, f = 1 − i (input_forget ≠ 0).
        let inputForget: Bool

        init(_ ctx: KernelContext, _ cell: Cell) throws(EvaluationError) {
            self.cell = cell
            let xArray = try ctx.input(0), wArray = try ctx.input(1), rArray = try ctx.input(2)
            guard xArray.kind == .float || xArray.kind == .double else {
                throw ctx.fail("input X has element type \(xArray.elementType); \(ctx.node.opType) needs float16, bfloat16, float32 or float64")
            }
            let direction = ctx.string("direction", default: "forward")
            switch direction {
            case "forward", "reverse": directions = 1
            case "bidirectional": directions = 2
            default: throw ctx.fail("attribute 'direction' is '\(direction)', not forward, reverse or bidirectional")
            }
            reverse = direction == "reverse"
            let layout = ctx.int("layout", default: 0)
            guard layout == 0 || layout == 1 else { throw ctx.fail("attribute 'layout' is \(layout), not 0 or 1") }
            guard layout == 0 || ctx.opset >= 14 else { throw ctx.fail("attribute 'layout' is defined from opset 14 (the node is at opset \(ctx.opset))") }
            batchFirst = layout == 1

            func values(_ array: NDArray, _ name: String) throws(EvaluationError) -> [Double] {
                guard array.elementType == xArray.elementType else {
                    throw ctx.fail("input \(name) has element type \(array.elementType) but X has \(xArray.elementType)")
                }
                return array.asDoubles
            }
            let shape = NeuralNetworkOperators.text

            guard xArray.rank == 3 else { throw ctx.fail("X must have rank 3 but has shape \(shape(xArray.shape))") }
            steps = batchFirst ? xArray.shape[1] : xArray.shape[0]
            batch = batchFirst ? xArray.shape[0] : xArray.shape[1]
            inputSize = xArray.shape[2]
            guard rArray.rank == 3, rArray.shape[0] == directions else {
                throw ctx.fail("R must be [num_directions = \(directions), \(cell.gates)·hidden_size, hidden_size] but is \(shape(rArray.shape))")
            }
            hidden = rArray.shape[2]
            if let h = ctx.int("hidden_size"), h != Int64(hidden) {
                throw ctx.fail("attribute 'hidden_size' is \(h) but R \(shape(rArray.shape)) has hidden size \(hidden)")
            }
            let rows = cell.gates * hidden
            guard rArray.shape[1] == rows else {
                throw ctx.fail("R must be [\(directions), \(rows), \(hidden)] (\(cell.gates) gates of hidden size \(hidden)) but is \(shape(rArray.shape))")
            }
            guard wArray.shape == [directions, rows, inputSize] else {
                throw ctx.fail("W must be [\(directions), \(rows), \(inputSize)] for X \(shape(xArray.shape)) and R \(shape(rArray.shape)) but is \(shape(wArray.shape))")
            }

            // Copies, so that the closures below do not capture self before it is initialized.
            let (steps, batch, inputSize, hidden, directions, batchFirst) = (self.steps, self.batch, self.inputSize, self.hidden, self.directions, self.batchFirst)
            let xv = try values(xArray, "X")
            if batchFirst {
                // [batch, steps, input] → [steps, batch, input].
                var t = [Double](repeating: 0, count: xv.count)
                for b in 0..<batch {
                    for s in 0..<steps {
                        let from = (b * steps + s) * inputSize, to = (s * batch + b) * inputSize
                        for i in 0..<inputSize { t[to + i] = xv[from + i] }
                    }
                }
                x = t
            } else {
                x = xv
            }
            let wv = try values(wArray, "W"), rv = try values(rArray, "R")
            w = (0..<directions).map { d in Array(wv[(d * rows * inputSize)..<((d + 1) * rows * inputSize)]) }
            r = (0..<directions).map { d in Array(rv[(d * rows * hidden)..<((d + 1) * rows * hidden)]) }

            if let bArray = ctx.optionalInput(3) {
                guard bArray.shape == [directions, 2 * rows] else {
                    throw ctx.fail("B must be [\(directions), \(2 * rows)] but is \(shape(bArray.shape))")
                }
                let bv = try values(bArray, "B")
                wb = (0..<directions).map { d in Array(bv[(2 * d * rows)..<((2 * d + 1) * rows)]) }
                rb = (0..<directions).map { d in Array(bv[((2 * d + 1) * rows)..<((2 * d + 2) * rows)]) }
            } else {
                wb = [[Double]](repeating: [Double](repeating: 0, count: rows), count: directions)
                rb = wb
            }

            if let lensArray = ctx.optionalInput(4) {
                guard case .int(let lens) = lensArray.storage, lensArray.shape == [batch] else {
                    throw ctx.fail("sequence_lens must be an integer tensor of shape [\(batch)] but is \(lensArray.elementType)\(shape(lensArray.shape))")
                }
                // A length of 0 leaves the state at its initial value and Y at zero.
                if let bad = lens.first(where: { $0 < 0 || $0 > Int64(steps) }) {
                    throw ctx.fail("sequence_lens has \(bad), outside 0…\(steps) (seq_length)")
                }
                lengths = lens.map { Int($0) }
            } else {
                lengths = [Int](repeating: steps, count: batch)
            }

            // initial_h and initial_c: [directions, batch, hidden], or [batch, directions, hidden] in layout 1.
            let stateShape = batchFirst ? [batch, directions, hidden] : [directions, batch, hidden]
            func state(_ index: Int, _ name: String) throws(EvaluationError) -> [[Double]] {
                let size = batch * hidden
                guard let array = ctx.optionalInput(index) else {
                    return [[Double]](repeating: [Double](repeating: 0, count: size), count: directions)
                }
                guard array.shape == stateShape else {
                    throw ctx.fail("\(name) must be \(shape(stateShape)) but is \(shape(array.shape))")
                }
                let v = try values(array, name)
                return (0..<directions).map { d in
                    guard batchFirst else { return Array(v[(d * size)..<((d + 1) * size)]) }
                    var s = [Double](repeating: 0, count: size)
                    for b in 0..<batch { for j in 0..<hidden { s[b * hidden + j] = v[(b * directions + d) * hidden + j] } }
                    return s
                }
            }
            h0 = try state(5, "initial_h")
            if cell == .lstm {
                c0 = try state(6, "initial_c")
                if let pArray = ctx.optionalInput(7) {
                    guard pArray.shape == [directions, 3 * hidden] else {
                        throw ctx.fail("P must be [\(directions), \(3 * hidden)] but is \(shape(pArray.shape))")
                    }
                    let pv = try values(pArray, "P")
                    p = (0..<directions).map { d in Array(pv[(d * 3 * hidden)..<((d + 1) * 3 * hidden)]) }
                } else {
                    p = [[Double]](repeating: [Double](repeating: 0, count: 3 * hidden), count: directions)
                }
            } else {
                c0 = []
                p = []
            }

            activations = try RecurrentOperators.activations(ctx, cell, directions: directions)
            if let threshold = ctx.attribute("clip")?.floatValue {
                guard threshold > 0 else { throw ctx.fail("attribute 'clip' is \(threshold); the threshold must be positive") }
                clip = Double(threshold)
            } else {
                clip = nil
            }
            linearBeforeReset = cell == .gru && ctx.int("linear_before_reset", default: 0) != 0
            inputForget = cell == .lstm && ctx.int("input_forget", default: 0) != 0
        }

        /// The step indices direction `d` visits, in order: forward, or backward for reverse and for the
        /// second direction of a bidirectional node.
        func stepOrder(_ d: Int) -> [Int] {
            reverse || d == 1 ? Array((0..<steps).reversed()) : Array(0..<steps)
        }

        /// `x` clipped to ±clip when the node clips.
        @inline(__always)
        func clipped(_ x: Double) -> Double {
            guard let clip else { return x }
            return min(max(x, -clip), clip)
        }
    }
}
