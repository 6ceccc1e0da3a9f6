/// A `BarChart` measured for the page: the marks every renderer draws, in points, with y growing
/// downward from the chart's top (the PDF flips it, the HTML draws it as SVG).
///
/// Layout, top to bottom: the legend row (what the bars count, then a swatch per series), the plot
/// (gridlines labelled on the left, one group of bars per category), the category labels and the axis
/// title. Groups are at most `maxGroupWidth` wide, so a chart of few categories stays narrow.
struct ChartLayout {
    typealias G = PageGeometry

    enum Anchor: Equatable { case start, middle, end }

    enum Mark: Equatable {
        /// A filled rectangle outlined in black; `title` names what it shows (series, category, value).
        case bar(x: Double, y: Double, width: Double, height: Double, gray: Double, title: String)
        case line(x1: Double, y1: Double, x2: Double, y2: Double, width: Double, gray: Double)
        /// Helvetica text; `x` is where the anchor is.
        case text(String, x: Double, baseline: Double, size: Double, anchor: Anchor)
    }

    static let legendHeight = 10.0
    static let plotHeight = 64.0
    static let maxGroupWidth = 40.0
    static let labelSize = 6.0
    static let titleSize = 6.5
    /// Fill grey per series: dark and light first, so two series differ clearly in print.
    static let seriesGray = [0.25, 0.82, 0.55, 0.95]

    let width: Double
    let height: Double
    let marks: [Mark]

    init(_ chart: BarChart, width available: Double = G.contentWidth) {
        var marks: [Mark] = []
        let gridlines = chart.gridlines
        let tickLabels = gridlines.map { TextFormat.grouped($0) }
        let axisLeft = (tickLabels.map { Self.width($0, size: Self.labelSize) }.max() ?? 0) + 5
        let n = max(chart.groups.count, 1)
        let groupWidth = min(Self.maxGroupWidth, (available - axisLeft) / Double(n))
        let plotWidth = groupWidth * Double(n)
        let plotTop = Self.legendHeight + 6
        let plotBottom = plotTop + Self.plotHeight

        // Legend: what the bars count, then a swatch and the name of each series.
        var x = 0.0
        marks.append(.text(chart.valueTitle, x: x, baseline: 7.5, size: Self.titleSize, anchor: .start))
        x += Self.width(chart.valueTitle, size: Self.titleSize) + 8
        for (i, name) in chart.series.enumerated() {
            marks.append(.bar(x: x, y: 1.5, width: 7, height: 7, gray: Self.gray(i), title: name))
            marks.append(.text(name, x: x + 10, baseline: 7.5, size: Self.titleSize, anchor: .start))
            x += 10 + Self.width(name, size: Self.titleSize) + 10
        }
        let legendWidth = x - 10

        for (value, label) in zip(gridlines, tickLabels) {
            let y = plotBottom - chart.fraction(value) * Self.plotHeight
            if value > 0 { marks.append(.line(x1: axisLeft, y1: y, x2: axisLeft + plotWidth, y2: y, width: 0.3, gray: 0.75)) }
            marks.append(.text(label, x: axisLeft - 3, baseline: y + 0.35 * Self.labelSize, size: Self.labelSize, anchor: .end))
        }

        // Bars: side by side in the middle 70% of each group, at least 1 pt high when the value is not 0.
        let barWidth = min(12, groupWidth * 0.7 / Double(max(chart.series.count, 1)))
        for (k, group) in chart.groups.enumerated() {
            let left = axisLeft + Double(k) * groupWidth + (groupWidth - barWidth * Double(group.values.count)) / 2
            for (i, value) in group.values.enumerated() where value > 0 {
                let h = max(chart.fraction(value) * Self.plotHeight, 1)
                let title = "\(i < chart.series.count ? chart.series[i] : ""), \(group.label): \(TextFormat.grouped(value))"
                marks.append(.bar(x: left + Double(i) * barWidth, y: plotBottom - h, width: barWidth, height: h, gray: Self.gray(i), title: title))
            }
        }
        marks.append(.line(x1: axisLeft, y1: plotTop, x2: axisLeft, y2: plotBottom, width: 0.5, gray: 0))
        marks.append(.line(x1: axisLeft, y1: plotBottom, x2: axisLeft + plotWidth, y2: plotBottom, width: 0.6, gray: 0))

        // Category labels, smaller when the longest would not fit its group.
        let longest = chart.groups.map { Self.width($0.label, size: Self.labelSize) }.max() ?? 0
        let labelSize = longest > groupWidth - 2 ? max(4, Self.labelSize * (groupWidth - 2) / longest) : Self.labelSize
        for (k, group) in chart.groups.enumerated() {
            marks.append(.text(group.label, x: axisLeft + (Double(k) + 0.5) * groupWidth, baseline: plotBottom + 8, size: labelSize, anchor: .middle))
        }
        // The axis title centred under the plot, moved left where it would leave the page.
        let titleWidth = Self.width(chart.axisTitle, size: Self.titleSize)
        let titleStart = max(0, min(axisLeft + plotWidth / 2 - titleWidth / 2, available - titleWidth))
        marks.append(.text(chart.axisTitle, x: titleStart, baseline: plotBottom + 17.5, size: Self.titleSize, anchor: .start))

        self.marks = marks
        width = min(available, max(axisLeft + plotWidth, legendWidth, titleStart + titleWidth))
        height = plotBottom + 21
    }

    static func gray(_ series: Int) -> Double { seriesGray[series % seriesGray.count] }

    /// Width of `text` in Helvetica at `size`, as the PDF draws it.
    static func width(_ text: String, size: Double) -> Double { StandardFont.helvetica.width(WinAnsi.encode(text), size: size) }

    /// Where text of `width` starts for its anchor at `x`.
    static func start(_ anchor: Anchor, x: Double, width: Double) -> Double {
        switch anchor {
        case .start: x
        case .middle: x - width / 2
        case .end: x - width
        }
    }
}
