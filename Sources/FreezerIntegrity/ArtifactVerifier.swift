import Crypto
import Foundation
import FreezerLog
import FreezerONNX

/// `freezer verify`: checks a frozen model, its data files, its log (and optionally the original model)
/// against each other, and every signature in the log.
///
/// Only the log's digests and signatures are trusted, never its parsing alone (DESIGN.md, trust
/// boundaries). Every check is run and reported, so one report names everything that changed.
public enum ArtifactVerifier {
    /// What `verify` guarantees, as a requirement of `freezer qualify`'s specification.
    public static let requirement = (
        id: "LOG-INTEGRITY",
        statement: "`verify` passes an unchanged frozen model and log and fails (exit 6), naming the artifact and both digests, when any byte of the frozen model changed, any field of the log's record changed (recordDigest), or a signature does not verify with its public key.")

    /// The failures `freezer verify` ends with (exit 6), as refusal rules of `freezer qualify`'s specification.
    public static let refusalRules: [(id: String, statement: String, exitCode: Int32)] = [
        ("REF-VERIFY-TAMPERED", "`freezer verify` of a log changed after it was written fails the record digest check, prints the checklist naming recordDigest with both digests, and exits 6.", 6),
        ("REF-VERIFY-UNTRUSTED-KEY", "`freezer verify --public-key KEY` of a log signed only by another key fails, naming the key that no valid signature comes from, and exits 6.", 6),
    ]

    public struct Request: Sendable {
        public var frozenModel: String
        public var log: String
        /// Trusted public keys (`--public-key`), with the file each came from.
        public var trustedKeys: [(path: String, key: Curve25519.Signing.PublicKey)]
        public var originalModel: String?

        public init(frozenModel: String, log: String, trustedKeys: [(path: String, key: Curve25519.Signing.PublicKey)] = [], originalModel: String? = nil) {
            self.frozenModel = frozenModel
            self.log = log
            self.trustedKeys = trustedKeys
            self.originalModel = originalModel
        }
    }

    /// Runs every check. Throws only when the log or the frozen model does not exist or cannot be read
    /// at all; everything else becomes a check in the report. Returns the decoded log when it parsed.
    public static func verify(_ request: Request) throws -> (IntegrityReport, ConversionLog?) {
        var report = IntegrityReport(frozenModel: request.frozenModel, log: request.log)
        let bytes = try LogFile.readBytes(request.log)
        try requireFile(request.frozenModel)
        if let original = request.originalModel { try requireFile(original) }

        let log: ConversionLog
        do { log = try ConversionLog.decode(bytes) } catch {
            report.add("log", request.log, .failed, "cannot be read as a conversion log: \(error) — the log was modified, damaged, or is not a freezer log")
            return (report, nil)
        }
        report.conversionID = log.modelConversion.modelConversionID
        report.documentVersion = log.document.version
        report.add("log", request.log, .passed, "schema \(log.schema) version \(log.schemaVersion) (supported)")
        checkRecord(log, bytes: bytes, path: request.log, into: &report)
        checkFrozenModel(log, path: request.frozenModel, into: &report)
        if let original = request.originalModel { checkOriginal(log, path: original, into: &report) }
        checkSignatures(log, trusted: request.trustedKeys, into: &report)
        return (report, log)
    }

    // MARK: The log

    static func checkRecord(_ log: ConversionLog, bytes: Data, path: String, into report: inout IntegrityReport) {
        if let recorded = log.recordDigest {
            let actual = (try? RecordDigest.of(log)) ?? "unencodable"
            if actual == recorded {
                report.add("recordDigest", path, .passed, "the record hashes to its recordDigest", expected: recorded, actual: actual)
            } else {
                report.add("recordDigest", path, .failed, "record digest mismatch: the log was modified after it was written",
                           expected: recorded, actual: actual)
            }
        } else {
            report.add("recordDigest", path, .failed, "the log has no recordDigest: it was not written by freezer or was edited")
        }
        // The digest covers what decodes; unknown fields and formatting do not decode. freezer writes
        // logs byte-for-byte deterministically, so any other byte change shows here.
        if let encoded = try? log.encoded(), encoded != bytes {
            let offset = zip(encoded, bytes).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(encoded.count, bytes.count)
            let line = bytes.prefix(offset).filter { $0 == UInt8(ascii: "\n") }.count + 1
            report.add("log", path, .failed, "the file is not byte-for-byte as freezer writes this record (first difference at byte \(offset), line \(line)): it was edited, reformatted, or holds fields freezer does not know")
        }
        if log.documentMatchesHistory {
            report.add("history", "document version \(log.document.version)", .passed,
                       "\(log.history.count) history entr\(log.history.count == 1 ? "y" : "ies"); status \(log.document.status)")
        } else {
            report.add("history", "document version \(log.document.version)", .failed,
                       "document.version/status (\(log.document.version), \(log.document.status)) do not match the last history entry (\(log.history.last?.version ?? "none"))")
        }
    }

