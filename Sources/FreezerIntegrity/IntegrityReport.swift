/// One line of `freezer verify`'s checklist.
public struct IntegrityCheck: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        case passed, failed, skipped
        /// Not a failure, but something a reader should know (e.g. signatures checked without trusted keys).
        case warning
    }

    /// What kind of thing was checked: `log`, `recordDigest`, `history`, `frozenModel`, `dataFile`,
    /// `metadata`, `originalModel`, `originalDataFile`, `signature`, `trustedKey`, `equivalence`.
    public var kind: String
    /// The file, field or signer checked.
    public var subject: String
    public var status: Status
    public var detail: String
    public var expected: String?
    public var actual: String?

    public init(kind: String, subject: String, status: Status, detail: String, expected: String? = nil, actual: String? = nil) {
        self.kind = kind
        self.subject = subject
        self.status = status
        self.detail = detail
        self.expected = expected
        self.actual = actual
    }
}

/// The result of `freezer verify`: every check in order, and the overall verdict.
public struct IntegrityReport: Codable, Sendable, Equatable {
    public var frozenModel: String
    public var log: String
    public var conversionID: String?
    public var documentVersion: String?
    public var checks: [IntegrityCheck]

    public init(frozenModel: String, log: String) {
        self.frozenModel = frozenModel
        self.log = log
        checks = []
    }

    /// Integrity holds when no check failed (the equivalence re-run is judged separately).
    public var integrityHolds: Bool { !checks.contains { $0.status == .failed && $0.kind != "equivalence" } }
    /// Whether a re-run equivalence check failed.
    public var equivalenceFailed: Bool { checks.contains { $0.status == .failed && $0.kind == "equivalence" } }
    public var failures: [IntegrityCheck] { checks.filter { $0.status == .failed } }

    public mutating func add(_ kind: String, _ subject: String, _ status: IntegrityCheck.Status, _ detail: String,
                             expected: String? = nil, actual: String? = nil) {
        checks.append(IntegrityCheck(kind: kind, subject: subject, status: status, detail: detail, expected: expected, actual: actual))
    }
}
