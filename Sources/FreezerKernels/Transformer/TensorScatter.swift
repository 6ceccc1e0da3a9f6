import FreezerIR

extension TransformerOperators {
    /// TensorScatter (24): `present = past_cache` with, for every index `p` of the dimensions before
    /// `axis` (default −2, never the batch dimension 0) and `s < update.shape[axis]`,
    /// `present[p, w + s] = update[p, s]`, `w = write_indices[p[0]]` (default 0); mode "circular"
    /// takes `w + s` modulo the cache's length along axis, "linear" requires it to fit.
    static func tensorScatter(_ ctx: KernelContext) throws(EvaluationError) -> [NDArray?] {
        let cache = try ctx.input(0), update = try ctx.input(1)
        let indices = ctx.optionalInput(2)
        guard cache.elementType == update.elementType, cache.rank == update.rank, cache.rank >= 2 else {
            throw ctx.fail("past_cache \(cache.elementType)\(text(cache.shape)) and update \(update.elementType)\(text(update.shape)) must have one type and one rank ≥ 2")
        }
        let axis = try ctx.axis(ctx.int("axis", default: -2), rank: cache.rank)
        guard axis != 0 else { throw ctx.fail("axis must not be the batch dimension 0") }
        for d in 0..<cache.rank where d != axis && cache.shape[d] != update.shape[d] {
            throw ctx.fail("update \(text(update.shape)) differs from past_cache \(text(cache.shape)) outside axis \(axis)")
        }
        let maxLength = cache.shape[axis], length = update.shape[axis]
        guard length <= maxLength else { throw ctx.fail("update is longer along axis \(axis) than past_cache") }
        let circular: Bool
        switch ctx.string("mode", default: "linear") {
        case "linear": circular = false
        case "circular": circular = true
        case let m: throw ctx.fail("attribute 'mode' = '\(m)' is neither 'linear' nor 'circular'")
        }
        let batch = cache.shape[0]
        var starts = [Int64](repeating: 0, count: batch)
        if let indices {
            guard case .int(let w) = indices.storage, indices.count == batch else {
                throw ctx.fail("write_indices must be \(batch) integers, one per batch, not \(indices.elementType)\(text(indices.shape))")
            }
            starts = w
        }
        let inner = cache.shape[(axis + 1)...].reduce(1, *)
        let prefix = cache.shape[..<axis].reduce(1, *), perBatch = prefix / max(batch, 1)
        // Destination row along axis of each (prefix block, s), checked before anything is copied.
        var destination = [Int](repeating: 0, count: prefix * length)
        for p in 0..<prefix {
            let w = starts[p / max(perBatch, 1)]
            for s in 0..<length {
                var row = w + Int64(s)
                if circular && maxLength > 0 { row = ((row % Int64(maxLength)) + Int64(maxLength)) % Int64(maxLength) }
                guard row >= 0, row < Int64(maxLength) else {
                    throw ctx.fail("write index \(w) + \(s) is outside the cache length \(maxLength) in linear mode")
                }
                destination[p * length + s] = Int(row)
            }
        }
        func scatter<T>(_ c: [T], _ u: [T]) -> [T] {
            var y = c
            for p in 0..<prefix {
                for s in 0..<length {
                    let dst = (p * maxLength + destination[p * length + s]) * inner, src = (p * length + s) * inner
                    for i in 0..<inner { y[dst + i] = u[src + i] }
                }
            }
            return y
        }
        let storage: NDArray.Storage
        switch (cache.storage, update.storage) {
        case (.float(let c), .float(let u)): storage = .float(scatter(c, u))
        case (.double(let c), .double(let u)): storage = .double(scatter(c, u))
        case (.int(let c), .int(let u)): storage = .int(scatter(c, u))
        case (.bool(let c), .bool(let u)): storage = .bool(scatter(c, u))
        case (.string(let c), .string(let u)): storage = .string(scatter(c, u))
        default: throw ctx.fail("past_cache and update hold different kinds of values")
        }
        return [NDArray(elementType: cache.elementType, shape: cache.shape, storage: storage)]
    }
}