    // MARK: Model files

    static func checkFrozenModel(_ log: ConversionLog, path: String, into report: inout IntegrityReport) {
        let file = log.frozenModel.file
        checkFile(kind: "frozenModel", path: path, expected: file.sha256, size: file.size, label: "frozen model", into: &report)
        for data in file.dataFiles {
            checkDataFile(kind: "dataFile", model: path, data, label: "external data file of the frozen model", into: &report)
        }
        checkMetadata(log, path: path, into: &report)
    }

    static func checkOriginal(_ log: ConversionLog, path: String, into report: inout IntegrityReport) {
        let file = log.modelConversion.verifiedLearningModel
        checkFile(kind: "originalModel", path: path, expected: file.sha256, size: file.size, label: "verified learning model", into: &report)
        for data in file.dataFiles {
            checkDataFile(kind: "originalDataFile", model: path, data, label: "external data file of the verified learning model", into: &report)
        }
    }

    static func checkFile(kind: String, path: String, expected: String, size: Int, label: String, into report: inout IntegrityReport) {
        do {
            let digest = try FileDigest.sha256(ofFile: path)
            if digest.sha256 == expected.lowercased() {
                report.add(kind, path, .passed, "\(label): SHA-256 and size (\(digest.size) bytes) match the log", expected: expected, actual: digest.sha256)
            } else {
                report.add(kind, path, .failed, "\(label) '\(path)' changed: SHA-256 differs from the log" + (digest.size == size ? "" : " (size \(digest.size) bytes, the log says \(size))"),
                           expected: expected, actual: digest.sha256)
            }
        } catch {
            report.add(kind, path, .failed, "\(label) '\(path)' cannot be read: \(error.reason)", expected: expected)
        }
    }

    static func checkDataFile(kind: String, model: String, _ data: DataFileInfo, label: String, into report: inout IntegrityReport) {
        // Locations come from the (untrusted) log: only plain relative paths below the model's directory.
        let parts = data.location.split(separator: "/")
        guard !data.location.hasPrefix("/"), !parts.contains(".."), !data.location.isEmpty else {
            report.add(kind, data.location, .failed, "\(label): location '\(data.location)' is not a relative path inside the model's directory", expected: data.sha256)
            return
        }
        let path = Paths.directory(of: model) + "/" + data.location
        guard FileManager.default.fileExists(atPath: path) else {
            report.add(kind, path, .failed, "\(label) '\(path)' listed in the log is missing", expected: data.sha256)
            return
        }
        checkFile(kind: kind, path: path, expected: data.sha256, size: data.size, label: label, into: &report)
    }

