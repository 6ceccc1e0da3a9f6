import FreezerIR

extension TransformerOperators {
    /// RotaryEmbedding (23): rotates the first `rotary_embedding_dim` (default: head_size) features of
    /// each head by the position's angles; the rest pass through.
    ///
    /// With `x1, x2` the two halves of the rotated features (or, when interleaved, the even and odd
    /// features) and `cos, sin` the cache rows of the token's position (`cache[position_ids[b, s]]`
    /// when position_ids is given, else the 3D caches' `[b, s]`):
    /// `real = cos·x1 − sin·x2`, `imag = sin·x1 + cos·x2`, written back to the halves (or interleaved).
    /// X is `(B, heads, S, head_size)`, or `(B, S, num_heads·head_size)` with the num_heads attribute.
    static func rotaryEmbedding(_ ctx: KernelContext) throws(EvaluationError) -> [NDArray?] {
        let x = try ctx.input(0), cosCache = try ctx.input(1), sinCache = try ctx.input(2)
        let positions = ctx.optionalInput(3)
        let xv = try doubles(x, ctx, "X"), cv = try doubles(cosCache, ctx, "cos_cache"), sv = try doubles(sinCache, ctx, "sin_cache")
        let batch: Int, length: Int, heads: Int, headSize: Int
        // Strides of (b, s, h) in X, whichever layout it has.
        let strideB: Int, strideS: Int, strideH: Int
        switch x.rank {
        case 4:
            (batch, heads, length, headSize) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
            (strideB, strideH, strideS) = (heads * length * headSize, length * headSize, headSize)
        case 3:
            guard let n = ctx.int("num_heads"), n > 0, x.shape[2] % Int(n) == 0 else {
                throw ctx.fail("a 3D input needs a positive num_heads dividing its hidden size \(x.shape[2])")
            }
            (batch, length, heads, headSize) = (x.shape[0], x.shape[1], Int(n), x.shape[2] / Int(n))
            (strideB, strideS, strideH) = (length * heads * headSize, heads * headSize, headSize)
        default:
            throw ctx.fail("input must be 3D or 4D but is \(text(x.shape))")
        }
        var dim = Int(ctx.int("rotary_embedding_dim", default: 0))
        if dim == 0 { dim = headSize }
        guard dim > 0, dim <= headSize, dim % 2 == 0 else {
            throw ctx.fail("rotary_embedding_dim \(dim) must be even and at most the head size \(headSize)")
        }
        let half = dim / 2
        guard cosCache.shape.last == half, sinCache.shape == cosCache.shape else {
            throw ctx.fail("cos_cache \(text(cosCache.shape)) and sin_cache \(text(sinCache.shape)) must end in rotary_embedding_dim/2 = \(half)")
        }
        // The cache row of each (b, s).
        var rows = [Int](repeating: 0, count: batch * length)
        if let positions {
            guard case .int(let ids) = positions.storage, positions.shape == [batch, length], cosCache.rank == 2 else {
                throw ctx.fail("position_ids must be int64 (\(batch), \(length)) with 2D caches, not \(positions.elementType)\(text(positions.shape)) and \(text(cosCache.shape))")
            }
            for (k, id) in ids.enumerated() {
                guard id >= 0, id < Int64(cosCache.shape[0]) else { throw ctx.fail("position id \(id) is outside the caches' \(cosCache.shape[0]) rows") }
                rows[k] = Int(id)
            }
        } else {
            guard cosCache.shape == [batch, length, half] else {
                throw ctx.fail("without position_ids the caches must be (\(batch), \(length), \(half)), not \(text(cosCache.shape))")
            }
            for k in rows.indices { rows[k] = k }
        }
        let interleaved = ctx.int("interleaved", default: 0) != 0
        let round = Rounding(x.elementType, ctx.precision)
        var y = xv
        for b in 0..<batch {
            for s in 0..<length {
                let cacheBase = rows[b * length + s] * half
                for h in 0..<heads {
                    let base = b * strideB + s * strideS + h * strideH
                    for k in 0..<half {
                        let i1 = interleaved ? base + 2 * k : base + k
                        let i2 = interleaved ? i1 + 1 : base + half + k
                        let c = cv[cacheBase + k], sn = sv[cacheBase + k]
                        let x1 = xv[i1], x2 = xv[i2]
                        y[i1] = round(round(c * x1) - round(sn * x2))
                        y[i2] = round(round(sn * x1) + round(c * x2))
                    }
                }
            }
        }
        return [array(y, type: x.elementType, shape: x.shape)]
    }
}
