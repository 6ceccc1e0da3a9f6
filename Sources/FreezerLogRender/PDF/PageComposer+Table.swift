/// A table measured for the page: column widths, wrapped header, caption and cell lines.
struct TableLayout {
    typealias G = PageGeometry
    enum Row {
        case cells([[TextWrapper.Line]])
        case group([TextWrapper.Line])

        var lineCount: Int {
            switch self {
            case .cells(let cells): max(1, cells.map(\.count).max() ?? 1)
            case .group(let lines): max(1, lines.count)
            }
        }
        var height: Double { Double(lineCount) * G.tableLeading + 2 * G.cellPadY }
    }

    let table: Table
    let widths: [Double]
    let caption: [TextWrapper.Line]
    let header: [[TextWrapper.Line]]
    let rows: [Row]

    init(_ table: Table) {
        self.table = table
        widths = Self.widths(table)
        caption = PageComposer.captionLines(table.caption)
        let inner = widths.map { $0 - 2 * G.cellPadX }
        header = table.showsHeader ? zip(table.columns, inner).map { TextWrapper.wrap($0.title, font: .helveticaBold, size: G.tableSize, width: $1) } : []
        rows = table.rows.map { row in
            switch row {
            case .cells(let cells):
                return .cells(inner.indices.map { i in
                    TextWrapper.wrap(i < cells.count ? cells[i] : "", font: Self.font(table, column: i), size: G.tableSize, width: inner[i])
                })
            case .group(let title):
                return .group(TextWrapper.wrap(title, font: .helveticaBold, size: G.tableSize, width: G.contentWidth - 2 * G.cellPadX))
            }
        }
    }

    /// Bold for the label column of header-less tables, Courier for monospace columns.
    static func font(_ table: Table, column: Int) -> StandardFont {
        if !table.showsHeader && column == 0 { return .helveticaBold }
        return table.columns[column].monospace ? .courier : .helvetica
    }

    /// Column widths from the weights, then widened where the longest word of a column would not fit
    /// (up to 30% of the line), taking the width from columns with room to spare.
    static func widths(_ table: Table) -> [Double] {
        let total = table.columns.map(\.weight).reduce(0, +)
        var widths = table.columns.map { G.contentWidth * $0.weight / total }
        let cap = G.contentWidth * 0.3
        let need = table.columns.indices.map { i -> Double in
            var texts = table.showsHeader ? [table.columns[i].title] : []
            for case .cells(let cells) in table.rows where i < cells.count { texts.append(cells[i]) }
            let font = font(table, column: i)
            let headerFont: StandardFont = table.showsHeader ? .helveticaBold : font
            let longest = texts.enumerated().flatMap { k, text in
                // Paths and lists break well at `/`, `,`, `;`, `:`, `=`: only the pieces between must fit.
                WinAnsi.encode(text).split(whereSeparator: { " \n/,;:=".utf8.contains($0) }).map {
                    (table.showsHeader && k == 0 ? headerFont : font).width($0, size: G.tableSize)
                }
            }.max() ?? 0
            return min(longest + 2 * G.cellPadX + 0.5, max(cap, widths[i]))
        }
        let deficit = zip(widths, need).map { max(0, $1 - $0) }.reduce(0, +)
        let slack = zip(widths, need).map { max(0, $0 - $1) }
        let spare = slack.reduce(0, +)
        guard deficit > 0, spare > 0 else { return widths }
        let moved = min(deficit, spare)
        for i in widths.indices {
            if widths[i] < need[i] { widths[i] += (need[i] - widths[i]) * moved / deficit } else { widths[i] -= slack[i] * moved / spare }
        }
        return widths
    }

    var captionHeight: Double { PageComposer.captionHeight(caption) }
    var headerHeight: Double { header.isEmpty ? 0 : Double(max(1, header.map(\.count).max() ?? 1)) * G.tableLeading + 2 * G.cellPadY }
}

/// Tables: a row that does not fit moves to the next page when it is short, else it is split between
/// lines; on every new page the caption (marked "continued") and the header row are repeated.
extension PageComposer {
    /// Caption, header and the first row (or its first three lines): what must be on the starting page.
    func tableStartHeight(_ layout: TableLayout) -> Double {
        let first = layout.rows.first.map { min($0.height, 3 * G.tableLeading + 2 * G.cellPadY) } ?? 0
        return layout.captionHeight + layout.headerHeight + first
    }

