import Foundation

/// Statistics of the elementwise absolute errors of one output against a reference, over all samples.
///
/// Errors are |value − reference| in float64. An element where exactly one of the two is NaN, or where
/// they are different infinities or one is infinite and the other finite, has an infinite error; two NaNs
/// or two equal infinities agree (error 0).
public struct ErrorStatistics: Sendable, Codable, Equatable {
    public var count: Int
    public var maxAbs: Double
    /// max |error| / |reference| over elements whose reference is not zero.
    public var maxRel: Double
    public var meanAbs: Double
    /// Root mean square of the errors.
    public var rms: Double
    /// The 99.9th percentile of the errors (nearest rank).
    public var p999: Double
    /// Elements with an infinite error (non-finite on one side only).
    public var nonFinite: Int
    /// Where the largest error occurred: sample and flat element index.
    public var worstSample: Int
    public var worstIndex: Int
    public var histogram: ErrorHistogram

    public static let empty = ErrorStatistics(count: 0, maxAbs: 0, maxRel: 0, meanAbs: 0, rms: 0, p999: 0, nonFinite: 0,
                                              worstSample: 0, worstIndex: 0, histogram: .init(firstDecade: 0, counts: [], zeros: 0, nonFinite: 0))
}

/// Error counts in logarithmic bins: one bin per decade [10^e, 10^(e+1)) from `firstDecade` on, plus
/// the exact zeros and the infinite errors. At most 16 decades are kept, the largest: when the errors
/// span more, the first bin also counts the smaller ones.
public struct ErrorHistogram: Sendable, Codable, Equatable {
    /// Exponent of the first bin's lower edge.
    public var firstDecade: Int
    public var counts: [Int]
    public var zeros: Int
    public var nonFinite: Int

    /// Lower and upper edge of bin `k`.
    public func edges(_ k: Int) -> (lower: Double, upper: Double) {
        (Self.power(firstDecade + k), Self.power(firstDecade + k + 1))
    }

    static func power(_ e: Int) -> Double {
        var x = 1.0
        for _ in 0..<abs(e) { x *= 10 }
        return e < 0 ? 1 / x : x
    }

    /// The decade exponent of a positive finite error.
    static func decade(of error: Double) -> Int {
        var e = Int(log10(error).rounded(.down))
        // log10 may land one decade off near powers of ten; the edges decide.
        if error < power(e) { e -= 1 } else if error >= power(e + 1) { e += 1 }
        return e
    }
}

/// The errors of one output against one reference, collected sample by sample.
struct ErrorCollector {
    private(set) var errors: [Double] = []
    private var relMax = 0.0
    private var worst = (value: -1.0, sample: 0, index: 0)

    /// Adds the errors of `values` against `reference` (flat, equal length), skipping elements `skip` marks.
    mutating func add(_ values: [Double], reference: [Double], sample: Int, skip: (Int) -> Bool = { _ in false }) {
        errors.reserveCapacity(errors.count + values.count)
        for i in values.indices where !skip(i) {
            let e = Self.error(values[i], reference[i])
            errors.append(e)
            if e > worst.value { worst = (e, sample, i) }
            if e > 0, reference[i] != 0 { relMax = max(relMax, e / abs(reference[i])) }
        }
    }

    static func error(_ x: Double, _ reference: Double) -> Double {
        if x == reference { return 0 } // equal values, equal infinities
        if x.isNaN && reference.isNaN { return 0 }
        if !x.isFinite || !reference.isFinite { return .infinity }
        return abs(x - reference)
    }

    /// The statistics, with histogram bins covering `decades` (shared by the outputs' comparisons so that
    /// their charts line up).
    func statistics(decades: ClosedRange<Int>) -> ErrorStatistics {
        let n = errors.count
        guard n > 0 else { return .empty }
        var sum = 0.0, squares = 0.0, nonFinite = 0, zeros = 0
        var counts = [Int](repeating: 0, count: decades.count)
        for e in errors {
            if !e.isFinite { nonFinite += 1; continue }
            sum += e
            squares += e * e
            if e == 0 { zeros += 1; continue }
            let d = min(max(ErrorHistogram.decade(of: e), decades.lowerBound), decades.upperBound)
            counts[d - decades.lowerBound] += 1
        }
        let sorted = errors.sorted()
        let rank = max(0, Int((0.999 * Double(n)).rounded(.up)) - 1)
        let finite = Double(n - nonFinite)
        return ErrorStatistics(count: n, maxAbs: nonFinite > 0 ? .infinity : sorted[n - 1], maxRel: nonFinite > 0 ? .infinity : relMax,
                               meanAbs: finite > 0 ? sum / finite : 0, rms: finite > 0 ? (squares / finite).squareRoot() : 0,
                               p999: sorted[rank], nonFinite: nonFinite, worstSample: worst.sample, worstIndex: worst.index,
                               histogram: ErrorHistogram(firstDecade: decades.lowerBound, counts: counts, zeros: zeros, nonFinite: nonFinite))
    }

    /// The decades spanned by the non-zero finite errors (at most `limit` bins, keeping the largest).
    var decades: ClosedRange<Int>? {
        var low = Int.max, high = Int.min
        for e in errors where e > 0 && e.isFinite {
            let d = ErrorHistogram.decade(of: e)
            low = min(low, d)
            high = max(high, d)
        }
        return low <= high ? low...high : nil
    }
}

extension ClosedRange<Int> {
    /// The union of the ranges, at most `limit` wide (cut at the low end: small errors matter least).
    static func spanning(_ ranges: [ClosedRange<Int>?], limit: Int = 16) -> ClosedRange<Int> {
        let present = ranges.compactMap { $0 }
        guard let low = present.map(\.lowerBound).min(), let high = present.map(\.upperBound).max() else { return 0...0 }
        return Swift.max(low, high - limit + 1)...high
    }
}
