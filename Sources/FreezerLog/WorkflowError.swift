/// Why a review, approval, new version or signature was refused. Nothing is written in any of these cases.
public enum WorkflowError: Error, Equatable, CustomStringConvertible {
    /// The refusal rules of the review workflow, as requirements of `freezer qualify`'s specification.
    public static let refusalRules: [(id: String, statement: String, exitCode: Int32)] = [
        ("REF-WORKFLOW-APPROVED", "A review or new approval of an approved log is refused with a message that says to start a new version first; exit 7; the log file is unchanged.", 7),
        ("REF-WORKFLOW-SELF-APPROVAL", "Approval by the responsible person without --allow-self-approval is refused with a message that names the person; exit 7; the log file is unchanged.", 7),
        ("REF-WORKFLOW-NOT-APPROVED", "A new version of a log that is not approved is refused with a message that names its version and status; exit 7; the log file is unchanged.", 7),
        ("REF-WORKFLOW-EMPTY-FIELD", "A review, approval or new version with an empty name or description is refused with a message that names the field; exit 7; the log file is unchanged.", 7),
    ]

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
