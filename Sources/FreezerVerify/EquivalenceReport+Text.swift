import Foundation

/// The equivalence report as text for a terminal: the criterion, then per output its verdict, the three
/// error statistics and, with `histograms`, the errors per decade.
extension EquivalenceReport {
    /// What the two models are called: the frozen model and the original (`convert`), or B and A
    /// (`compare`).
    public struct Names: Sendable, Equatable {
        public var candidate: String
        public var reference: String
        public init(candidate: String, reference: String) {
            self.candidate = candidate
            self.reference = reference
        }
        public static let conversion = Names(candidate: "frozen", reference: "original")
        /// `freezer compare A B`.
        public static let comparison = Names(candidate: "B", reference: "A")

        /// The models as a sentence names them: "the frozen model" and "the original", or "B" and "A".
        var candidateModel: String { self == .conversion ? "the frozen model" : candidate }
        var referenceModel: String { self == .conversion ? "the original" : reference }
    }

    public func text(histograms: Bool = true, names: Names = .conversion) -> String {
        var lines = ["Equivalence: \(verdict == .equivalent ? "equivalent" : "NOT equivalent") (criterion: \(criterion.name == .declaredTolerance ? "declared tolerance" : "as exact as \(names.referenceModel), k = \(Self.number(criterion.errorFactor)), floor \(Self.number(criterion.floorULPs)) ulp"); \(samples.count) sample\(samples.count == 1 ? "" : "s"))"]
        if !defaults.isEmpty {
            // Sizes for symbolic dimensions, how many samples, groups where memory ran short.
            lines.append("  chosen by default: " + defaults.joined(separator: "; ")
                         + " (--input-shape NAME=N gives the sizes the model runs at, --samples N the samples)")
        }
        for o in outputs { lines += o.lines(histograms: histograms, names: names).map { "  " + $0 } }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A number as a reader scans it: 3 significant digits, integers whole, "inf"/"nan" spelled out.
    public static func number(_ x: Double) -> String {
        if x == 0 { return "0" }
        if !x.isFinite { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
        if x == x.rounded(), abs(x) < 1e6 { return String(Int(x)) }
        return String(format: "%.3g", x)
    }
}

extension EquivalenceReport.OutputStatistics {
    func lines(histograms: Bool, names: EquivalenceReport.Names) -> [String] {
        let (b, a) = (names.candidate, names.reference)
        var lines = ["\(name) \(elementType)\(shape): \(passed ? "passed" : "FAILED") — \(reason)"]
        let rows: [(String, ErrorStatistics?)] = [("\(b) − exact", frozenVsExact), ("\(a) − exact", originalVsExact),
                                                  ("\(b) − \(a)", frozenVsOriginal)]
        for (label, s) in rows {
            guard let s else { continue }
            let n = EquivalenceReport.number
            lines.append("  \(label.padding(toLength: 18, withPad: " ", startingAt: 0)) max \(n(s.maxAbs))  rms \(n(s.rms))  mean \(n(s.meanAbs))  p99.9 \(n(s.p999))  max rel \(n(s.maxRel))")
        }
        if histograms, let fx = frozenVsExact, let ox = originalVsExact, !fx.histogram.counts.isEmpty {
            lines.append("  errors per decade      " + "\(b) − exact".padding(toLength: 17, withPad: " ", startingAt: 0) + "\(a) − exact")
            let width = 20
            let most = max(fx.histogram.counts.max() ?? 0, ox.histogram.counts.max() ?? 0, 1)
            func bar(_ c: Int) -> String {
                let filled = c == 0 ? 0 : max(1, c * width / most)
                return String(repeating: "█", count: filled).padding(toLength: width, withPad: " ", startingAt: 0)
            }
            for k in fx.histogram.counts.indices.reversed() {
                let (lo, hi) = fx.histogram.edges(k)
                let label = "[\(EquivalenceReport.number(lo)), \(EquivalenceReport.number(hi)))".padding(toLength: 20, withPad: " ", startingAt: 0)
                lines.append("  \(label) \(bar(fx.histogram.counts[k])) \(String(fx.histogram.counts[k]).padding(toLength: 8, withPad: " ", startingAt: 0)) \(bar(ox.histogram.counts[k])) \(ox.histogram.counts[k])")
            }
            if fx.histogram.zeros + ox.histogram.zeros > 0 {
                lines.append("  \("0 (exact)".padding(toLength: 20, withPad: " ", startingAt: 0)) \(String(fx.histogram.zeros).padding(toLength: width + 9, withPad: " ", startingAt: 0))  \(ox.histogram.zeros)")
            }
        }
        return lines
    }
}
