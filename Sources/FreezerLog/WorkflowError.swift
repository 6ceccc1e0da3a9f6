/// Why a review, approval, new version or signature was refused. Nothing is written in any of these cases.
public enum WorkflowError: Error, Equatable, CustomStringConvertible {
    /// The log is approved; it changes only through a new version.
    case approved(version: String)
    /// Only an approved log can be reopened.
    case notApproved(version: String, status: String)
    /// The approver is the responsible person and self-approval was not allowed.
    case selfApproval(person: String)
    /// `document.version` is not `MAJOR.MINOR`, or disagrees with the history.
    case inconsistentVersion(String)
    /// A required text (name, description) is empty.
    case emptyField(String)

    public var description: String {
        switch self {
        case let .approved(version):
            "the log is approved (version \(version)) and cannot be modified. Start a new version first: freezer log new-version LOG --by NAME --description TEXT (it becomes \(DocumentVersion(version)?.nextMinor.description ?? "the next minor version"))"
        case let .notApproved(version, status):
            "the log is at version \(version) (\(status)), not approved: only an approved log needs a new version. Add reviews with freezer log review, or approve it"
        case let .selfApproval(person):
            "'\(person)' is the responsible person of this conversion and cannot approve their own log. Ask another person to approve, or pass --allow-self-approval (the history then records the self-approval)"
        case let .inconsistentVersion(why):
            "the log's document version is inconsistent: \(why)"
        case let .emptyField(name):
            "\(name) must not be empty: the history names who changed what"
        }
    }
}
