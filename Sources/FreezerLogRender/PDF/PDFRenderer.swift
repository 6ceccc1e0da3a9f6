/// Renders a `Document` as a PDF 1.4 file written by freezer itself: A4 pages, the standard Helvetica,
/// Helvetica-Bold and Courier fonts (WinAnsiEncoding, not embedded), running header and footer with
/// "Page N of M". Deterministic: objects in a fixed order, no time stamp but the document's own date.
public enum PDFRenderer {
    typealias G = PageGeometry

    public static func render(_ document: Document) -> [UInt8] {
        var composer = PageComposer()
        let blocks = document.blocks
        for (i, block) in blocks.enumerated() {
            composer.place(block, next: blocks[(i + 1)...].first { $0 != .pageBreak })
        }
        var pages = composer.pages
        if pages.count > 1 && pages[pages.count - 1].isEmpty { pages.removeLast() }

        // Fixed numbering: 1 catalog, 2 page tree, 3-5 fonts, 6 info, then each page and its content.
        let firstPage = 7
        var file = PDFFile()
        file.add("<< /Type /Catalog /Pages 2 0 R >>")
        let kids = pages.indices.map { "\(firstPage + 2 * $0) 0 R" }.joined(separator: " ")
        file.add("<< /Type /Pages /Kids [\(kids)] /Count \(pages.count) >>")
        for font in StandardFont.allCases {
            file.add("<< /Type /Font /Subtype /Type1 /BaseFont /\(font.baseFont) /Encoding /WinAnsiEncoding >>")
        }
        file.add(info(document))
        let fonts = StandardFont.allCases.map { "/\($0.resourceName) \(3 + $0.rawValue) 0 R" }.joined(separator: " ")
        for (index, ops) in pages.enumerated() {
            let pageNumber = file.nextNumber
            file.add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 \(G.number(G.width)) \(G.number(G.height))] "
                + "/Resources << /Font << \(fonts) >> /ProcSet [/PDF /Text] >> /Contents \(pageNumber + 1) 0 R >>")
            let content = (runningText(document, page: index + 1, of: pages.count) + ops).joined(separator: "\n")
            file.addStream(Array(content.utf8))
        }
        return file.bytes(root: 1, info: 6)
    }

    /// Header (title, version, reference) and footer (document code, version, status, page number).
    static func runningText(_ document: Document, page: Int, of count: Int) -> [String] {
        var c = PageComposer()
        let size = 7.5
        let headerBaseline = G.height - 40
        let footerBaseline = 34.0
        let right = G.marginLeft + G.contentWidth
        func rightAligned(_ s: String, font: StandardFont, baseline: Double) {
            let bytes = WinAnsi.encode(s)
            c.text(bytes, font: font, size: size, x: right - font.width(bytes, size: size), baseline: baseline)
        }
        c.text(WinAnsi.encode(document.fullTitle), font: .helveticaBold, size: size, x: G.marginLeft, baseline: headerBaseline)
        rightAligned("Version \(document.version) | \(document.reference)", font: .helvetica, baseline: headerBaseline)
        c.rule(x1: G.marginLeft, x2: right, y: headerBaseline - 5)
        c.rule(x1: G.marginLeft, x2: right, y: footerBaseline + 10)
        c.text(WinAnsi.encode("\(document.code) | Version \(document.version) | Status: \(document.status)"), font: .helvetica, size: size,
               x: G.marginLeft, baseline: footerBaseline)
        rightAligned("Page \(page) of \(count)", font: .helvetica, baseline: footerBaseline)
        return c.pages[0]
    }

    /// The document information dictionary: title, subject, producer and the document's own date.
    static func info(_ document: Document) -> String {
        var entries = ["/Title (\(WinAnsi.literal(WinAnsi.encode("\(document.fullTitle), version \(document.version)"))))",
                       "/Subject (\(WinAnsi.literal(WinAnsi.encode(document.reference))))",
                       "/Producer (freezer log render)"]
        let digits = document.date.filter(\.isNumber)
        if digits.count >= 14 && document.date.hasSuffix("Z") { entries.append("/CreationDate (D:\(digits.prefix(14))Z)") }
        return "<< " + entries.joined(separator: " ") + " >>"
    }
}
