import FreezerIR

extension RecurrentOperators {
    /// The outputs of a recurrent node as the directions fill them, sequence-first, in Double.
    struct RecurrentResult {
        /// Y as steps × directions × batch × hidden; zero past each sequence's length.
        var y: [Double]
        /// Y_h and Y_c as directions × batch × hidden: the state after the last step each direction
        /// ran for each batch entry (the initial state for a sequence of length 0).
        var yh: [Double], yc: [Double]

        init(_ p: RecurrentProblem) {
            y = [Double](repeating: 0, count: p.steps * p.directions * p.batch * p.hidden)
            yh = [Double](repeating: 0, count: p.directions * p.batch * p.hidden)
            yc = p.cell == .lstm ? yh : []
        }

        /// Records direction `d`'s hidden state of batch entry `b` at step `t` (in Y) and as its last state.
        @inline(__always)
        mutating func record(_ h: [Double], _ p: RecurrentProblem, step t: Int, direction d: Int, entry b: Int) {
            let base = ((t * p.directions + d) * p.batch + b) * p.hidden
            for j in 0..<p.hidden { y[base + j] = h[b * p.hidden + j] }
        }

        /// Keeps direction `d`'s final states (batch × hidden each).
        mutating func finish(direction d: Int, h: [Double], c: [Double]?, _ p: RecurrentProblem) {
            let size = p.batch * p.hidden
            for i in 0..<size { yh[d * size + i] = h[i] }
            if let c { for i in 0..<size { yc[d * size + i] = c[i] } }
        }

        /// The declared outputs (Y, Y_h, Y_c for LSTM) in X's element type and computation type, in the
        /// node's layout: layout 1 is Y [batch, steps, directions, hidden] and states [batch, directions, hidden].
        func outputs(_ p: RecurrentProblem, _ ctx: KernelContext) -> [NDArray?] {
            let type = ctx.inputs[0]?.elementType ?? .float
            func array(_ values: [Double], _ shape: [Int]) -> NDArray {
                NDArray.kind(of: type) == .double
                    ? NDArray(elementType: type, shape: shape, storage: .double(values))
                    : NDArray(elementType: type, shape: shape, storage: .float(values.map { Float($0) }))
            }
            let (s, d, b, h) = (p.steps, p.directions, p.batch, p.hidden)
            func state(_ v: [Double]) -> NDArray {
                guard p.batchFirst else { return array(v, [d, b, h]) }
                var t = [Double](repeating: 0, count: v.count)
                for k in 0..<d { for n in 0..<b { for j in 0..<h { t[(n * d + k) * h + j] = v[(k * b + n) * h + j] } } }
                return array(t, [b, d, h])
            }
            var result: [NDArray?] = []
            for k in 0..<ctx.outputCount {
                guard ctx.outputIsNeeded(k) else { result.append(nil); continue }
                switch k {
                case 0:
                    if p.batchFirst {
                        var t = [Double](repeating: 0, count: y.count)
                        for step in 0..<s {
                            for k in 0..<d {
                                for n in 0..<b {
                                    let from = ((step * d + k) * b + n) * h, to = ((n * s + step) * d + k) * h
                                    for j in 0..<h { t[to + j] = y[from + j] }
                                }
                            }
                        }
                        result.append(array(t, [b, s, d, h]))
                    } else {
                        result.append(array(y, [s, d, b, h]))
                    }
                case 1: result.append(state(yh))
                case 2 where p.cell == .lstm: result.append(state(yc))
                default: result.append(nil)
                }
            }
            return result
        }
    }
}
