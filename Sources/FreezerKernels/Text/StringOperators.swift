import Foundation
import FreezerIR

/// StringConcat, StringSplit, RegexFullMatch (20) and StringNormalizer (10): operators on string tensors.
enum StringOperators {
    static func register(_ r: inout KernelRegistry) {
        r.register("StringConcat", versions: 20...Int64.max) { ctx in [try concat(ctx)] }
        r.register("StringSplit", versions: 20...Int64.max, split)
        r.register("RegexFullMatch", versions: 20...Int64.max) { ctx in [try regexFullMatch(ctx)] }
        r.register("StringNormalizer", versions: 10...Int64.max) { ctx in [try normalize(ctx)] }
        TfIdfVectorizer.register(&r)
    }

    static func strings(_ a: NDArray, _ ctx: KernelContext, _ name: String) throws(EvaluationError) -> [String] {
        guard case .string(let v) = a.storage else { throw ctx.fail("input '\(name)' must be a string tensor, got \(a.elementType)") }
        return v
    }

    /// StringConcat: `X[i] + Y[i]` with numpy broadcasting.
    static func concat(_ ctx: KernelContext) throws(EvaluationError) -> NDArray {
        let (a, b) = try ctx.sameTypePair()
        let x = try strings(a, ctx, "X"), y = try strings(b, ctx, "Y")
        let plan = try ctx.broadcastPlan(a, b, legacy: false)
        return NDArray(strings: BroadcastMap.binary(x, y, plan) { $0 + $1 }, shape: plan.outputShape)
    }

    /// StringSplit: each element split on `delimiter` at most `maxsplit` times (the rest stays one
    /// piece), as Python's `str.split`. Consecutive delimiters delimit empty strings; without a
    /// delimiter (or an empty one) runs of whitespace separate and leading/trailing whitespace is
    /// dropped. Y has one more axis, as long as the most pieces of any element, padded with "";
    /// Z (int64, the input's shape) holds each element's number of pieces.
    static func split(_ ctx: KernelContext) throws -> [NDArray?] {
        let x = try ctx.input(0)
        let values = try strings(x, ctx, "X")
        let delimiter = ctx.string("delimiter", default: "")
        let maxsplit = ctx.int("maxsplit").map { Int(clamping: $0) } ?? -1
        let pieces = values.map { delimiter.isEmpty ? splitOnWhitespace($0, maxsplit) : splitOn($0, delimiter, maxsplit) }
        let width = pieces.map(\.count).max() ?? 0
        var y: [String] = []
        y.reserveCapacity(values.count * width)
        for p in pieces { y += p + [String](repeating: "", count: width - p.count) }
        return [NDArray(strings: y, shape: x.shape + [width]), NDArray(ints: pieces.map { Int64($0.count) }, shape: x.shape)]
    }

    /// Python's `s.split(delimiter, maxsplit)` (maxsplit < 0: no limit).
    static func splitOn(_ s: String, _ delimiter: String, _ maxsplit: Int) -> [String] {
        var out: [String] = []
        var rest = Substring(s)
        while maxsplit < 0 || out.count < maxsplit, let r = rest.range(of: delimiter) {
            out.append(String(rest[..<r.lowerBound]))
            rest = rest[r.upperBound...]
        }
        out.append(String(rest))
        return out
    }

    /// Python's `s.split(None, maxsplit)`: words separated by whitespace runs; after maxsplit splits the
    /// remainder (without its leading whitespace) is the last piece.
    static func splitOnWhitespace(_ s: String, _ maxsplit: Int) -> [String] {
        var out: [String] = []
        var rest = Substring(s).drop { $0.isWhitespace }
        while !rest.isEmpty {
            if maxsplit >= 0 && out.count == maxsplit {
                out.append(String(rest))
                break
            }
            let word = rest.prefix { !$0.isWhitespace }
            out.append(String(word))
            rest = rest[word.endIndex...].drop { $0.isWhitespace }
        }
        return out
    }

    /// RegexFullMatch: whether each element matches `pattern` as a whole. The pattern is RE2 syntax;
    /// it is compiled as a Swift regex with ASCII-only character classes (RE2's `\w`, `\d`, `\s`) and
    /// simple word boundaries (`\b` between `\w` and `\W`, not Unicode's word rules, which do not break
    /// at the dot of "google.com"), which agrees with RE2 on the common syntax. A pattern Swift cannot
    /// compile is refused.
    static func regexFullMatch(_ ctx: KernelContext) throws(EvaluationError) -> NDArray {
        let x = try ctx.input(0)
        let values = try strings(x, ctx, "X")
        guard let pattern = ctx.attribute("pattern")?.stringValue else { throw ctx.fail("attribute 'pattern' is required") }
        let regex: Regex<AnyRegexOutput>
        do {
            regex = try Regex(pattern).asciiOnlyWordCharacters().asciiOnlyDigits().asciiOnlyWhitespace().wordBoundaryKind(.simple)
        } catch {
            throw ctx.unsupportedFeature("pattern '\(pattern)' (not compilable here: \(error))")
        }
        return NDArray(bools: values.map { (try? regex.wholeMatch(in: $0)) != nil }, shape: x.shape)
    }

    /// StringNormalizer (10): removes the elements of X ([C] or [1, C]) that are in `stopwords`
    /// (compared ignoring case unless `is_case_sensitive`), then lowercases or uppercases the rest
    /// (`case_change_action` LOWER, UPPER or NONE). When every element is removed the result is one
    /// empty string, shape [1] or [1, 1]. Case changes follow Unicode's default mapping; `locale` is
    /// not consulted.
    static func normalize(_ ctx: KernelContext) throws(EvaluationError) -> NDArray {
        let x = try ctx.input(0)
        let values = try strings(x, ctx, "X")
        guard x.rank == 1 || (x.rank == 2 && x.shape[0] == 1) else {
            throw ctx.fail("input must be [C] or [1, C], got shape \(x.shape)")
        }
        let action = ctx.string("case_change_action", default: "NONE")
        guard ["NONE", "LOWER", "UPPER"].contains(action) else {
            throw ctx.fail("attribute 'case_change_action' must be NONE, LOWER or UPPER, got '\(action)'")
        }
        let caseSensitive = ctx.int("is_case_sensitive", default: 0) != 0
        var stopwords: [String] = []
        if case .strings(let list)? = ctx.attribute("stopwords")?.value {
            stopwords = list.map { String(decoding: $0, as: UTF8.self) }
        }
        let stops = Set(caseSensitive ? stopwords : stopwords.map { $0.lowercased() })
        var kept = values.filter { !stops.contains(caseSensitive ? $0 : $0.lowercased()) }
        switch action {
        case "LOWER": kept = kept.map { $0.lowercased() }
        case "UPPER": kept = kept.map { $0.uppercased() }
        default: break
        }
        if kept.isEmpty { kept = [""] }
        return NDArray(strings: kept, shape: x.rank == 1 ? [kept.count] : [1, kept.count])
    }
}
