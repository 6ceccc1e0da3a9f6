import Foundation
import FreezerLog
import Testing
@testable import FreezerLogRender

/// The rendered text of a log in one format, as a reader would search it.
func renderedText(_ log: ConversionLog, _ format: RenderFormat) -> String {
    let bytes = LogRenderer.render(log, as: format)
    return format == .pdf ? PDFText(bytes).joinedText : String(decoding: bytes, as: UTF8.self)
}

@Suite("Log document content")
struct DocumentContentTests {
    /// Table 1's rows as the template names them (groups have no value cell).
    static let tableOneLabels = ["Model conversion", "Date", "Responsible", "Phase of the lifecycle", "Verified Learning Model",
                                 "Verified Learning Model ID", "- Dropout", "- Batch Normalization", "- Gradient Clipping",
                                 "- Learning Rate Scheduling", "- Weight Regularization (L1, L2)", "Framework and version",
                                 "Packages and version", "Converter/model conversion script", "Environment information"]

    static let guidancePhrases = ["must be replaced", "must be deleted", "Specify the framework", "<Model_ID>", "&lt;Model_ID&gt;",
                                  "<Model_conversion_ID>", "Model_conversion_ID", "Format YYYY/MM/DD", "Date of design",
                                  "The person who converts the model", "Operation system or any additional", "In the case of using tools",
                                  "Tensorflow (keras, tensorflow)", "paragraphs written in red", "in blue", "The deliverable generated from this template",
                                  "Model_ID_version"]

    /// The Table 1 row of `label` in the built document.
    static func tableOneValue(_ document: Document, _ label: String) -> String? {
        for case .table(let t) in document.blocks where t.caption == "Table 1. Model conversion information" {
            for case .cells(let cells) in t.rows where cells.first == label { return cells[1] }
        }
        return nil
    }

    @Test func everyTableOneRowHasAValue() throws {
        let document = LogDocument.build(SampleLog.make())
        for label in Self.tableOneLabels {
            let value = try #require(Self.tableOneValue(document, label), "Table 1 has no row '\(label)'")
            #expect(!value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "empty value for '\(label)'")
        }
        #expect(Self.tableOneValue(document, "Date")?.hasPrefix("2026/11/29") == true)
        #expect(Self.tableOneValue(document, "Verified Learning Model ID")?.hasPrefix("CNN_1") == true)
        #expect(Self.tableOneValue(document, "Phase of the lifecycle") == "Inference Management")
    }

    @Test(arguments: RenderFormat.allCases)
    func everyTableOneRowIsRenderedWithItsValue(_ format: RenderFormat) throws {
        let log = SampleLog.make()
        let document = LogDocument.build(log)
        let text = renderedText(log, format)
        for label in Self.tableOneLabels {
            let value = try #require(Self.tableOneValue(document, label))
            let first = String(value.split(separator: "\n")[0].prefix(12))
            switch format {
            case .markdown:
                let row = MarkdownRenderer.cell(label) + " | " + MarkdownRenderer.cell(first)
                #expect(text.contains("| " + row), "no Markdown row '\(label)' with its value")
            case .html:
                #expect(text.contains("<tr><td>\(HTMLRenderer.escape(label))</td><td>\(HTMLRenderer.escape(first))"), "no HTML row '\(label)'")
            case .pdf:
                let shown = PDFText.Run(font: .helvetica, size: 8, x: 0, y: 0, bytes: WinAnsi.encode(first)).text
                #expect(text.contains(label + " " + shown), "no PDF row '\(label)' followed by '\(shown)'")
            }
        }
        for group in ["Elimination of Training-Specific Operations", "Loading and Converting the Verified Learning Model"] {
            #expect(text.contains(group))
        }
    }

    @Test(arguments: RenderFormat.allCases)
    func noTemplateGuidanceRemains(_ format: RenderFormat) {
        let text = renderedText(SampleLog.make(signed: true), format)
        for phrase in Self.guidancePhrases {
            #expect(!text.localizedCaseInsensitiveContains(phrase), "guidance '\(phrase)' in \(format)")
        }
    }

    @Test(arguments: RenderFormat.allCases)
    func sectionsOfTheTemplateInOrder(_ format: RenderFormat) throws {
        let text = renderedText(SampleLog.make(), format)
        let headings = ["1 Review / Modification History", "2 Objective", "3 Scope", "4 Model Conversion", "Table 1. Model conversion information",
                        "4.1 Elimination of Training-Specific Operations", "4.2 Frozen Model", "4.3 Equivalence Verification",
                        "4.4 Warnings", "4.5 Record Digest and Signatures", "5 Acronyms and Abbreviations"]
        var position = text.startIndex
        for heading in headings {
            let found = try #require(text.range(of: heading, range: position..<text.endIndex), "'\(heading)' missing or out of order in \(format)")
            position = found.upperBound
        }
        #expect(text.contains("In Deep Learning (DL), a frozen model refers to a"))
        #expect(text.contains("Artificial Intelligence - Functional Safety Management"))
        for acronym in ["AI-FSM", "DL", "ONNX", "SHA", "IR", "UTC"] {
            #expect(text.contains(format == .markdown ? "\n- \(acronym) " : "\(acronym) – ") || text.contains("\(acronym) - "), "acronym \(acronym) in \(format)")
        }
    }

    @Test func historyNewestFirstWithSignatureMarks() throws {
        let document = LogDocument.build(SampleLog.make(signed: true))
        guard case .table(let history) = document.blocks[3] else { Issue.record("history table expected after its heading"); return }
        guard case .cells(let newest) = history.rows[0], case .cells(let oldest) = history.rows[1] else { return }
        #expect(newest[0] == "V1.0" && oldest[0] == "V0.1")
        #expect(newest[1] == "2026/12/01")
        #expect(newest[4].contains("Signed (Ed25519) by Rita Reviewer"))
    }

    @Test(arguments: RenderFormat.allCases)
    func skippedVerificationIsStatedExplicitly(_ format: RenderFormat) {
        let text = renderedText(SampleLog.make(verified: false), format)
        #expect(text.contains("Verification was NOT performed"))
        #expect(text.contains("Equivalence was not verified (--no-verify)."))
    }

    @Test(arguments: RenderFormat.allCases)
    func evidenceAndStatisticsAreShown(_ format: RenderFormat) {
        let text = renderedText(SampleLog.make(), format)
        for fact in ["largest change: 0.111559", "max abs 5.960464477539063e-08", "mean abs 1.080334186553955e-08", "0 of 80", "rtol 0.0001",
                     "unchanged", "removed (-2)"] {
            #expect(text.contains(fact), "'\(fact)' missing in \(format)")
        }
    }
}