    mutating func table(_ table: Table) {
        let layout = TableLayout(table)
        ensure(tableStartHeight(layout))
        drawCaption(layout, continued: false)
        drawHeader(layout)
        let fresh = G.contentTop - G.contentBottom - layout.captionHeight - layout.headerHeight
        var pageTop = y
        for row in layout.rows {
            var offset = 0
            let total = row.lineCount
            while true {
                let left = total - offset
                let height = Double(left) * G.tableLeading + 2 * G.cellPadY
                if height <= remaining {
                    drawRow(layout, row, lines: offset..<total, height: height)
                    break
                }
                // A short row moves whole; a long one fills this page first (at least two lines).
                let fitting = max(Int((remaining - 2 * G.cellPadY) / G.tableLeading), y == pageTop ? 1 : 0)
                if y != pageTop && ((offset == 0 && height <= fresh && height <= fresh / 3) || fitting < 2) {
                    continueOnNewPage(layout)
                    pageTop = y
                    continue
                }
                drawRow(layout, row, lines: offset..<(offset + fitting), height: Double(fitting) * G.tableLeading + 2 * G.cellPadY)
                offset += fitting
                continueOnNewPage(layout)
                pageTop = y
            }
        }
        y -= 8
    }

    private mutating func continueOnNewPage(_ layout: TableLayout) {
        newPage()
        drawCaption(layout, continued: true)
        drawHeader(layout)
    }

    private mutating func drawCaption(_ layout: TableLayout, continued: Bool) {
        guard !layout.caption.isEmpty else { return }
        caption(continued ? Self.captionLines((layout.table.caption ?? "") + " (continued)") : layout.caption)
    }

    private mutating func drawHeader(_ layout: TableLayout) {
        guard !layout.header.isEmpty else { return }
        drawCells(layout, layout.header, lines: 0..<Int.max, height: layout.headerHeight, font: { _ in .helveticaBold }, gray: 0.88)
    }

    private mutating func drawRow(_ layout: TableLayout, _ row: TableLayout.Row, lines: Range<Int>, height: Double) {
        switch row {
        case .cells(let cells):
            let gray: (Int) -> Double? = { layout.table.showsHeader || $0 != 0 ? nil : 0.95 }
            drawCells(layout, cells, lines: lines, height: height, font: { TableLayout.font(layout.table, column: $0) }, gray: nil, columnGray: gray)
        case .group(let title):
            let x = G.marginLeft
            fill(x: x, y: y - height, width: G.contentWidth, height: height, gray: 0.93)
            stroke(x: x, y: y - height, width: G.contentWidth, height: height)
            drawLines(title, lines: lines, font: .helveticaBold, x: x + G.cellPadX)
            y -= height
        }
    }

    private mutating func drawCells(_ layout: TableLayout, _ cells: [[TextWrapper.Line]], lines: Range<Int>, height: Double,
                                    font: (Int) -> StandardFont, gray: Double?, columnGray: (Int) -> Double? = { _ in nil }) {
        var x = G.marginLeft
        for (i, width) in layout.widths.enumerated() {
            if let g = gray ?? columnGray(i) { fill(x: x, y: y - height, width: width, height: height, gray: g) }
            stroke(x: x, y: y - height, width: width, height: height)
            drawLines(cells[i], lines: lines, font: font(i), x: x + G.cellPadX)
            x += width
        }
        y -= height
    }

    /// Draws the cell lines in `lines` (clamped to what the cell has) from the cursor down.
    private mutating func drawLines(_ cell: [TextWrapper.Line], lines: Range<Int>, font: StandardFont, x: Double) {
        let range = lines.clamped(to: 0..<cell.count)
        var top = y - G.cellPadY
        for line in cell[range] {
            text(line.bytes, font: font, size: G.tableSize, x: x + line.indent, baseline: G.baseline(top: top, size: G.tableSize, leading: G.tableLeading))
            top -= G.tableLeading
        }
    }
}
