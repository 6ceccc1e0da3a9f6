/// Charts in HTML: a figure with an inline SVG drawn from the same layout as the PDF (sizes in points,
/// so it prints at the PDF's size); each bar's title tells its series, category and value.
extension HTMLRenderer {
    static func render(_ chart: BarChart) -> String {
        typealias G = PageGeometry
        let layout = ChartLayout(chart)
        var out = [#"<figure class="chart">"#]
        if let caption = chart.caption { out.append("<figcaption>\(escape(caption))</figcaption>") }
        let w = G.number(layout.width), h = G.number(layout.height)
        out.append(#"<svg viewBox="0 0 \#(w) \#(h)" width="\#(w)pt" height="\#(h)pt" role="img" aria-label="\#(escape(chart.caption ?? chart.valueTitle))" "#
            + #"font-family="Helvetica, Arial, sans-serif" overflow="visible">"#)
        for mark in layout.marks {
            switch mark {
            case .bar(let x, let y, let width, let height, let gray, let title):
                out.append(#"<rect x="\#(G.number(x))" y="\#(G.number(y))" width="\#(G.number(width))" height="\#(G.number(height))" "#
                    + #"fill="\#(color(gray))" stroke="black" stroke-width="0.4"><title>\#(escape(title))</title></rect>"#)
            case .line(let x1, let y1, let x2, let y2, let width, let gray):
                out.append(#"<line x1="\#(G.number(x1))" y1="\#(G.number(y1))" x2="\#(G.number(x2))" y2="\#(G.number(y2))" "#
                    + #"stroke="\#(color(gray))" stroke-width="\#(G.number(width))"/>"#)
            case .text(let string, let x, let baseline, let size, let anchor):
                let anchorName = switch anchor { case .start: "start"; case .middle: "middle"; case .end: "end" }
                out.append(#"<text x="\#(G.number(x))" y="\#(G.number(baseline))" font-size="\#(G.number(size))" text-anchor="\#(anchorName)">\#(escape(string))</text>"#)
            }
        }
        out.append("</svg>\n</figure>")
        return out.joined(separator: "\n")
    }

    /// A grey level (0 black, 1 white) as `#rrggbb`.
    static func color(_ gray: Double) -> String {
        let v = Int((min(max(gray, 0), 1) * 255).rounded())
        let hex = String(v, radix: 16)
        let byte = hex.count == 1 ? "0" + hex : hex
        return "#" + byte + byte + byte
    }
}
