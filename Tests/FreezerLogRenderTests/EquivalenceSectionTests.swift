import Foundation
import FreezerLog
import Testing
@testable import FreezerLogRender

/// `fact` as `format` shows it: Markdown and HTML escape markup, the PDF transliterates to WinAnsi.
func shown(_ fact: String, _ format: RenderFormat) -> String {
    switch format {
    case .markdown: MarkdownRenderer.escape(fact, inBlock: false)
    case .html: HTMLRenderer.escape(fact)
    case .pdf: PDFText.Run(font: .helvetica, size: 8, x: 0, y: 0, bytes: WinAnsi.encode(fact)).text
    }
}

@Suite("Equivalence section with the criterion")
struct EquivalenceSectionTests {
    static func expectShown(_ facts: [String], _ log: ConversionLog, _ format: RenderFormat, sourceLocation: SourceLocation = #_sourceLocation) {
        let text = renderedText(log, format)
        for fact in facts {
            #expect(text.contains(shown(fact, format)), "'\(fact)' missing in \(format)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: RenderFormat.allCases)
    func criterionIsShown(_ format: RenderFormat) {
        Self.expectShown(["Table 1. Model conversion information", "Criterion: as exact as the original (k = 4.0, floor 4.0 ulp)",
                          "Equivalence criterion", "as exact as the original (asExactAsOriginal)", "Why this criterion",
                          "The default: no --rtol/--atol given", "Per floating-point output: max |frozen − exact|", "Error factor k",
                          "times the original's own error", "4.0 units in the last place (ulp)", "Evaluations",
                          "Exact reference: the original with inference semantics"], SampleEquivalence.log(), format)
    }

    @Test(arguments: RenderFormat.allCases)
    func declaredToleranceIsShown(_ format: RenderFormat) {
        let log = SampleEquivalence.log(declared: true)
        Self.expectShown(["Criterion: declared tolerance (rtol 0.001, atol per-type default)", "declared tolerance (declaredTolerance)",
                          "Declared tolerance", "|frozen − original| ≤ atol + rtol·|original|", "rtol 0.0001, atol 1e-05", "outside: 0 of 80"],
                         log, format)
        #expect(!renderedText(log, format).contains("Error factor k"), "k does not decide a declared tolerance")
    }

    @Test(arguments: RenderFormat.allCases)
    func perOutputVerdictRuleBoundAndRatio(_ format: RenderFormat) {
        Self.expectShown(["Per-output verdicts against the criterion", "Observed / bound (≤ 1 passes)", "as exact as the original", "passed",
                          "max abs ≤ 2.340982450110829e-07", "RMS ≤ 1.7053120754443267e-07", "0.25241272289498473", "(25.2% of the bound)",
                          "4.3.1 Output logits", "Verdict: passed (rule: as exact as the original).",
                          "Reason: as exact as the original: max |frozen − exact| 5.91e-08 (bound 2.34e-07).",
                          "4.3.2 Output class", "exact match", "equal to the original", "rounding ties: 3", "Rounding ties: 3 of 16 elements differ"],
                         SampleEquivalence.log(), format)
    }

    @Test(arguments: RenderFormat.allCases)
    func statisticsTableHasEveryComparisonAndStatistic(_ format: RenderFormat) throws {
        let document = LogDocument.build(SampleEquivalence.log())
        let tables = document.blocks.compactMap { block -> Table? in if case .table(let t) = block { t } else { nil } }
        let logits = try #require(tables.first { $0.caption?.contains("Output logits: absolute errors over all samples") == true })
        #expect(logits.columns.map(\.title) == ["Statistic", "frozen − exact", "original − exact", "frozen − original"])
        #expect(logits.rows == [
            .cells(["Elements", "80", "80", "80"]),
            .cells(["Max abs", "5.908937544818471e-08", "2.872223886507541e-08", "5.960464477539063e-08"]),
            .cells(["Max rel", "6.997505015703976e-07", "6.997505015703976e-07", "6.997505015703976e-07"]),
            .cells(["Mean abs", "1.3211591941503579e-08", "1.3211591941503579e-08", "1.3211591941503579e-08"]),
            .cells(["RMS", "1.7305585652913195e-08", "1.2830479498412858e-08", "2.106622019351755e-08"]),
            .cells(["p99.9 (99.9th percentile)", "5.908937544818471e-08", "2.872223886507541e-08", "5.960464477539063e-08"]),
            .cells(["Non-finite (infinite error)", "0", "0", "0"]),
        ])
        // The integer output has no exact-reference statistics: only frozen − original.
        let classes = try #require(tables.first { $0.caption?.contains("Output class: absolute errors") == true })
        #expect(classes.columns.map(\.title) == ["Statistic", "frozen − original"])
        Self.expectShown(["Statistic", "frozen − exact", "original − exact", "frozen − original", "Max rel", "Mean abs", "RMS",
                          "p99.9 (99.9th percentile)", "1.2830479498412858e-08", "0.4330127018922193"], SampleEquivalence.log(), format)
    }

