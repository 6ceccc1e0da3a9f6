/// Lays the document flow out on A4 pages: wrapped paragraphs and lists, headings kept with what
/// follows them, tables (see `PageComposer+Table.swift`). Produces one content-operator list per page.
struct PageComposer {
    typealias G = PageGeometry
    /// Content operators of each page, the last one being filled.
    private(set) var pages: [[String]] = [[]]
    /// Top of the free space on the current page.
    var y = G.contentTop

    var remaining: Double { y - G.contentBottom }
    var pageIsEmpty: Bool { y == G.contentTop }

    mutating func newPage() {
        pages.append([])
        y = G.contentTop
    }

    /// Starts a new page unless `height` fits below the cursor (or the page is still empty).
    mutating func ensure(_ height: Double) {
        if height > remaining && !pageIsEmpty { newPage() }
    }

    /// Lays out `block`; `next` is the block after it, which a heading must not be separated from.
    mutating func place(_ block: Block, next: Block?) {
        switch block {
        case .heading(let level, let text): heading(level, text, next: next)
        case .paragraph(let text): paragraph(text)
        case .bullets(let items): bullets(items)
        case .table(let table): self.table(table)
        case .chart(let chart): self.chart(chart)
        case .pageBreak: if !pageIsEmpty { newPage() }
        }
    }

    // MARK: Primitives

    mutating func emit(_ op: String) { pages[pages.count - 1].append(op) }

    mutating func text(_ bytes: [UInt8], font: StandardFont, size: Double, x: Double, baseline: Double) {
        guard !bytes.isEmpty else { return }
        emit("BT /\(font.resourceName) \(G.number(size)) Tf \(G.number(x)) \(G.number(baseline)) Td (\(WinAnsi.literal(bytes))) Tj ET")
    }

    mutating func fill(x: Double, y: Double, width: Double, height: Double, gray: Double) {
        emit("q \(G.number(gray)) g \(G.number(x)) \(G.number(y)) \(G.number(width)) \(G.number(height)) re f Q")
    }

    mutating func stroke(x: Double, y: Double, width: Double, height: Double) {
        emit("q 0.5 w 0.45 G \(G.number(x)) \(G.number(y)) \(G.number(width)) \(G.number(height)) re S Q")
    }

    mutating func rule(x1: Double, x2: Double, y: Double, width: Double = 0.5) {
        line(x1: x1, y1: y, x2: x2, y2: y, width: width, gray: 0.35)
    }

    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, width: Double, gray: Double) {
        emit("q \(G.number(width)) w \(G.number(gray)) G \(G.number(x1)) \(G.number(y1)) m \(G.number(x2)) \(G.number(y2)) l S Q")
    }

    /// A rectangle filled with `gray` and outlined in black (a chart's bar or legend swatch).
    mutating func bar(x: Double, y: Double, width: Double, height: Double, gray: Double) {
        emit("q \(G.number(gray)) g 0.4 w 0 G \(G.number(x)) \(G.number(y)) \(G.number(width)) \(G.number(height)) re B Q")
    }

    /// A table's or chart's caption wrapped to the content width (no lines for no caption).
    static func captionLines(_ caption: String?) -> [TextWrapper.Line] {
        caption.map { TextWrapper.wrap($0, font: .helveticaBold, size: G.captionSize, width: G.contentWidth) } ?? []
    }

    /// The height `caption(_:)` takes for `lines`.
    static func captionHeight(_ lines: [TextWrapper.Line]) -> Double {
        lines.isEmpty ? 0 : Double(lines.count) * G.captionLeading + 3
    }

    /// Caption lines in bold, from the cursor down, and the gap below them.
    mutating func caption(_ lines: [TextWrapper.Line]) {
        for line in lines {
            text(line.bytes, font: .helveticaBold, size: G.captionSize, x: G.marginLeft,
                 baseline: G.baseline(top: y, size: G.captionSize, leading: G.captionLeading))
            y -= G.captionLeading
        }
        y -= 3
    }

    // MARK: Flow blocks

    mutating func heading(_ level: Int, _ title: String, next: Block?) {
        let style = G.heading(level)
        let lines = TextWrapper.wrap(title, font: .helveticaBold, size: style.size, width: G.contentWidth)
        let leading = style.size * 1.25
        let own = style.before + Double(lines.count) * leading + style.after
        ensure(own + (next.map(minimumStart) ?? 0))
        if !pageIsEmpty { y -= style.before }
        for line in lines {
            text(line.bytes, font: .helveticaBold, size: style.size, x: G.marginLeft, baseline: G.baseline(top: y, size: style.size, leading: leading))
            y -= leading
        }
        if level == 0 { rule(x1: G.marginLeft, x2: G.marginLeft + G.contentWidth, y: y - 2, width: 1) }
        y -= style.after
    }

    mutating func paragraph(_ body: String) {
        let lines = TextWrapper.wrap(body, font: .helvetica, size: G.bodySize, width: G.contentWidth)
        ensure(Double(min(lines.count, 2)) * G.bodyLeading)
        for (i, line) in lines.enumerated() {
            // No single last line at the top of a page: move two lines together.
            ensure(G.bodyLeading * (i == lines.count - 2 ? 2 : 1))
            text(line.bytes, font: .helvetica, size: G.bodySize, x: G.marginLeft + line.indent,
                 baseline: G.baseline(top: y, size: G.bodySize, leading: G.bodyLeading))
            y -= G.bodyLeading
        }
        y -= 5
    }

    mutating func bullets(_ items: [String]) {
        let indent = 12.0
        for item in items {
            let lines = TextWrapper.wrap(item, font: .helvetica, size: G.bodySize, width: G.contentWidth - indent)
            ensure(Double(min(lines.count, 2)) * G.bodyLeading)
            for (i, line) in lines.enumerated() {
                ensure(G.bodyLeading)
                let baseline = G.baseline(top: y, size: G.bodySize, leading: G.bodyLeading)
                if i == 0 { text([0x95], font: .helvetica, size: G.bodySize, x: G.marginLeft + 2, baseline: baseline) }
                text(line.bytes, font: .helvetica, size: G.bodySize, x: G.marginLeft + indent + line.indent, baseline: baseline)
                y -= G.bodyLeading
            }
            y -= 2
        }
        y -= 4
    }

    /// The height a block needs on the page where it starts, for keeping headings with it.
    func minimumStart(_ block: Block) -> Double {
        switch block {
        case .heading(let level, _): return G.heading(level).before + G.heading(level).size * 1.25 * 2
        case .paragraph(let body):
            let n = TextWrapper.wrap(body, font: .helvetica, size: G.bodySize, width: G.contentWidth).count
            return Double(min(n, 2)) * G.bodyLeading
        case .bullets: return 2 * G.bodyLeading
        case .table(let table): return tableStartHeight(TableLayout(table))
        case .chart(let chart): return chartHeight(chart)
        case .pageBreak: return 0
        }
    }
}
