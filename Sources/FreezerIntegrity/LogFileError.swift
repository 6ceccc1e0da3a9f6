import FreezerLog

/// Why a log file cannot be used. Each names the file; nothing is written in any of these cases.
public enum LogFileError: Error, Equatable, CustomStringConvertible {
    /// The refusal rules of the commands that modify or sign a log (`log review`, `approve`, `new-version`,
    /// `sign`), as requirements of `freezer qualify`'s specification.
    public static let refusalRules: [(id: String, statement: String, exitCode: Int32)] = [
        ("REF-LOG-TAMPERED", "A log whose record no longer hashes to its recordDigest (changed after it was written) is refused by the commands that modify or sign it, with a message that names the log and both digests; exit 6; the log file is unchanged.", 6),
        ("REF-LOG-SIGNATURE", "A log holding a signature that does not verify against the record it covers is refused by the commands that modify or sign it, with a message that names the signature; exit 6; the log file is unchanged.", 6),
    ]

    case notFound(path: String)
    case unreadable(path: String, reason: String)
    /// Not JSON, not a log, an unsupported schema version, or a missing field.
    case invalid(path: String, ConversionLog.ReadError)
    /// The log has no `recordDigest`, so nothing can show it is unchanged.
    case missingRecordDigest(path: String)
    /// The record does not hash to its `recordDigest`.
    case recordDigestMismatch(path: String, recorded: String, actual: String)
    /// A signature in the log does not verify against the record it covers.
    case invalidSignature(path: String, signature: String, problem: String)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case let .notFound(path): "log '\(path)' does not exist"
        case let .unreadable(path, reason): "cannot read log '\(path)': \(reason)"
        case let .invalid(path, error): "'\(path)' cannot be used as a conversion log: \(error)"
        case let .missingRecordDigest(path): "log '\(path)' has no recordDigest, so it cannot be shown to be unchanged; it was not written by freezer convert or was edited"
        case let .recordDigestMismatch(path, recorded, actual):
            "log '\(path)': record digest mismatch: the log was modified after it was written (recordDigest \(recorded), the record hashes to \(actual)). Nothing was changed; restore the log from its original"
        case let .invalidSignature(path, signature, problem):
            "log '\(path)': the \(signature) is invalid (\(problem)): the log was modified after it was signed. Nothing was changed; run freezer verify for the details"
        case let .cannotWrite(path, reason): "cannot write log '\(path)': \(reason)"
        }
    }
}
