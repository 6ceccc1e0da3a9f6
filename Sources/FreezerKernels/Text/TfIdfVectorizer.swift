import FreezerIR

/// TfIdfVectorizer (9): counts, in each row of X ([C] or [N, C], int32/int64 or string), the n-grams
/// of the pool, and weighs the counts into a float32 vector per row.
enum TfIdfVectorizer {
    static func register(_ r: inout KernelRegistry) {
        r.register("TfIdfVectorizer", versions: 9...Int64.max) { ctx in [try vectorize(ctx)] }
    }

    /// The pool (`pool_int64s` or `pool_strings`) lists the 1-grams, then the 2-grams, …;
    /// `ngram_counts[k]` is where the (k+1)-grams start. The i-th n-gram of the pool counts into output
    /// position `ngram_indexes[i]` (output width: the largest index + 1). Only n-grams with
    /// `min_gram_length ≤ n ≤ max_gram_length` are counted. An n-gram of a row takes n items spaced by
    /// a distance d (1 … `max_skip_count` + 1); 1-grams are counted once, not once per distance.
    /// `mode` TF gives the counts, IDF `weights[j]` (default 1) where the count is positive and 0
    /// elsewhere, TFIDF `weights[j] · count`.
    static func vectorize(_ ctx: KernelContext) throws(EvaluationError) -> NDArray {
        let x = try ctx.input(0)
        guard x.rank <= 2 else { throw ctx.fail("input must be [C] or [N, C], got shape \(x.shape)") }
        let minN = Int(clamping: ctx.int("min_gram_length", default: 1)), maxN = Int(clamping: ctx.int("max_gram_length", default: 1))
        let maxSkip = Int(clamping: ctx.int("max_skip_count", default: 0))
        let mode = ctx.string("mode", default: "")
        guard ["TF", "IDF", "TFIDF"].contains(mode) else { throw ctx.fail("attribute 'mode' must be TF, IDF or TFIDF, got '\(mode)'") }
        guard minN >= 1, maxN >= minN, maxSkip >= 0 else {
            throw ctx.fail("gram lengths \(minN)...\(maxN) and max_skip_count \(maxSkip) are invalid")
        }
        let counts = (ctx.ints("ngram_counts") ?? []).map { Int(clamping: $0) }
        let indexes = (ctx.ints("ngram_indexes") ?? []).map { Int(clamping: $0) }
        guard let width = indexes.max().map({ $0 + 1 }), indexes.allSatisfy({ $0 >= 0 }) else {
            throw ctx.fail("attribute 'ngram_indexes' must list non-negative output positions")
        }
        let weights = ctx.floats("weights")
        if let weights, weights.count < width { throw ctx.fail("attribute 'weights' has \(weights.count) values for \(width) outputs") }

        let rows = x.rank == 2 ? x.shape[0] : 1
        let c = x.rank == 0 ? 1 : x.shape[x.rank - 1]
        var frequencies = [Int](repeating: 0, count: rows * width)
        func count<K: Hashable>(_ items: [K], _ pool: [K]) throws(EvaluationError) {
            // The pool's n-grams (within the length range) and their ordinal among all pool n-grams.
            var table: [[K]: Int] = [:]
            var ordinal = 0
            for (k, start) in counts.enumerated() {
                let n = k + 1, end = k + 1 < counts.count ? counts[k + 1] : pool.count
                guard start >= 0, start <= end, end <= pool.count else { throw ctx.fail("attribute 'ngram_counts' \(counts) does not fit the pool of \(pool.count) items") }
                for g in 0..<((end - start) / n) {
                    if n >= minN && n <= maxN { table[Array(pool[(start + g * n)..<(start + (g + 1) * n)])] = ordinal }
                    ordinal += 1
                }
            }
            guard ordinal <= indexes.count else { throw ctx.fail("the pool has \(ordinal) n-grams but 'ngram_indexes' only \(indexes.count) positions") }
            for row in 0..<rows {
                let line = Array(items[(row * c)..<((row + 1) * c)])
                for distance in 1...(maxSkip + 1) {
                    for start in 0..<c {
                        for n in minN...maxN where (n > 1 || distance == 1) && start + (n - 1) * distance < c {
                            let gram = (0..<n).map { line[start + $0 * distance] }
                            if let id = table[gram] { frequencies[row * width + indexes[id]] += 1 }
                        }
                    }
                }
            }
        }
        if let pool = ctx.ints("pool_int64s") {
            guard x.kind == .int else { throw ctx.fail("an integer pool needs int32/int64 input, got \(x.elementType)") }
            try count(x.ints, pool)
        } else if case .strings(let raw)? = ctx.attribute("pool_strings")?.value {
            let pool = raw.map { String(decoding: $0, as: UTF8.self) }
            guard case .string(let v) = x.storage else { throw ctx.fail("a string pool needs string input, got \(x.elementType)") }
            try count(v, pool)
        } else {
            throw ctx.fail("attribute 'pool_int64s' or 'pool_strings' is required")
        }
        let y = frequencies.enumerated().map { p, f -> Float in
            let w = weights?[p % width] ?? 1
            switch mode {
            case "TF": return Float(f)
            case "IDF": return f > 0 ? w : 0
            default: return w * Float(f)
            }
        }
        return NDArray(floats: y, shape: x.rank == 2 ? [rows, width] : [width])
    }
}
