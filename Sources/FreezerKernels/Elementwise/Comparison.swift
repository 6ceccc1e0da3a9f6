import FreezerIR

/// Comparisons (Equal, Less, LessOrEqual, Greater, GreaterOrEqual), logical operators (And, Or, Xor,
/// Not) and Where. Comparisons follow IEEE rules (NaN compares false, -0 == +0); uint64 compares unsigned.
enum Comparison {
    enum Op: String { case equal = "Equal", less = "Less", lessOrEqual = "LessOrEqual", greater = "Greater", greaterOrEqual = "GreaterOrEqual" }
    enum Logic: String { case and = "And", or = "Or", xor = "Xor" }

    static func register(_ r: inout KernelRegistry) {
        for op in [Op.equal, .less, .greater] {
            r.register(op.rawValue, versions: 1...6) { ctx in try compare(op, ctx, legacy: true) }
            r.register(op.rawValue, versions: 7...Int64.max) { ctx in try compare(op, ctx, legacy: false) }
        }
        for op in [Op.lessOrEqual, .greaterOrEqual] {
            r.register(op.rawValue, versions: 12...Int64.max) { ctx in try compare(op, ctx, legacy: false) }
        }
        for op in [Logic.and, .or, .xor] {
            r.register(op.rawValue, versions: 1...6) { ctx in try logic(op, ctx, legacy: true) }
            r.register(op.rawValue, versions: 7...Int64.max) { ctx in try logic(op, ctx, legacy: false) }
        }
        r.register("Not") { ctx in
            let x = try ctx.input(0)
            guard case .bool(let v) = x.storage else { throw ctx.unsupported(x.elementType) }
            return [NDArray(bools: BroadcastMap.unary(v) { !$0 }, shape: x.shape)]
        }
        r.register("Where", versions: 9...Int64.max) { ctx in try whereKernel(ctx) }
    }

    @inline(__always)
    static func test<T: Comparable>(_ op: Op, _ a: [T], _ b: [T], _ plan: BroadcastPlan) -> [Bool] {
        switch op {
        case .equal: BroadcastMap.binary(a, b, plan) { $0 == $1 }
        case .less: BroadcastMap.binary(a, b, plan) { $0 < $1 }
        case .lessOrEqual: BroadcastMap.binary(a, b, plan) { $0 <= $1 }
        case .greater: BroadcastMap.binary(a, b, plan) { $0 > $1 }
        case .greaterOrEqual: BroadcastMap.binary(a, b, plan) { $0 >= $1 }
        }
    }

    static func compare(_ op: Op, _ ctx: KernelContext, legacy: Bool) throws(EvaluationError) -> [NDArray?] {
        let (a, b) = try ctx.sameTypePair()
        let plan = try ctx.broadcastPlan(a, b, legacy: legacy)
        let result: [Bool]
        switch (a.storage, b.storage) {
        case let (.float(x), .float(y)): result = test(op, x, y, plan)
        case let (.double(x), .double(y)): result = test(op, x, y, plan)
        case let (.int(x), .int(y)):
            if a.elementType == .uint64 {
                result = test(op, x.map { UInt64(bitPattern: $0) }, y.map { UInt64(bitPattern: $0) }, plan)
            } else {
                result = test(op, x, y, plan)
            }
        case let (.bool(x), .bool(y)) where op == .equal: result = BroadcastMap.binary(x, y, plan) { $0 == $1 }
        case let (.string(x), .string(y)) where op == .equal: result = BroadcastMap.binary(x, y, plan) { $0 == $1 }
        default: throw ctx.unsupported(a.elementType)
        }
        return [NDArray(bools: result, shape: plan.outputShape)]
    }

    static func logic(_ op: Logic, _ ctx: KernelContext, legacy: Bool) throws(EvaluationError) -> [NDArray?] {
        let (a, b) = try ctx.sameTypePair()
        guard case .bool(let x) = a.storage, case .bool(let y) = b.storage else { throw ctx.unsupported(a.elementType) }
        let plan = try ctx.broadcastPlan(a, b, legacy: legacy)
        let result: [Bool]
        switch op {
        case .and: result = BroadcastMap.binary(x, y, plan) { $0 && $1 }
        case .or: result = BroadcastMap.binary(x, y, plan) { $0 || $1 }
        case .xor: result = BroadcastMap.binary(x, y, plan) { $0 != $1 }
        }
        return [NDArray(bools: result, shape: plan.outputShape)]
    }

    /// Where(condition, X, Y): X where the condition holds, else Y, all three broadcast together.
    static func whereKernel(_ ctx: KernelContext) throws(EvaluationError) -> [NDArray?] {
        let c = try ctx.input(0), x = try ctx.input(1), y = try ctx.input(2)
        guard case .bool(let cond) = c.storage else { throw ctx.fail("condition (input 0) must be bool, got \(c.elementType)") }
        guard x.elementType == y.elementType else {
            throw ctx.fail("X and Y must have the same element type, got \(x.elementType) and \(y.elementType)")
        }
        guard let shape = Broadcasting.shape([c.shape, x.shape, y.shape]) else {
            throw ctx.fail("condition, X and Y cannot be broadcast together: shapes \(Broadcasting.text(c.shape)), "
                           + "\(Broadcasting.text(x.shape)) and \(Broadcasting.text(y.shape))")
        }
        let plan = BroadcastPlan(output: shape, operands: [c.shape, x.shape, y.shape])
        let storage: NDArray.Storage
        switch (x.storage, y.storage) {
        case let (.float(a), .float(b)): storage = .float(BroadcastMap.ternary(cond, a, b, plan) { $0 ? $1 : $2 })
        case let (.double(a), .double(b)): storage = .double(BroadcastMap.ternary(cond, a, b, plan) { $0 ? $1 : $2 })
        case let (.int(a), .int(b)): storage = .int(BroadcastMap.ternary(cond, a, b, plan) { $0 ? $1 : $2 })
        case let (.bool(a), .bool(b)): storage = .bool(BroadcastMap.ternary(cond, a, b, plan) { $0 ? $1 : $2 })
        case let (.string(a), .string(b)): storage = .string(BroadcastMap.ternary(cond, a, b, plan) { $0 ? $1 : $2 })
        default: throw ctx.unsupported(x.elementType, input: 1)
        }
        return [NDArray(elementType: x.elementType, shape: shape, storage: storage)]
    }
}
