import FreezerLog

/// The output formats of `freezer log render`.
public enum RenderFormat: String, CaseIterable, Sendable {
    case markdown, html, pdf

    /// File extension of the default output path (`md`, `html`, `pdf`).
    public var fileExtension: String {
        switch self {
        case .markdown: "md"
        case .html: "html"
        case .pdf: "pdf"
        }
    }

    /// Whether the output is text that may go to standard output.
    public var isText: Bool { self != .pdf }
}

/// Renders a Model Conversion Log as document PhIMT0002 in one of the formats.
public enum LogRenderer {
    /// The rendered bytes: UTF-8 text for Markdown and HTML, a PDF file for PDF.
    public static func render(_ log: ConversionLog, as format: RenderFormat) -> [UInt8] {
        render(LogDocument.build(log), as: format)
    }

    /// Any document (the log's, the Tool Qualification Report) in `format`.
    public static func render(_ document: Document, as format: RenderFormat) -> [UInt8] {
        switch format {
        case .markdown: return Array(MarkdownRenderer.render(document).utf8)
        case .html: return Array(HTMLRenderer.render(document).utf8)
        case .pdf: return PDFRenderer.render(document)
        }
    }
}
