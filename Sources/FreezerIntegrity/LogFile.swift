import Foundation
import FreezerLog
import FreezerONNX

/// Reading and atomically rewriting log files.
public enum LogFile {
    /// A log as read: its bytes and the decoded record.
    public struct Loaded: Sendable {
        public var path: String
        public var bytes: Data
        public var log: ConversionLog
    }

    /// Reads and decodes a log (schema first); does not check the digest.
    public static func read(_ path: String) throws(LogFileError) -> Loaded {
        let bytes = try readBytes(path)
        do { return Loaded(path: path, bytes: bytes, log: try ConversionLog.decode(bytes)) } catch {
            throw .invalid(path: path, error)
        }
    }

    /// Reads a log and checks that the record still hashes to its `recordDigest` and that every
    /// signature in it verifies: what every command that modifies or signs a log requires, so none
    /// builds on a record (or carries forward a signature) that was changed behind its back.
    public static func readChecked(_ path: String) throws(LogFileError) -> Loaded {
        let loaded = try read(path)
        try checkDigest(loaded.log, path: path)
        let log = loaded.log
        var all: [(Signature, Int?, String)] = log.signatures.map { ($0, nil, "signature by \($0.signer)") }
        for (k, entry) in log.history.enumerated() {
            if let s = entry.signature { all.append((s, k, "signature of history entry \(entry.version) by \(s.signer)")) }
        }
        for (signature, index, name) in all {
            let outcome = LogSigning.verify(signature, in: log, entryIndex: index)
            if outcome != .valid { throw .invalidSignature(path: path, signature: name, problem: "\(outcome)") }
        }
        return loaded
    }

    /// Throws unless the record hashes to its `recordDigest`.
    public static func checkDigest(_ log: ConversionLog, path: String) throws(LogFileError) {
        guard let recorded = log.recordDigest else { throw .missingRecordDigest(path: path) }
        let actual: String
        do { actual = try RecordDigest.of(log) } catch { throw .unreadable(path: path, reason: "cannot encode the record: \(error)") }
        if actual != recorded { throw .recordDigestMismatch(path: path, recorded: recorded, actual: actual) }
    }

    /// Recomputes `recordDigest` and writes the log atomically (the old file stays intact on any failure).
    public static func write(_ log: inout ConversionLog, to path: String) throws(LogFileError) {
        do {
            log.recordDigest = try RecordDigest.of(log)
            try FileWriter.write(Array(try log.encoded()), to: path)
        } catch {
            throw .cannotWrite(path: path, reason: "\(error)")
        }
    }

    static func readBytes(_ path: String) throws(LogFileError) -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .notFound(path: path) }
        if isDirectory.boolValue { throw .unreadable(path: path, reason: "it is a directory") }
        guard let bytes = FileManager.default.contents(atPath: path) else { throw .unreadable(path: path, reason: "permission denied or I/O error") }
        return bytes
    }
}
