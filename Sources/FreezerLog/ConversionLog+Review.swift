import Foundation

/// The Review / Modification History workflow: pure operations on the record, no files, no keys.
///
/// Versions: convert writes `0.1` "First draft"; each review adds the next minor (`0.2`, `0.3`, …);
/// approval makes the next major (`1.0` "First version after complete internal review"). An approved
/// log is closed: reviews and approvals are refused until `startNewVersion` reopens it as the next
/// minor (`1.1`); then reviews add `1.2`, … and approval makes `2.0`. Every operation appends exactly
/// one history entry and updates `document.version` and `document.status`; the caller recomputes
/// `recordDigest` (it needs a hash function, which this dependency-free target does not have).
extension ConversionLog {
    /// The review workflow, as a requirement of `freezer qualify`'s specification.
    public static let reviewRequirement = (
        id: "LOG-REVIEW",
        statement: "A review raises the minor version (0.1 → 0.2) with its author, date and description; approval by someone other than the responsible makes version 1.0 with status approved; self-approval without --allow-self-approval and a review of an approved log are refused (exit 7) and leave the log file unchanged.")

    /// The template's wording of the first approval; later approvals name their version.
    public static func approvalDescription(for version: DocumentVersion) -> String {
        version.major == 1 ? "First version after complete internal review" : "Version \(version) after complete internal review"
    }

    /// Adds a review / modification entry with the next minor version. Refused when approved.
    @discardableResult
    public mutating func addReview(by author: String, description: String, change: String = "", date: String) throws(WorkflowError) -> HistoryEntry {
        let current = try openVersion()
        try Self.require(author, "--by (the reviewer's name)")
        try Self.require(description, "--description")
        return append(HistoryEntry(version: current.nextMinor.description, date: date, description: description, change: change, author: author))
    }

    /// Approves the log: the next major version. The approver must not be the responsible person
    /// unless `allowSelfApproval`; the entry records which (`selfApproval`).
    @discardableResult
    public mutating func approve(by approver: String, date: String, allowSelfApproval: Bool = false) throws(WorkflowError) -> HistoryEntry {
        let current = try openVersion()
        try Self.require(approver, "--by (the approver's name)")
        let isSelf = Self.samePerson(approver, modelConversion.responsible)
        if isSelf && !allowSelfApproval { throw .selfApproval(person: approver) }
        let version = current.nextMajor
        let change = isSelf
            ? "Approved by \(approver), who is also the responsible person (self-approval explicitly allowed)"
            : "Approved by \(approver)"
        return append(HistoryEntry(version: version.description, date: date, description: Self.approvalDescription(for: version),
                                   change: change, author: approver, selfApproval: isSelf))
    }

    /// Reopens an approved log as the next minor version (`1.0` → `1.1`), so it can be reviewed and approved again.
    @discardableResult
    public mutating func startNewVersion(by author: String, description: String, date: String) throws(WorkflowError) -> HistoryEntry {
        let current = try consistentVersion()
        guard document.status == DocumentStatus.approved.rawValue else {
            throw .notApproved(version: document.version, status: document.status)
        }
        try Self.require(author, "--by (the author's name)")
        try Self.require(description, "--description")
        return append(HistoryEntry(version: current.nextMinor.description, date: date, description: description,
                                   change: "New version started after approved version \(current)", author: author))
    }

    /// Whether two names denote the same person, ignoring case and surrounding or repeated white space.
    public static func samePerson(_ a: String, _ b: String) -> Bool {
        func normal(_ s: String) -> String { s.split(whereSeparator: \.isWhitespace).joined(separator: " ").lowercased() }
        return normal(a) == normal(b)
    }

    private mutating func append(_ entry: HistoryEntry) -> HistoryEntry {
        history.append(entry)
        document.version = entry.version
        document.status = Self.derivedStatus(of: history).rawValue
        return entry
    }

    /// The current version, refusing an approved log.
    private func openVersion() throws(WorkflowError) -> DocumentVersion {
        let current = try consistentVersion()
        if document.status == DocumentStatus.approved.rawValue { throw .approved(version: document.version) }
        return current
    }

    private func consistentVersion() throws(WorkflowError) -> DocumentVersion {
        guard let version = DocumentVersion(document.version) else {
            throw .inconsistentVersion("'\(document.version)' is not MAJOR.MINOR")
        }
        guard documentMatchesHistory else {
            throw .inconsistentVersion("document.version \(document.version) / status \(document.status) do not match the last history entry (\(history.last?.version ?? "none"))")
        }
        return version
    }

    private static func require(_ value: String, _ name: String) throws(WorkflowError) {
        if value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw .emptyField(name) }
    }
}
