/// Element-wise updates that write into an operand's own buffer.
///
/// A kernel that took its input with `KernelContext.takeInput` usually holds the only reference to the
/// buffer (the evaluator let go of it at its last reader), so these updates reuse the memory of a value
/// that dies at this node instead of allocating a new one. When the buffer is shared (a constant, a
/// caller's input, a value read again later), Swift's copy-on-write copies it first: never wrong, only
/// not faster.
extension NDArray {
    /// Runs `body` on the float values, moved out of the array meanwhile so that `body` sees the only
    /// reference. Returns false (and does nothing) when the array does not hold floats.
    @inline(__always)
    mutating func updateFloats(_ body: (inout [Float]) -> Void) -> Bool {
        update({ if case .float(let v) = $0 { v } else { nil } }, Storage.float, body)
    }

    @inline(__always)
    mutating func updateDoubles(_ body: (inout [Double]) -> Void) -> Bool {
        update({ if case .double(let v) = $0 { v } else { nil } }, Storage.double, body)
    }

    @inline(__always)
    mutating func updateInts(_ body: (inout [Int64]) -> Void) -> Bool {
        update({ if case .int(let v) = $0 { v } else { nil } }, Storage.int, body)
    }

    /// The values `extract` finds in the storage, given to `body` while the storage holds an empty
    /// array instead (so `body` has the only reference), then stored back with `wrap`.
    @inline(__always)
    private mutating func update<T>(_ extract: (Storage) -> [T]?, _ wrap: ([T]) -> Storage,
                                    _ body: (inout [T]) -> Void) -> Bool {
        guard var values = extract(storage) else { return false }
        storage = .bool([])
        body(&values)
        storage = wrap(values)
        return true
    }
}

extension BroadcastMap {
    /// `a[i] = f(a[i])`.
    @inline(__always)
    static func update<T>(_ a: inout [T], _ f: (T) -> T) {
        a.withUnsafeMutableBufferPointer { p in
            for i in 0..<p.count { p[i] = f(p[i]) }
        }
    }

    /// `a[i] = f(a[i], b[j])` over a broadcast whose output has `a`'s shape (`b` is broadcast into it;
    /// operand 0 of `plan` must be `a`).
    @inline(__always)
    static func update<T>(_ a: inout [T], with b: [T], _ plan: BroadcastPlan, _ f: (T, T) -> T) {
        let n = plan.count
        precondition(a.count == n, "BroadcastMap.update: the output must have the first operand's shape")
        a.withUnsafeMutableBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                if pb.count == n {
                    for i in 0..<n { pa[i] = f(pa[i], pb[i]) }
                } else if pb.count == 1 {
                    let y = pb[0]
                    for i in 0..<n { pa[i] = f(pa[i], y) }
                } else if n > 0 {
                    let sb = plan.innerStride(1)
                    let xa = pa.baseAddress!, xb = pb.baseAddress!
                    plan.forEachRow { o, len, _, ib, _ in
                        let ra = xa + o, rb = xb + ib
                        if sb == 1 {
                            for j in 0..<len { ra[j] = f(ra[j], rb[j]) }
                        } else {
                            let y = rb[0]
                            for j in 0..<len { ra[j] = f(ra[j], y) }
                        }
                    }
                }
            }
        }
    }

    /// `b[j] = f(a[i], b[j])` over a broadcast whose output has `b`'s shape (operand 1 of `plan`).
    @inline(__always)
    static func update<T>(second b: inout [T], first a: [T], _ plan: BroadcastPlan, _ f: (T, T) -> T) {
        let n = plan.count
        precondition(b.count == n, "BroadcastMap.update: the output must have the second operand's shape")
        b.withUnsafeMutableBufferPointer { pb in
            a.withUnsafeBufferPointer { pa in
                if pa.count == n {
                    for i in 0..<n { pb[i] = f(pa[i], pb[i]) }
                } else if pa.count == 1 {
                    let x = pa[0]
                    for i in 0..<n { pb[i] = f(x, pb[i]) }
                } else if n > 0 {
                    let sa = plan.innerStride(0)
                    let xa = pa.baseAddress!, xb = pb.baseAddress!
                    plan.forEachRow { o, len, ia, _, _ in
                        let ra = xa + ia, rb = xb + o
                        if sa == 1 {
                            for j in 0..<len { rb[j] = f(ra[j], rb[j]) }
                        } else {
                            let x = ra[0]
                            for j in 0..<len { rb[j] = f(x, rb[j]) }
                        }
                    }
                }
            }
        }
    }
}
