/// Renders a `Document` as one self-contained, printable HTML file: inline CSS, no external resources,
/// A4 print layout with table headers repeated on every printed page.
public enum HTMLRenderer {
    public static func render(_ document: Document) -> String {
        var body: [String] = []
        for block in document.blocks {
            switch block {
            case .heading(let level, let text):
                let tag = "h\(min(level + 1, 4))"
                body.append("<\(tag)>\(escape(text))</\(tag)>")
            case .paragraph(let text):
                body.append("<p>\(lines(text))</p>")
            case .bullets(let items):
                body.append("<ul>\n" + items.map { "<li>\(lines($0))</li>" }.joined(separator: "\n") + "\n</ul>")
            case .table(let table):
                body.append(render(table))
            case .chart(let chart):
                body.append(render(chart))
            case .pageBreak:
                body.append(#"<div class="page-break"></div>"#)
            }
        }
        let title = escape(document.fullTitle)
        let hasCharts = document.blocks.contains { if case .chart = $0 { true } else { false } }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="freezer log render">
            <title>\(title), version \(escape(document.version))</title>
            <style>
            \(HTMLStyle.css(header: "\(document.fullTitle), version \(document.version)", charts: hasCharts))
            </style>
            </head>
            <body>
            <header class="running">\(title) &middot; Version \(escape(document.version))</header>
            <main>
            \(body.joined(separator: "\n"))
            </main>
            </body>
            </html>

            """
    }

    static func render(_ table: Table) -> String {
        var out = [#"<table>"#]
        if let caption = table.caption { out.append("<caption>\(escape(caption))</caption>") }
        // The PDF's column widths (weights widened for the longest words), as shares of the width.
        let widths = TableLayout.widths(table)
        out.append("<colgroup>" + widths.map { #"<col style="width: \#(percent($0 / PageGeometry.contentWidth))">"# }.joined() + "</colgroup>")
        if table.showsHeader {
            out.append("<thead><tr>" + table.columns.map { "<th>\(escape($0.title))</th>" }.joined() + "</tr></thead>")
        }
        out.append("<tbody>")
        for row in table.rows {
            switch row {
            case .cells(let cells):
                let html = cells.enumerated().map { i, c in
                    !table.showsHeader && i == 0 ? #"<th scope="row">\#(lines(c))</th>"#
                        : i < table.columns.count && table.columns[i].monospace ? #"<td class="mono">\#(lines(c))</td>"# : "<td>\(lines(c))</td>"
                }
                out.append("<tr>" + html.joined() + "</tr>")
            case .group(let title):
                out.append(#"<tr class="group"><th colspan="\#(table.columns.count)" scope="rowgroup">\#(escape(title))</th></tr>"#)
            }
        }
        out.append("</tbody>\n</table>")
        return out.joined(separator: "\n")
    }

    /// `12.5%` with one decimal, locale-independent.
    static func percent(_ fraction: Double) -> String { TextFormat.oneDecimal(fraction * 100) + "%" }

    /// Escaped text with line breaks kept (`<br>`) and leading spaces kept (indented option lists).
    static func lines(_ text: String) -> String {
        text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }.map { line in
            let indent = line.prefix { $0 == " " }.count
            return String(repeating: "&nbsp;", count: indent) + escape(String(line.dropFirst(indent)))
        }.joined(separator: "<br>\n")
    }

    /// Escapes the five HTML special characters; other text is UTF-8 as is.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }
}