    @Test(arguments: RenderFormat.allCases)
    func errorChartIsShown(_ format: RenderFormat) {
        let text = renderedText(SampleEquivalence.log(), format)
        let caption = "Figure 1. Output logits: absolute errors per decade against the exact reference, frozen model next to the original"
        switch format {
        case .markdown:
            #expect(text.contains("**\(MarkdownRenderer.escape(caption))**"))
            #expect(text.contains("|  | frozen − exact | original − exact |"))
            #expect(text.contains("| 1e-8 | " + String(repeating: "█", count: 20) + " 40 | "))
            #expect(text.contains("| 1e-11 | "), "the lowest decade is a row")
            #expect(text.contains("Elements per decade (log scale). Absolute error by decade: the group 1e-11 counts errors in \\[1e-11, 1e-10)."))
        case .html:
            #expect(text.contains("<figure class=\"chart\">\n<figcaption>\(HTMLRenderer.escape(caption))</figcaption>\n<svg "))
            #expect(text.contains("<title>frozen − exact, 1e-8: 40</title>") && text.contains("<title>original − exact, 1e-10: 6</title>"))
            #expect(text.contains(">Elements per decade (log scale)</text>") && text.contains(">1e-11</text>"))
            #expect(text.contains("figure.chart {"), "the chart style rules are in the style sheet")
        case .pdf:
            #expect(text.contains(caption))
            for label in ["Elements per decade (log scale)", "frozen - exact", "original - exact", "1e-11", "1e-10", "1e-9", "1e-8"] {
                #expect(text.contains(label), "'\(label)' missing in the PDF chart")
            }
        }
        #expect(!text.contains("Figure 2."), "the integer output has no exact-reference histograms, so no chart")
    }

    @Test func oldLogsKeepTheirSectionAndGainNothing() throws {
        let document = LogDocument.build(SampleLog.make())
        let start = try #require(document.blocks.firstIndex(of: .heading(level: 2, text: "4.3 Equivalence Verification")))
        let end = try #require(document.blocks.firstIndex(of: .heading(level: 2, text: "4.4 Warnings")))
        let section = Array(document.blocks[start..<end])
        #expect(section.count == 5)
        #expect(section[1] == .paragraph("Verdict: equivalent. On 8 input sample(s) every output is within tolerance."))
        guard case .table(let comparison) = section[4] else { Issue.record("the per-output comparison table ends the section"); return }
        #expect(comparison.caption == "Table 9. Per-output comparison: tolerances and errors of the frozen model against the verified learning model")
        #expect(!document.blocks.contains { if case .chart = $0 { true } else { false } })
        #expect(DocumentContentTests.tableOneValue(document, "Equivalence Verification")?.contains("Criterion:") == false)
        let html = renderedText(SampleLog.make(), .html)
        #expect(!html.contains("<svg") && !html.contains("figure.chart"), "no chart, no chart style rules")
        for format in RenderFormat.allCases {
            #expect(!renderedText(SampleLog.make(), format).contains("Figure"))
        }
    }

    @Test func acronymsOfTheNewTextAreListed() {
        let text = renderedText(SampleEquivalence.log(), .markdown)
        #expect(text.contains("- RMS – Root Mean Square"))
        #expect(text.contains("- ulp – unit in the last place"))
        #expect(!renderedText(SampleLog.make(), .markdown).contains("- RMS –"))
    }
}
