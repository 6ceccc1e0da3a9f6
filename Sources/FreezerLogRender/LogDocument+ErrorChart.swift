import FreezerLog

/// The error histogram of one output as a chart: frozen − exact next to original − exact, decade by
/// decade, so a reviewer sees whether the frozen model's errors lie where the original's do.
extension DocumentBuilder {
    /// The chart, or nil when the output has no error histograms against the exact reference.
    static func errorChart(_ o: OutputComparison) -> BarChart? {
        let named = [("frozen − exact", o.frozenVsExact), ("original − exact", o.originalVsExact)]
        let series = named.compactMap { name, s in s.map { (name, $0.histogram) } }
        guard !series.isEmpty else { return nil }
        let histograms = series.map(\.1)
        // Decades by exponent, so that histograms with different first decades still line up; decades
        // empty in every series are left off at both ends.
        let count = { (h: ErrorHistogramRecord, d: Int) -> Int in
            let k = d - h.firstDecade
            return h.counts.indices.contains(k) ? h.counts[k] : 0
        }
        let used = histograms.flatMap { h in h.counts.indices.filter { h.counts[$0] > 0 }.map { h.firstDecade + $0 } }
        var groups: [BarChart.Group] = []
        if histograms.contains(where: { $0.zeros > 0 }) { groups.append(.init("0", histograms.map(\.zeros))) }
        if let low = used.min(), let high = used.max() {
            groups += (low...high).map { d in .init(decade(d), histograms.map { count($0, d) }) }
        }
        if histograms.contains(where: { $0.nonFinite > 0 }) { groups.append(.init("inf", histograms.map(\.nonFinite))) }
        var axis = ["Absolute error by decade" + (used.min().map { ": the group \(decade($0)) counts errors in [\(decade($0)), \(decade($0 + 1)))" } ?? "")]
        if groups.first?.label == "0" { axis.append("0: no error") }
        if groups.last?.label == "inf" { axis.append("inf: not finite on one side only") }
        return BarChart(series: series.map(\.0), groups: groups, valueTitle: "Elements per decade (log scale)",
                        axisTitle: axis.joined(separator: "; "))
    }

    /// `1e-8` for the decade 10^-8.
    static func decade(_ exponent: Int) -> String { "1e\(exponent)" }
}
