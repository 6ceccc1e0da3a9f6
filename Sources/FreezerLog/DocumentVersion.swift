/// The version of the log document itself, `MAJOR.MINOR` as in the template's history table (`0.1`, `0.2`, `1.0`).
///
/// Drafts count minors up from `0.1`; approval makes the next major (`1.0`, `2.0`); reopening an
/// approved version starts the next minor series (`1.1`, `1.2`, … until approval makes `2.0`).
public struct DocumentVersion: Sendable, Equatable, Comparable, CustomStringConvertible {
    public var major: Int
    public var minor: Int

    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// Parses `M.m` (a leading `V`, as the template prints it, is accepted); nil for anything else.
    public init?(_ text: String) {
        let trimmed = text.hasPrefix("V") || text.hasPrefix("v") ? String(text.dropFirst()) : text
        let parts = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let major = Int(parts[0]), let minor = Int(parts[1]), major >= 0, minor >= 0,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) }) else { return nil }
        self.init(major: major, minor: minor)
    }

    /// The next minor version (a review or a reopening).
    public var nextMinor: DocumentVersion { DocumentVersion(major: major, minor: minor + 1) }
    /// The next major version (an approval).
    public var nextMajor: DocumentVersion { DocumentVersion(major: major + 1, minor: 0) }

    public var description: String { "\(major).\(minor)" }

    public static func < (a: DocumentVersion, b: DocumentVersion) -> Bool { (a.major, a.minor) < (b.major, b.minor) }
}

/// The state of the log document, kept in `document.status` and always derived from the history (see
/// `ConversionLog.derivedStatus(of:)`), so a record as of any past entry can be rebuilt exactly.
public enum DocumentStatus: String, Sendable, CaseIterable {
    /// Not yet approved: `0.x` after convert and reviews.
    case draft
    /// The last history entry is an approval (`1.0`, `2.0`, …); the record is closed to changes.
    case approved
    /// An approved log reopened by `new-version` (`1.1`, `1.2`, …); the next approval closes it again.
    case revision
}