    /// The frozen model names its conversion in `metadata_props`; it must name this log's conversion.
    static func checkMetadata(_ log: ConversionLog, path: String, into report: inout IntegrityReport) {
        let props: [String: String]
        do {
            let model = try ModelLoader.load(path: path, options: .init(computeDigests: false)).model
            props = Dictionary(model.metadataProps.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        } catch {
            report.add("metadata", path, .failed, "the frozen model cannot be read to check its metadata_props: \(error)")
            return
        }
        var expected = log.frozenModel.metadata
        expected["freezer.conversion_id"] = log.modelConversion.modelConversionID
        expected["freezer.verified_learning_model_sha256"] = log.modelConversion.verifiedLearningModel.sha256
        for key in expected.keys.sorted() {
            let want = expected[key]!
            if let have = props[key], have == want {
                report.add("metadata", key, .passed, "metadata_props '\(key)' matches the log", expected: want, actual: have)
            } else if log.frozenModel.metadata[key] != nil, log.frozenModel.metadata[key] != want {
                report.add("metadata", key, .failed, "the log contradicts itself: frozenModel.metadata '\(key)' is '\(log.frozenModel.metadata[key]!)'", expected: want, actual: props[key])
            } else {
                report.add("metadata", key, .failed, props[key] == nil ? "the frozen model has no metadata_props '\(key)'" : "metadata_props '\(key)' of the frozen model differs from the log: this model is not the one the log describes",
                           expected: want, actual: props[key])
            }
        }
    }

    // MARK: Signatures

    static func checkSignatures(_ log: ConversionLog, trusted: [(path: String, key: Curve25519.Signing.PublicKey)], into report: inout IntegrityReport) {
        let trustedPrints = Dictionary(trusted.map { (KeyFiles.fingerprint($0.key), $0.path) }, uniquingKeysWith: { a, _ in a })
        var coversCurrentByTrusted = false
        var all: [(Signature, Int?, String)] = log.signatures.map { ($0, nil, "in signatures") }
        for (k, entry) in log.history.enumerated() {
            if let s = entry.signature { all.append((s, k, "on history entry \(entry.version)")) }
        }
        for (signature, entryIndex, what) in all {
            let subject = "\(what), by \(signature.signer) (key \(signature.keyFingerprint.prefix(16)))"
            let version = entryIndex.map { log.history[$0].version } ?? signature.documentVersion ?? log.document.version
            switch LogSigning.verify(signature, in: log, entryIndex: entryIndex) {
            case .valid:
                report.add("signature", subject, .passed, "valid Ed25519 signature over the record as of version \(version)")
                if trustedPrints[signature.keyFingerprint] != nil && version == log.document.version { coversCurrentByTrusted = true }
            case let .recordChanged(expected, actual):
                report.add("signature", subject, .failed, "invalid: the record as of version \(version) changed since it was signed",
                           expected: expected, actual: actual)
            case .badSignature:
                report.add("signature", subject, .failed, "invalid: the signature does not verify with its public key (the signature was altered)")
            case let .malformed(why):
                report.add("signature", subject, .failed, "invalid: \(why)")
            }
            if !trusted.isEmpty {
                if let path = trustedPrints[signature.keyFingerprint] {
                    report.add("trustedKey", subject, .passed, "signed with the trusted key \(path)")
                } else {
                    report.add("trustedKey", subject, .failed, "signed by another key (fingerprint \(signature.keyFingerprint)), not one of the --public-key keys",
                               actual: signature.keyFingerprint)
                }
            }
        }
        if trusted.isEmpty {
            report.add("trustedKey", "signers", .warning,
                       all.isEmpty ? "the log is not signed" : "no --public-key given: signatures were checked against the keys they carry, so they show the record is unchanged since signing, not who signed it")
        } else if !coversCurrentByTrusted {
            report.add("trustedKey", "current record (version \(log.document.version))", .failed,
                       "no valid signature by a --public-key key covers the current record (sign it with freezer log sign, or sign the last history entry with --key)",
                       expected: trusted.map { KeyFiles.fingerprint($0.key) }.joined(separator: ", "))
        } else {
            report.add("trustedKey", "current record (version \(log.document.version))", .passed, "signed by a trusted key")
        }
    }

    static func requireFile(_ path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw VerifyInputError.notFound(path: path) }
        if isDirectory.boolValue { throw VerifyInputError.notAFile(path: path) }
    }
}

/// A file `verify` was given does not exist.
public enum VerifyInputError: Error, Equatable, CustomStringConvertible {
    /// The refusal rule of `verify` for what it was given, as a requirement of `freezer qualify`'s specification.
    public static let refusalRules: [(id: String, statement: String, exitCode: Int32)] = [
        ("REF-VERIFY-MISSING", "`verify` given a frozen model or log that does not exist fails with a message that names the path; exit 66; nothing is written.", 66),
    ]

    case notFound(path: String)
    case notAFile(path: String)
    public var description: String {
        switch self {
        case let .notFound(path): "'\(path)' does not exist"
        case let .notAFile(path): "'\(path)' is a directory, not a file"
        }
    }
}
