import Foundation

/// Everything `inspect` found: the model summary and, for every category, what the search found.
///
/// Stable JSON (see docs/inspect-json.md): fields are only added, and `schemaVersion` changes when a
/// field changes meaning or goes away.
public struct InspectReport: Codable, Sendable, Equatable {
    /// The JSON schema version: "1".
    public var schemaVersion: String
    public var summary: ModelSummary
    /// One entry per category, in template order, present even when nothing was found.
    public var categories: [CategoryReport]

    public static let currentSchemaVersion = "1"

    public init(summary: ModelSummary, categories: [CategoryReport]) {
        self.schemaVersion = Self.currentSchemaVersion
        self.summary = summary
        self.categories = categories
    }

    /// The report for `category` (every category is always present).
    public func category(_ category: FindingCategory) -> CategoryReport {
        categories.first { $0.category == category }
            ?? CategoryReport(category: category, searched: false, nodesSearched: 0, graphsSearched: 0, findings: [])
    }

    /// All findings, category by category.
    public var findings: [Finding] { categories.flatMap(\.findings) }

    /// Deterministic JSON: sorted keys, pretty-printed, slashes unescaped.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

/// The result of searching the model for one category.
///
/// `searched` with an empty `findings` means "looked everywhere and it is not there", which is what the
/// log's "not present" needs; `nodesSearched`/`graphsSearched` say how far "everywhere" went.
public struct CategoryReport: Codable, Sendable, Equatable {
    public var category: FindingCategory
    public var searched: Bool
    public var nodesSearched: Int
    public var graphsSearched: Int
    public var findings: [Finding]

    public init(category: FindingCategory, searched: Bool, nodesSearched: Int, graphsSearched: Int, findings: [Finding]) {
        self.category = category
        self.searched = searched
        self.nodesSearched = nodesSearched
        self.graphsSearched = graphsSearched
        self.findings = findings
    }
}
