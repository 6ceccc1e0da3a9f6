/// A format-neutral document: what every renderer draws, built once from a log by `LogDocument`.
///
/// Text is plain Unicode; each renderer escapes it for its format. A `\n` inside a table cell or a
/// paragraph is a line break the renderer keeps.
public struct Document: Sendable, Equatable {
    /// Document code, e.g. `PhIMT0002`.
    public var code: String
    /// Document title, e.g. `Model Conversion Log`.
    public var title: String
    /// The log document's version (`document.version`).
    public var version: String
    /// The document's status (`draft`, `approved`, ...).
    public var status: String
    /// What the document is about, for running headers: `Model conversion MC-...`.
    public var reference: String
    /// Metadata date for formats that carry one (the date of the newest history entry, ISO 8601).
    public var date: String
    public var blocks: [Block]

    public init(code: String, title: String, version: String, status: String, reference: String, date: String, blocks: [Block]) {
        self.code = code
        self.title = title
        self.version = version
        self.status = status
        self.reference = reference
        self.date = date
        self.blocks = blocks
    }

    /// `PhIMT0002 Model Conversion Log`.
    public var fullTitle: String { "\(code) \(title)" }
}

/// One block of the document flow.
public enum Block: Sendable, Equatable {
    /// The document title (level 0), a numbered section (1) or a subsection (2, 3).
    case heading(level: Int, text: String)
    case paragraph(String)
    /// An unnumbered list.
    case bullets([String])
    case table(Table)
    /// A small bar chart with a caption, kept on one page.
    case chart(BarChart)
    /// A page break where the medium has pages (HTML print, PDF); nothing in Markdown.
    case pageBreak
}

/// A table with a caption, weighted columns and a header row that repeats on every page it spans.
public struct Table: Sendable, Equatable {
    public var caption: String?
    public var columns: [Column]
    public var rows: [Row]
    /// Whether the header row is drawn (key–value tables of the title block have none).
    public var showsHeader: Bool

    public init(caption: String? = nil, columns: [Column], rows: [Row], showsHeader: Bool = true) {
        self.caption = caption
        self.columns = columns
        self.rows = rows
        self.showsHeader = showsHeader
    }

    /// A column title and its share of the table width.
    public struct Column: Sendable, Equatable {
        public var title: String
        public var weight: Double
        /// Drawn in a monospaced font where the format allows (digests, encoded keys).
        public var monospace: Bool
        public init(_ title: String, weight: Double = 1, monospace: Bool = false) {
            self.title = title
            self.weight = weight
            self.monospace = monospace
        }
    }

    /// A row of cells, or a group title spanning all columns (the template's "Elimination of
    /// Training-Specific Operations" and "Loading and Converting" rows).
    public enum Row: Sendable, Equatable {
        case cells([String])
        case group(String)
    }
}
