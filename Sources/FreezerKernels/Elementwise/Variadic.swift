import FreezerIR

/// Max, Min, Sum and Mean over any number of inputs, broadcast together (NumPy style; opsets before 8
/// require equal shapes, of which broadcasting is a superset).
///
/// Inputs are folded left to right as onnxruntime does (`((x0 ∘ x1) ∘ x2) ∘ ...`), so float sums round in
/// the same order. Max and Min propagate NaN (onnxruntime ≥ 1.16). Mean multiplies the sum by `1/n`
/// computed in the element type, as onnxruntime does, rather than dividing by `n`.
enum Variadic {
    enum Op: String { case max = "Max", min = "Min", sum = "Sum", mean = "Mean" }

    static func kernel(_ op: Op) -> Kernel {
        { ctx in
            var inputs: [NDArray] = []
            for i in 0..<ctx.inputCount where ctx.optionalValue(i) != nil { inputs.append(try ctx.input(i)) }
            guard let first = inputs.first else { throw ctx.fail("needs at least one input") }
            for (k, x) in inputs.enumerated() where x.elementType != first.elementType {
                throw ctx.fail("all inputs must have the same element type: input 0 is \(first.elementType), input \(k) is \(x.elementType)")
            }
            switch first.kind {
            case .float, .double: break
            case .int where op == .max || op == .min || op == .sum: break
            default: throw ctx.unsupported(first.elementType)
            }
            var acc = first
            for (k, x) in inputs.enumerated().dropFirst() {
                guard let shape = Broadcasting.shape([acc.shape, x.shape]) else {
                    throw ctx.fail("input \(k) of shape \(Broadcasting.text(x.shape)) cannot be broadcast with the shape "
                                   + "\(Broadcasting.text(acc.shape)) of the inputs before it")
                }
                acc = combine(op, acc, x, BroadcastPlan(output: shape, operands: [acc.shape, x.shape]))
            }
            if op == .mean && inputs.count > 1 {
                switch acc.storage {
                case .float(let v):
                    let scale = Float(1) / Float(inputs.count)
                    acc.storage = .float(BroadcastMap.unary(v) { $0 * scale })
                case .double(let v):
                    let scale = Double(1) / Double(inputs.count)
                    acc.storage = .double(BroadcastMap.unary(v) { $0 * scale })
                default: break
                }
            }
            return [acc]
        }
    }

    private static func combine(_ op: Op, _ a: NDArray, _ b: NDArray, _ plan: BroadcastPlan) -> NDArray {
        let storage: NDArray.Storage
        switch (a.storage, b.storage) {
        case let (.float(x), .float(y)):
            switch op {
            case .max: storage = .float(BroadcastMap.binary(x, y, plan) { p, q in p > q || p.isNaN ? p : q })
            case .min: storage = .float(BroadcastMap.binary(x, y, plan) { p, q in p < q || p.isNaN ? p : q })
            case .sum, .mean: storage = .float(BroadcastMap.binary(x, y, plan) { $0 + $1 })
            }
        case let (.double(x), .double(y)):
            switch op {
            case .max: storage = .double(BroadcastMap.binary(x, y, plan) { p, q in p > q || p.isNaN ? p : q })
            case .min: storage = .double(BroadcastMap.binary(x, y, plan) { p, q in p < q || p.isNaN ? p : q })
            case .sum, .mean: storage = .double(BroadcastMap.binary(x, y, plan) { $0 + $1 })
            }
        case let (.int(x), .int(y)):
            let unsigned = a.elementType == .uint64
            switch op {
            case .max where unsigned:
                storage = .int(BroadcastMap.binary(x, y, plan) { UInt64(bitPattern: $0) >= UInt64(bitPattern: $1) ? $0 : $1 })
            case .min where unsigned:
                storage = .int(BroadcastMap.binary(x, y, plan) { UInt64(bitPattern: $0) <= UInt64(bitPattern: $1) ? $0 : $1 })
            case .max: storage = .int(BroadcastMap.binary(x, y, plan) { Swift.max($0, $1) })
            case .min: storage = .int(BroadcastMap.binary(x, y, plan) { Swift.min($0, $1) })
            case .sum, .mean:
                var r = BroadcastMap.binary(x, y, plan) { $0 &+ $1 }
                IntegerSemantics.wrapAll(&r, a.elementType)
                storage = .int(r)
            }
        default:
            storage = a.storage // unreachable: kinds are checked by the kernel
        }
        return NDArray(elementType: a.elementType, shape: plan.outputShape, storage: storage)
    }
}
