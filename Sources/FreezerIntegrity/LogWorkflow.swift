import Crypto
import Foundation
import FreezerLog

/// The review workflow on log files: read (digest checked), change, sign if asked, rewrite atomically.
///
/// Every operation refuses a log whose record does not hash to its `recordDigest` and writes nothing
/// on any error. The entry signature made with `key` covers the record as of the new entry — the
/// current record after the change — so it stays verifiable when later entries are added.
public enum LogWorkflow {
    /// What a workflow command did.
    public struct Result: Sendable {
        public var log: ConversionLog
        /// The history entry added (nil for `sign`).
        public var entry: HistoryEntry?
        /// The signature added (to the entry or to `signatures`).
        public var signature: Signature?
    }

    /// `freezer log review`: the next minor version.
    public static func review(path: String, by author: String, description: String, change: String,
                              key: Curve25519.Signing.PrivateKey?, date: Date = Date()) throws -> Result {
        try modify(path: path, signer: author, key: key, date: date) { log, stamp throws(WorkflowError) in
            try log.addReview(by: author, description: description, change: change, date: stamp)
        }
    }

    /// `freezer log approve`: the next major version.
    public static func approve(path: String, by approver: String, allowSelfApproval: Bool,
                               key: Curve25519.Signing.PrivateKey?, date: Date = Date()) throws -> Result {
        try modify(path: path, signer: approver, key: key, date: date) { log, stamp throws(WorkflowError) in
            try log.approve(by: approver, date: stamp, allowSelfApproval: allowSelfApproval)
        }
    }

    /// `freezer log new-version`: reopens an approved log as the next minor version.
    public static func newVersion(path: String, by author: String, description: String,
                                  key: Curve25519.Signing.PrivateKey?, date: Date = Date()) throws -> Result {
        try modify(path: path, signer: author, key: key, date: date) { log, stamp throws(WorkflowError) in
            try log.startNewVersion(by: author, description: description, date: stamp)
        }
    }

    /// `freezer log sign`: appends a signature over the current record. The record is unchanged (the
    /// canonical form leaves signatures out), so approved logs can be signed.
    public static func sign(path: String, key: Curve25519.Signing.PrivateKey, signer: String?, date: Date = Date()) throws -> Result {
        var log = try LogFile.readChecked(path).log
        guard let last = log.history.indices.last else { throw WorkflowError.inconsistentVersion("the history is empty") }
        guard log.documentMatchesHistory else {
            throw WorkflowError.inconsistentVersion("document.version \(log.document.version) / status \(log.document.status) do not match the last history entry")
        }
        let name = signer ?? "key \(KeyFiles.fingerprint(key.publicKey).prefix(16))"
        if name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw WorkflowError.emptyField("--by") }
        let signature = try LogSigning.sign(log, asOfEntry: last, key: key, signer: name, date: stamp(date))
        if log.signatures.contains(where: { $0.keyFingerprint == signature.keyFingerprint && $0.recordDigest == signature.recordDigest }) {
            throw SigningError.alreadySigned(path: path, version: log.document.version, fingerprint: signature.keyFingerprint)
        }
        log.signatures.append(signature)
        try LogFile.write(&log, to: path)
        return Result(log: log, entry: nil, signature: signature)
    }

    /// ISO 8601 UTC, as every date in the log.
    public static func stamp(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }

    private static func modify(path: String, signer: String, key: Curve25519.Signing.PrivateKey?, date: Date,
                               _ change: (inout ConversionLog, String) throws(WorkflowError) -> HistoryEntry) throws -> Result {
        var log = try LogFile.readChecked(path).log
        let stamp = stamp(date)
        var entry = try change(&log, stamp)
        var signature: Signature?
        if let key {
            let index = log.history.count - 1
            signature = try LogSigning.sign(log, asOfEntry: index, key: key, signer: signer, date: stamp)
            log.history[index].signature = signature
            entry = log.history[index]
        }
        try LogFile.write(&log, to: path)
        return Result(log: log, entry: entry, signature: signature)
    }
}

/// A signature that would add nothing.
public enum SigningError: Error, Equatable, CustomStringConvertible {
    /// The refusal rule of `log sign`, as a requirement of `freezer qualify`'s specification.
    public static let refusalRules: [(id: String, statement: String, exitCode: Int32)] = [
        ("REF-SIGN-TWICE", "Signing a record that the same key already signed is refused with a message that names the key; exit 7; the log file is unchanged.", 7),
    ]

    case alreadySigned(path: String, version: String, fingerprint: String)

    public var description: String {
        switch self {
        case let .alreadySigned(path, version, fingerprint):
            "log '\(path)' version \(version) is already signed by key \(fingerprint.prefix(16)); nothing was changed"
        }
    }
}
