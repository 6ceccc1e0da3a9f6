import Foundation

/// Renders a `Document` as GitHub-flavoured Markdown: ATX headings, pipe tables, escaped text.
public enum MarkdownRenderer {
    public static func render(_ document: Document) -> String {
        var out: [String] = []
        for block in document.blocks {
            switch block {
            case .heading(let level, let text):
                out.append(String(repeating: "#", count: level + 1) + " " + escape(text))
            case .paragraph(let text):
                out.append(text.split(separator: "\n", omittingEmptySubsequences: false).map { escape(String($0)) }.joined(separator: "  \n"))
            case .bullets(let items):
                out.append(items.map { "- " + escape($0).replacingOccurrences(of: "\n", with: "<br>") }.joined(separator: "\n"))
            case .table(let table):
                out.append(render(table))
            case .chart(let chart):
                out.append(render(chart))
            case .pageBreak:
                continue
            }
        }
        return out.joined(separator: "\n\n") + "\n"
    }

    static func render(_ table: Table) -> String {
        var lines: [String] = []
        if let caption = table.caption { lines += ["**\(escape(caption))**", ""] }
        // GFM tables need a header row; a table without one gets empty header cells.
        let header = table.showsHeader ? table.columns.map { cell($0.title) } : table.columns.map { _ in " " }
        lines.append("| " + header.joined(separator: " | ") + " |")
        lines.append("|" + table.columns.map { _ in " --- " }.joined(separator: "|") + "|")
        for row in table.rows {
            switch row {
            case .cells(let cells):
                let padded = cells + Array(repeating: "", count: max(0, table.columns.count - cells.count))
                lines.append("| " + padded.map(cell).joined(separator: " | ") + " |")
            case .group(let title):
                lines.append("| **" + cell(title) + "** |" + String(repeating: " |", count: table.columns.count - 1))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// A chart as a table: one row per category, one column per series, each cell a bar of `█` on the
    /// chart's scale (20 for the largest value, at least 1 for any value above 0) and the value.
    static func render(_ chart: BarChart) -> String {
        let width = 20.0
        let rows = chart.groups.map { group in
            let bars = group.values.map { v in
                let n = v == 0 ? 0 : max(1, Int((chart.fraction(v) * width).rounded()))
                return String(repeating: "█", count: n) + (n == 0 ? "" : " ") + TextFormat.grouped(v)
            }
            return Table.Row.cells([group.label] + bars)
        }
        let table = Table(caption: chart.caption, columns: [.init("")] + chart.series.map { .init($0) }, rows: rows)
        return render(table) + "\n\n" + escape("\(chart.valueTitle). \(chart.axisTitle).")
    }

    /// Cell text: escaped, `|` escaped, line breaks as `<br>`.
    static func cell(_ text: String) -> String {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r" }
        return lines.map { line in
            let indent = line.prefix { $0 == " " }.count
            return String(repeating: "&nbsp;", count: indent) + escape(String(line.dropFirst(indent)), inBlock: false)
        }.joined(separator: "<br>")
    }

    /// Escapes what Markdown would read as markup: `\` `` ` `` `*` `[` `]` `|`, HTML (`<`, `>`, `&`),
    /// `_` unless it is inside a word (GFM ignores intraword underscores), and in block text a `#`, `+`,
    /// `-` or `=` starting a line (table cells cannot start blocks).
    static func escape(_ text: String, inBlock: Bool = true) -> String {
        let chars = Array(text)
        var out = ""
        for (i, ch) in chars.enumerated() {
            switch ch {
            case "\\", "`", "*", "[", "]", "|": out += "\\\(ch)"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "_":
                let inside = i > 0 && i + 1 < chars.count && isWordChar(chars[i - 1]) && isWordChar(chars[i + 1])
                out += inside ? "_" : "\\_"
            case "#", "+", "-", "=":
                out += inBlock && (i == 0 || chars[i - 1] == "\n") ? "\\\(ch)" : String(ch)
            default: out.append(ch)
            }
        }
        return out
    }

    private static func isWordChar(_ c: Character) -> Bool { c.isLetter || c.isNumber }

}
