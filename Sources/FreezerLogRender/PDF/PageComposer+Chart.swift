/// Charts: drawn whole on one page (caption included), with vector graphics: filled rectangles for the
/// bars, lines for the axes and gridlines, Helvetica for the labels.
extension PageComposer {
    /// Caption and chart: what must fit below the cursor, else the chart starts a new page.
    func chartHeight(_ chart: BarChart) -> Double {
        Self.captionHeight(Self.captionLines(chart.caption)) + ChartLayout(chart).height
    }

    mutating func chart(_ chart: BarChart) {
        ensure(chartHeight(chart))
        caption(Self.captionLines(chart.caption))
        let layout = ChartLayout(chart)
        let top = y
        let left = G.marginLeft
        for mark in layout.marks {
            switch mark {
            case .bar(let x, let y, let width, let height, let gray, _):
                bar(x: left + x, y: top - y - height, width: width, height: height, gray: gray)
            case .line(let x1, let y1, let x2, let y2, let width, let gray):
                line(x1: left + x1, y1: top - y1, x2: left + x2, y2: top - y2, width: width, gray: gray)
            case .text(let string, let x, let baseline, let size, let anchor):
                let bytes = WinAnsi.encode(string)
                let start = ChartLayout.start(anchor, x: x, width: StandardFont.helvetica.width(bytes, size: size))
                text(bytes, font: .helvetica, size: size, x: left + start, baseline: top - baseline)
            }
        }
        y = top - layout.height - 8
    }
}
