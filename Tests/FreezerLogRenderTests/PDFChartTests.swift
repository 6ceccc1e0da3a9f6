import Foundation
import Testing
@testable import FreezerLogRender

@Suite("PDF charts")
struct PDFChartTests {
    typealias G = PageGeometry

    /// Rectangles drawn as chart bars (`re B`: filled and outlined) in a content stream.
    static func bars(_ content: String) -> [(x: Double, y: Double, width: Double, height: Double)] {
        content.split(separator: "\n").compactMap { line in
            guard line.hasSuffix(" re B Q") else { return nil }
            let n = line.split(separator: " ").compactMap { Double($0) }
            return n.count >= 7 ? (n[n.count - 4], n[n.count - 3], n[n.count - 2], n[n.count - 1]) : nil
        }
    }

    @Test func validFileWithBarsInsideTheContentArea() throws {
        let bytes = LogRenderer.render(SampleEquivalence.log(), as: .pdf)
        try PDFStructureTests.checkXref(bytes)
        let pdf = PDFText(bytes)
        PDFStructureTests.expectTextInsideMargins(pdf)
        let page = try #require(pdf.pages.first { PDFText.runs($0).contains { $0.text.hasPrefix("Figure 1. ") } })
        let bars = Self.bars(page)
        // Two legend swatches and one bar per non-zero count: 1, 2, 37, 40 and 6, 39, 35.
        #expect(bars.count == 2 + 7)
        for b in bars {
            #expect(b.x >= G.marginLeft && b.x + b.width <= G.width - G.marginRight && b.y >= G.contentBottom && b.y + b.height <= G.contentTop)
        }
        #expect(pdf.pages.map(Self.bars).joined().count == bars.count, "no bars elsewhere")
    }

    /// Wherever the chart comes on the page, it is drawn whole on one page, inside the content area.
    @Test func aChartIsNeverSplitAcrossPages() throws {
        let chart = try #require(DocumentBuilder.errorChart(SampleEquivalence.logits))
        for top in stride(from: G.contentTop, through: G.contentBottom, by: -7) {
            var composer = PageComposer()
            composer.y = top
            composer.place(.chart(chart), next: nil)
            let drawn = composer.pages.filter { !$0.isEmpty }
            #expect(drawn.count == 1 && composer.pages.last?.isEmpty == false, "chart placed at \(top) spans pages")
            for b in Self.bars(drawn.flatMap { $0 }.joined(separator: "\n")) { #expect(b.y >= G.contentBottom && b.y + b.height <= G.contentTop) }
            let runs = PDFText.runs(drawn.flatMap { $0 }.joined(separator: "\n"))
            #expect(runs.allSatisfy { $0.y >= G.contentBottom && $0.y <= G.contentTop }, "chart placed at \(top) leaves the content area")
        }
    }

    /// As the findings tables grow, the chart moves through the pages: its caption, legend, labels and
    /// bars stay together, and no page ends with a heading.
    @Test func captionLegendLabelsAndBarsStayTogether() throws {
        for findings in stride(from: 0, to: 48, by: 2) {
            let pdf = PDFText(LogRenderer.render(SampleEquivalence.log(findings: findings), as: .pdf))
            let page = try #require(pdf.pages.first { PDFText.runs($0).contains { $0.text.hasPrefix("Figure 1. ") } })
            let texts = PDFText.runs(page).map(\.text)
            for label in ["Elements per decade (log scale)", "frozen - exact", "original - exact", "1e-11", "1e-10", "1e-9", "1e-8"] {
                #expect(texts.contains(label), "\(findings) findings: '\(label)' not on the caption's page")
            }
            #expect(Self.bars(page).count == 9, "\(findings) findings: bars not on the caption's page")
            let headings = ["4.3 Equivalence Verification", "4.3.1 Output logits", "4.3.2 Output class", "4.4 Warnings"]
            for content in pdf.pages {
                let last = PDFText.runs(content).map(\.text).last ?? ""
                #expect(!headings.contains(last), "\(findings) findings: a page ends with heading '\(last)'")
            }
        }
    }
}
