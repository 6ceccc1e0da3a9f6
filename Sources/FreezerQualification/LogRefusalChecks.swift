import Crypto
import Foundation
import FreezerIntegrity
import FreezerLog

/// Qualification tests of the refusal rules of the log commands (review, approve, new version, sign):
/// each on a log written by a conversion here, each must end with the rule's exit code (through the CLI's
/// own mapping) and leave the log file byte for byte.
enum LogRefusalChecks {
    static func all() -> [QualificationCheck] {
        let who = ConversionChecks.responsible
        return [
            check("REF-LOG-TAMPERED", "a review of a log whose responsible was changed by hand") { path in
                try ConversionChecks.editResponsibleByHand(path)
            } refused: { path in _ = try LogWorkflow.review(path: path, by: "Reviewer", description: "late", change: "none", key: nil) },
            check("REF-LOG-SIGNATURE", "a review of a log whose signature was replaced by one over other bytes") { path in
                let key = Curve25519.Signing.PrivateKey()
                _ = try LogWorkflow.sign(path: path, key: key, signer: "QA")
                var log = try LogFile.read(path).log
                log.signatures[0].signature = try key.signature(for: Data("another record".utf8)).base64EncodedString()
                // The canonical record leaves signatures out, so the record digest still holds.
                try LogFile.write(&log, to: path)
            } refused: { path in _ = try LogWorkflow.review(path: path, by: "Reviewer", description: "late", change: "none", key: nil) },
            check("REF-WORKFLOW-APPROVED", "a review of an approved log") { path in
                _ = try LogWorkflow.approve(path: path, by: "Approver", allowSelfApproval: false, key: nil)
            } refused: { path in _ = try LogWorkflow.review(path: path, by: "Reviewer", description: "late", change: "none", key: nil) },
            check("REF-WORKFLOW-SELF-APPROVAL", "approval by the responsible person without --allow-self-approval") { _ in } refused: { path in
                _ = try LogWorkflow.approve(path: path, by: who, allowSelfApproval: false, key: nil)
            },
            check("REF-WORKFLOW-NOT-APPROVED", "a new version of a log that is not approved") { _ in } refused: { path in
                _ = try LogWorkflow.newVersion(path: path, by: "Reviewer", description: "again", key: nil)
            },
            check("REF-WORKFLOW-EMPTY-FIELD", "a review with an empty description") { _ in } refused: { path in
                _ = try LogWorkflow.review(path: path, by: "Reviewer", description: " ", change: "none", key: nil)
            },
            check("REF-SIGN-TWICE", "a second signature of the same record by the same key") { path in
                _ = try LogWorkflow.sign(path: path, key: signingKey, signer: "QA")
            } refused: { path in _ = try LogWorkflow.sign(path: path, key: signingKey, signer: "QA") },
        ]
    }

    /// One key for the test that signs twice.
    static let signingKey = Curve25519.Signing.PrivateKey()

    /// Converts the switch subject, `prepare`s its log, then `refused` must fail with the rule's exit code
    /// and leave the file unchanged.
    static func check(_ id: String, _ input: String, prepare: @escaping @Sendable (String) throws -> Void,
                      refused body: @escaping @Sendable (String) throws -> Void) -> QualificationCheck {
        let code = Specification.refusalExitCodes[id] ?? -1
        return QualificationCheck(id: "QT-\(id)", requirements: [id], expected: "\(input): refused with exit \(code), the log file unchanged") { context in
            let path = try ConversionChecks.convert(context, into: id.lowercased()).logPath
            try prepare(path)
            var message = ""
            try ConversionChecks.refused(context, path: path, exit: code, input) {
                do { try body(path) } catch {
                    message = String(describing: error)
                    throw error
                }
            }
            return "exit \(code): \(CLIRefusalChecks.firstLine(message))"
        }
    }
}
