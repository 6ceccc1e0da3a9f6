import Foundation
import Testing
@testable import FreezerLogRender

@Suite("PDF structure and layout")
struct PDFStructureTests {
    /// Checks the header, the trailer, and that every xref offset points at its `N 0 obj`.
    static func checkXref(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("%PDF-1.4\n"), sourceLocation: sourceLocation)
        #expect(text.hasSuffix("%%EOF\n"), sourceLocation: sourceLocation)
        let tail = try #require(text.range(of: "startxref\n", options: .backwards), sourceLocation: sourceLocation)
        let xrefOffset = try #require(Int(text[tail.upperBound...].prefix { $0.isNumber }), sourceLocation: sourceLocation)
        let xref = Array(bytes[xrefOffset...])
        #expect(String(decoding: xref.prefix(5), as: UTF8.self) == "xref\n", sourceLocation: sourceLocation)
        let lines = String(decoding: xref, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let count = try #require(Int(lines[1].split(separator: " ")[1]), sourceLocation: sourceLocation)
        #expect(lines[2] == "0000000000 65535 f ", sourceLocation: sourceLocation)
        for number in 1..<count {
            let entry = lines[2 + number]
            #expect(entry.utf8.count == 19 && entry.hasSuffix(" 00000 n "), "xref entries are 20 bytes with EOL", sourceLocation: sourceLocation)
            let offset = try #require(Int(entry.prefix(10)), sourceLocation: sourceLocation)
            let object = String(decoding: bytes[offset..<min(offset + 20, bytes.count)], as: UTF8.self)
            #expect(object.hasPrefix("\(number) 0 obj\n"), "xref entry \(number) points at '\(object.prefix(12))'", sourceLocation: sourceLocation)
        }
        #expect(text.contains("trailer\n<< /Size \(count) /Root 1 0 R /Info 6 0 R >>"), sourceLocation: sourceLocation)
    }

    @Test func validStructureAndStreamLengths() throws {
        let bytes = LogRenderer.render(SampleLog.make(signed: true), as: .pdf)
        try Self.checkXref(bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        // Each /Length is the exact byte count between "stream\n" and "\nendstream".
        var rest = text[...]
        while let length = rest.range(of: "<< /Length ") {
            let n = Int(rest[length.upperBound...].prefix { $0.isNumber })!
            let start = rest.range(of: "stream\n", range: length.upperBound..<rest.endIndex)!.upperBound
            let body = rest[start...].utf8.prefix(n + 10)
            #expect(String(decoding: body.dropFirst(n), as: UTF8.self) == "\nendstream")
            rest = rest[start...]
        }
        for font in ["Helvetica", "Helvetica-Bold", "Courier"] {
            #expect(text.contains("/BaseFont /\(font) /Encoding /WinAnsiEncoding"))
        }
        #expect(!text.contains("/FontFile"), "standard fonts are not embedded")
    }

    @Test func pageCountAndRunningText() throws {
        let pdf = PDFText(LogRenderer.render(SampleLog.make(findings: 60), as: .pdf))
        let text = String(decoding: pdf.bytes, as: UTF8.self)
        let count = pdf.pages.count
        #expect(count > 1)
        #expect(text.contains("/Type /Pages /Kids [") && text.contains("/Count \(count) >>"))
        #expect(text.components(separatedBy: "/Type /Page ").count - 1 == count)
        #expect(text.contains("/MediaBox [0 0 595.28 841.89]"))
        for (i, page) in pdf.pages.enumerated() {
            let runs = PDFText.runs(page).map(\.text)
            #expect(runs.contains("Page \(i + 1) of \(count)"))
            #expect(runs.contains("PhIMT0002 | Version 0.1 | Status: draft"))
        }
    }

    @Test func deterministicBytes() {
        let log = SampleLog.make(findings: 40, signed: true)
        #expect(LogRenderer.render(log, as: .pdf) == LogRenderer.render(log, as: .pdf))
        #expect(LogRenderer.render(log, as: .html) == LogRenderer.render(log, as: .html))
        let text = String(decoding: LogRenderer.render(log, as: .pdf), as: UTF8.self)
        #expect(text.contains("/CreationDate (D:20261201090000Z)"), "the only date is the log's own")
    }

    @Test func longTablesBreakWithTheHeaderRepeated() throws {
        let findings = 150
        let pdf = PDFText(LogRenderer.render(SampleLog.make(findings: findings), as: .pdf))
        let caption = "Dropout: found in the verified learning model"
        let pages = pdf.pages.map { PDFText.runs($0).map(\.text) }
        let spanned = pages.filter { runs in runs.contains { $0.contains(caption) } }
        #expect(spanned.count >= 3, "150 rows need several pages")
        for runs in spanned {
            for title in ["Graph", "Node", "Operator", "State", "Detail"] { #expect(runs.contains(title), "header '\(title)' repeated") }
        }
        #expect(spanned.dropFirst().allSatisfy { runs in runs.contains { $0.hasSuffix("(continued)") } })
        // Every row is drawn exactly once in the found table and once in the changes table.
        let all = pages.flatMap { $0 }
        for i in 0..<findings { #expect(all.filter { $0 == "node_\(i)" }.count == 2, "node_\(i)") }
    }

    @Test func everythingIsDrawnInsideTheMargins() {
        Self.expectTextInsideMargins(PDFText(LogRenderer.render(SampleLog.make(findings: 50, signed: true), as: .pdf)))
    }

    static func expectTextInsideMargins(_ pdf: PDFText, sourceLocation: SourceLocation = #_sourceLocation) {
        let left = PageGeometry.marginLeft - 0.01
        let right = PageGeometry.width - PageGeometry.marginRight + 0.01
        for (p, page) in pdf.pages.enumerated() {
            for run in PDFText.runs(page) {
                let width = run.font.width(run.bytes, size: run.size)
                #expect(run.x >= left && run.x + width <= right, "page \(p + 1): '\(run.text)' from \(run.x) to \(run.x + width)",
                        sourceLocation: sourceLocation)
                #expect(run.y > 20 && run.y < PageGeometry.height - 20, sourceLocation: sourceLocation)
            }
        }
    }

    @Test func noHeadingEndsAPage() {
        let document = LogDocument.build(SampleLog.make(findings: 30, signed: true))
        let headings = Set(document.blocks.compactMap { block -> String? in
            if case .heading(_, let t) = block { return String(decoding: WinAnsi.encode(t), as: UTF8.self) }
            return nil
        })
        let pdf = PDFText(PDFRenderer.render(document))
        for page in pdf.pages {
            // Content runs only: the running header and footer (two runs each) come first.
            let runs = PDFText.runs(page).map(\.text).dropFirst(4)
            #expect(!(runs.last.map(headings.contains) ?? false), "page ends with heading '\(runs.last ?? "")'")
        }
    }
}
