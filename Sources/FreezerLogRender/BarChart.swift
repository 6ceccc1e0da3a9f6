import Foundation

/// A small grouped bar chart: one group of bars per category along the horizontal axis, one bar per
/// series in each group, drawn in grey levels with a legend.
///
/// Bar heights follow `log10(1 + value)`, so that one element in a tail bin stays visible next to
/// thousands in the main bins: the tails are where a wrong conversion shows. Every renderer uses the
/// same scale (`fraction`) and gridlines.
public struct BarChart: Sendable, Equatable {
    public var caption: String?
    /// Series names, in legend order; each group holds one value per series.
    public var series: [String]
    public var groups: [Group]
    /// What the bars count, shown with the legend.
    public var valueTitle: String
    /// What the horizontal axis shows, under the group labels.
    public var axisTitle: String

    public init(caption: String? = nil, series: [String], groups: [Group], valueTitle: String, axisTitle: String) {
        self.caption = caption
        self.series = series
        self.groups = groups
        self.valueTitle = valueTitle
        self.axisTitle = axisTitle
    }

    /// One category: its short label and one value per series.
    public struct Group: Sendable, Equatable {
        public var label: String
        public var values: [Int]
        public init(_ label: String, _ values: [Int]) {
            self.label = label
            self.values = values
        }
    }

    /// The largest value of any bar (at least 1, so that an empty chart has a scale).
    public var maximum: Int { max(1, groups.flatMap(\.values).max() ?? 0) }

    /// Height of a bar of `value` as a fraction of the plot height, on the logarithmic scale.
    public func fraction(_ value: Int) -> Double {
        value <= 0 ? 0 : log10(1 + Double(value)) / log10(1 + Double(maximum))
    }

    /// Gridline values: 0, then powers of ten and the maximum, each kept only when it is at least 12% of
    /// the height above the one kept before it, so that their labels never touch.
    public var gridlines: [Int] {
        var candidates: [Int] = []
        var p = 1
        while p < maximum {
            candidates.append(p)
            if p > Int.max / 10 { break }
            p *= 10
        }
        var lines = [0]
        for value in candidates + [maximum] where fraction(value) - fraction(lines[lines.count - 1]) >= 0.12 {
            lines.append(value)
        }
        return lines
    }
}
