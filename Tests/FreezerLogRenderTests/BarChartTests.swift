import Foundation
import FreezerLog
import Testing
@testable import FreezerLogRender

@Suite("Bar charts")
struct BarChartTests {
    static func chart(groups: Int, largest: Int = 1_000) -> BarChart {
        BarChart(series: ["frozen − exact", "original − exact"],
                 groups: (0..<groups).map { .init(DocumentBuilder.decade(-20 + $0), [largest * $0 / max(groups - 1, 1), $0 % 3]) },
                 valueTitle: "Elements per decade (log scale)", axisTitle: "Absolute error by decade: the group 1e-20 counts errors in [1e-20, 1e-19)")
    }

    @Test func logarithmicScaleKeepsSmallCountsVisible() {
        let c = Self.chart(groups: 4, largest: 1_000_000)
        #expect(c.fraction(0) == 0 && c.fraction(c.maximum) == 1)
        #expect(c.fraction(1) > 0.04, "one element gets a visible share of the height")
        #expect(c.fraction(10) < c.fraction(11) && c.fraction(11) < c.fraction(1_000_000))
    }

    @Test func gridlinesAreFewPowersOfTenAndTheMaximum() {
        #expect(Self.chart(groups: 4, largest: 40).gridlines == [0, 1, 10, 40])
        #expect(Self.chart(groups: 4, largest: 12).gridlines == [0, 1, 10], "12 would crowd 10")
        #expect(Self.chart(groups: 4, largest: 91_000).gridlines == [0, 10, 100, 1_000, 10_000, 91_000], "1 would crowd 0")
        let chart = Self.chart(groups: 4, largest: 3_000_000_000)
        let many = chart.gridlines
        #expect(many.count <= 7 && many.first == 0 && many.last == 3_000_000_000)
        for (a, b) in zip(many, many.dropFirst()) { #expect(chart.fraction(b) - chart.fraction(a) >= 0.12, "\(a) and \(b) too close") }
        #expect(BarChart(series: ["a"], groups: [], valueTitle: "", axisTitle: "").gridlines == [0, 1])
    }

    /// Every mark inside the chart's box, every category label inside its own group.
    @Test(arguments: [1, 4, 9, 18])
    func layoutStaysInsideItsBox(_ groups: Int) {
        let chart = Self.chart(groups: groups)
        let layout = ChartLayout(chart)
        #expect(layout.width <= PageGeometry.contentWidth && layout.height < 110, "a few centimetres high")
        var labels: [(Double, Double)] = []
        for mark in layout.marks {
            switch mark {
            case .bar(let x, let y, let w, let h, _, _):
                #expect(x >= 0 && y >= 0 && x + w <= layout.width + 0.01 && y + h <= layout.height && w > 0 && h >= 1)
            case .line(let x1, let y1, let x2, let y2, _, _):
                #expect(min(x1, x2) >= 0 && max(x1, x2) <= layout.width + 0.01 && min(y1, y2) >= 0 && max(y1, y2) <= layout.height)
            case .text(let s, let x, let baseline, let size, let anchor):
                let w = ChartLayout.width(s, size: size)
                let start = ChartLayout.start(anchor, x: x, width: w)
                #expect(start >= -0.01 && start + w <= layout.width + 0.01 && baseline <= layout.height && baseline - size >= 0, "'\(s)'")
                if chart.groups.contains(where: { $0.label == s }) { labels.append((start, start + w)) }
            }
        }
        #expect(labels.count == groups)
        for (a, b) in zip(labels, labels.dropFirst()) { #expect(a.1 < b.0, "category labels overlap") }
    }

    @Test func errorChartAlignsDecadesAndCountsZerosAndInfiniteErrors() throws {
        var o = SampleEquivalence.logits
        o.frozenVsExact?.histogram = ErrorHistogramRecord(firstDecade: -9, counts: [0, 5, 2, 0], zeros: 4, nonFinite: 1)
        o.originalVsExact?.histogram = ErrorHistogramRecord(firstDecade: -10, counts: [1, 0, 7, 0], zeros: 0, nonFinite: 0)
        let chart = try #require(DocumentBuilder.errorChart(o))
        #expect(chart.series == ["frozen − exact", "original − exact"])
        #expect(chart.groups == [.init("0", [4, 0]), .init("1e-10", [0, 1]), .init("1e-9", [0, 0]), .init("1e-8", [5, 7]), .init("1e-7", [2, 0]),
                                 .init("inf", [1, 0])], "decades aligned by exponent, empty ones at the ends left off")
        #expect(chart.axisTitle == "Absolute error by decade: the group 1e-10 counts errors in [1e-10, 1e-9); 0: no error; inf: not finite on one side only")
        #expect(DocumentBuilder.errorChart(SampleEquivalence.classes) == nil)
    }

    @Test func markdownBarsFollowTheScale() {
        let md = MarkdownRenderer.render(BarChart(series: ["a", "b"], groups: [.init("x", [1, 0]), .init("y", [1_000, 31])],
                                                  valueTitle: "Count", axisTitle: "Bins"))
        #expect(md.contains("| x | ██ 1 | 0 |"), "1 of 1,000 gets a tenth of the length")
        #expect(md.contains("| y | " + String(repeating: "█", count: 20) + " 1,000 | " + String(repeating: "█", count: 10) + " 31 |"))
        #expect(md.hasSuffix("Count. Bins."))
    }
}
