/// The inline style sheet of the HTML rendering: screen reading, and A4 printing with running header,
/// page numbers, page breaks between the template's parts and table headers repeated on each page.
enum HTMLStyle {
    /// The style sheet; the chart rules only when the document has charts, so documents without
    /// charts keep the bytes they had before charts existed.
    static func css(header: String, charts: Bool = false) -> String {
        base(header: header) + (charts ? "\n" + chartRules : "")
    }

    static let chartRules = """
        figure.chart { margin: 0.3em 0 1em; break-inside: avoid; page-break-inside: avoid; }
        figure.chart figcaption { font-weight: bold; font-size: 9pt; padding: 0.2em 0 0.3em; }
        figure.chart svg { display: block; max-width: 100%; height: auto; }
        """

    private static func base(header: String) -> String {
        """
        @page {
          size: A4;
          margin: 20mm 16mm 18mm 16mm;
          @top-left { content: "\(cssString(header))"; font: 8pt Helvetica, Arial, sans-serif; color: #555; }
          @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt Helvetica, Arial, sans-serif; color: #555; }
        }
        html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        body { font-family: Helvetica, Arial, sans-serif; font-size: 10pt; line-height: 1.35; color: #111;
               max-width: 190mm; margin: 0 auto; padding: 12px; }
        header.running { font-size: 8pt; color: #555; border-bottom: 0.5pt solid #999; padding-bottom: 2px; margin-bottom: 12px; }
        h1 { font-size: 18pt; margin: 0.2em 0 0.6em; }
        h2 { font-size: 14pt; margin: 1.3em 0 0.5em; }
        h3 { font-size: 11.5pt; margin: 1.2em 0 0.4em; }
        h4 { font-size: 10pt; margin: 1em 0 0.3em; }
        h1, h2, h3, h4, caption { break-after: avoid; page-break-after: avoid; }
        p { margin: 0.4em 0; }
        ul { margin: 0.4em 0; padding-left: 1.4em; }
        td.mono { font-family: "Courier New", Courier, monospace; font-size: 8pt; }
        table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 0.3em 0 1em; font-size: 8.5pt; }
        caption { caption-side: top; text-align: left; font-weight: bold; font-size: 9pt; padding: 0.2em 0 0.3em; }
        th, td { border: 0.5pt solid #777; padding: 2px 4px; vertical-align: top; text-align: left;
                 overflow-wrap: anywhere; word-break: break-word; }
        thead { display: table-header-group; }
        thead th { background: #e6e6e6; }
        th[scope="row"] { background: #f4f4f4; font-weight: bold; }
        tr.group th { background: #f0f0f0; font-weight: bold; }
        tr { break-inside: avoid; page-break-inside: avoid; }
        .page-break { height: 0; }
        @media print {
          body { max-width: none; padding: 0; font-size: 9.5pt; }
          header.running { display: none; }
          .page-break { break-before: page; page-break-before: always; }
        }
        """
    }

    /// Text inside a CSS string literal: quotes, backslashes, line breaks and `<` escaped.
    static func cssString(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "<", ">", "&", "\n", "\r": out += "\\" + String(scalar.value, radix: 16) + " "
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
