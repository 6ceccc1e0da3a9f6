import Foundation
import FreezerLog

/// Builds the document of template PhIMT0002 from a log: every placeholder replaced by a fact from the
/// log, no template guidance text, numbered sections and tables in the template's order.
public enum LogDocument {
    /// The document for `log`; the same log always gives the same document.
    public static func build(_ log: ConversionLog) -> Document {
        var b = DocumentBuilder(log: log)
        b.titleBlock()
        b.history()
        b.add(.heading(level: 1, text: "2 Objective"))
        b.add(.paragraph(TemplateText.objective))
        b.add(.heading(level: 1, text: "3 Scope"))
        b.add(.paragraph(TemplateText.scope))
        b.add(.pageBreak)
        b.add(.heading(level: 1, text: "4 Model Conversion"))
        b.add(.paragraph(TemplateText.tableIntroduction))
        b.tableOne()
        b.eliminationDetails()
        b.frozenModel()
        b.equivalence()
        b.warnings()
        b.recordAndSignatures()
        b.exportDetails()
        b.add(.pageBreak)
        b.acronyms()
        let newest = log.history.last?.date ?? log.modelConversion.date
        return Document(code: log.document.code, title: log.document.title, version: log.document.version, status: log.document.status,
                        reference: "Model conversion \(log.modelConversion.modelConversionID)", date: newest, blocks: b.blocks)
    }
}

/// Accumulates blocks and numbers the tables (Table 1 is the template's).
struct DocumentBuilder {
    let log: ConversionLog
    var blocks: [Block] = []
    private var tableNumber = 0
    private var figureNumber = 0

    init(log: ConversionLog) { self.log = log }

    mutating func add(_ block: Block) { blocks.append(block) }

    /// Adds a table captioned `Table N. <caption>`.
    mutating func table(_ caption: String, _ columns: [Table.Column], _ rows: [Table.Row], showsHeader: Bool = true) {
        tableNumber += 1
        add(.table(Table(caption: "Table \(tableNumber). \(caption)", columns: columns, rows: rows, showsHeader: showsHeader)))
    }

    /// Adds a chart captioned `Figure N. <caption>`.
    mutating func figure(_ caption: String, _ chart: BarChart) {
        figureNumber += 1
        var chart = chart
        chart.caption = "Figure \(figureNumber). \(caption)"
        add(.chart(chart))
    }

    var conversion: ModelConversion { log.modelConversion }

    mutating func titleBlock() {
        let d = log.document
        add(.heading(level: 0, text: "\(d.code) \(d.title)"))
        let newest = log.history.last
        add(.table(Table(columns: [.init("Item", weight: 1), .init("Value", weight: 2.6)], rows: [
            .cells(["Document", "\(d.code) \(d.title)"]),
            .cells(["Version", d.version]),
            .cells(["Status", d.status]),
            .cells(["Model conversion ID", conversion.modelConversionID]),
            .cells(["Verified Learning Model ID", conversion.verifiedLearningModelID]),
            .cells(["Date", TextFormat.date(newest?.date ?? conversion.date)]),
        ], showsHeader: false)))
    }

    /// "1 Review / Modification History", newest first as in the template.
    mutating func history() {
        add(.heading(level: 1, text: "1 Review / Modification History"))
        let rows: [Table.Row] = log.history.reversed().map { entry in
            var author = entry.author
            if entry.selfApproval == true { author += "\n(self-approval: approver is the responsible person)" }
            if let s = entry.signature {
                author += "\nSigned (\(s.algorithm)) by \(s.signer), key \(s.keyFingerprint.prefix(16)), \(TextFormat.date(s.date))"
            }
            return .cells(["V\(entry.version)", TextFormat.date(entry.date), entry.description, entry.change, author])
        }
        add(.table(Table(columns: [.init("Version", weight: 0.7), .init("Date", weight: 0.95), .init("Description", weight: 1.7),
                                   .init("Change", weight: 2.3), .init("Author", weight: 1.5)], rows: rows)))
    }

    /// "5 Acronyms and Abbreviations": the template's list, then every known acronym the document uses.
    mutating func acronyms() {
        let words = Set(Self.words(in: blocks))
        let used = TemplateText.knownAcronyms.filter { acronym, _ in
            acronym.split(separator: ",").allSatisfy { words.contains($0.trimmingCharacters(in: .whitespaces)) }
        }
        add(.heading(level: 1, text: "5 Acronyms and Abbreviations"))
        add(.paragraph(TemplateText.acronymsIntroduction))
        add(.bullets((TemplateText.templateAcronyms + used).map { "\($0.0) – \($0.1)" }))
    }

    /// Every word of the text drawn so far (letters and digits, split at anything else, `-` kept).
    static func words(in blocks: [Block]) -> [String] {
        var text: [String] = []
        for block in blocks {
            switch block {
            case .heading(_, let t), .paragraph(let t): text.append(t)
            case .bullets(let items): text += items
            case .table(let t):
                text += t.columns.map(\.title) + [t.caption ?? ""]
                for row in t.rows {
                    switch row {
                    case .cells(let cells): text += cells
                    case .group(let g): text.append(g)
                    }
                }
            case .chart(let c):
                text += [c.caption ?? "", c.valueTitle, c.axisTitle] + c.series + c.groups.map(\.label)
            case .pageBreak: break
            }
        }
        var words: [String] = []
        for chunk in text {
            for word in chunk.split(whereSeparator: { (c: Character) -> Bool in !(c.isLetter || c.isNumber || c == "-") }) {
                words.append(String(word))
                words += word.split(separator: "-").map(String.init)
            }
        }
        return words
    }
}
