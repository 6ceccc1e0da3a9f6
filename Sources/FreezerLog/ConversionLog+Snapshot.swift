/// The record as it was at a history entry: what entry signatures and versioned signatures cover.
///
/// The workflow only ever appends history entries and updates `document.version` and `document.status`
/// (and the digest and signatures, which the canonical form leaves out). So the record as of entry `k`
/// is exactly the current record with the history cut after `k`, and the document version and status
/// set to what they were then. That lets a signature made at version 0.2 be checked after 1.0 exists:
/// any other edit since then makes the rebuilt record differ, and the signature fail.
extension ConversionLog {
    /// The status a history implies: `approved` when the last entry is an approval, `revision` when an
    /// earlier approval was reopened, else `draft`.
    public static func derivedStatus(of history: [HistoryEntry]) -> DocumentStatus {
        guard let last = history.last else { return .draft }
        if last.isApproval { return .approved }
        return history.contains(where: \.isApproval) ? .revision : .draft
    }

    /// The record as of history entry `index` (entries after it removed, version and status as then).
    public func record(asOfEntry index: Int) -> ConversionLog {
        precondition(history.indices.contains(index), "history entry \(index) does not exist")
        var copy = self
        copy.history = Array(history[...index])
        copy.document.version = history[index].version
        copy.document.status = Self.derivedStatus(of: copy.history).rawValue
        copy.recordDigest = nil
        copy.signatures = []
        return copy
    }

    /// The record as of document version `version`: as of the last entry with that version, or nil
    /// when the history has none.
    public func record(asOfVersion version: String) -> ConversionLog? {
        guard let index = history.lastIndex(where: { $0.version == version }) else { return nil }
        return record(asOfEntry: index)
    }

    /// Whether `document.version` and `document.status` are what the history says they are.
    public var documentMatchesHistory: Bool {
        guard let last = history.last else { return false }
        return document.version == last.version && document.status == Self.derivedStatus(of: history).rawValue
    }
}

extension HistoryEntry {
    /// Approval entries are the ones that record whether they were a self-approval.
    public var isApproval: Bool { selfApproval != nil }
}
