import Crypto
import Foundation
import FreezerLog

/// Ed25519 signatures over records, and their verification.
///
/// The signed message is the exact bytes of the canonical form (`ConversionLog.canonicalForm()`) of the
/// record as of the signature's `documentVersion` (`ConversionLog.record(asOfVersion:)`), so anyone can
/// check a signature with the log, the public key and any Ed25519 implementation.
public enum LogSigning {
    /// Signs the record as of history entry `entryIndex` (the current record when it is the last entry).
    public static func sign(_ log: ConversionLog, asOfEntry entryIndex: Int, key: Curve25519.Signing.PrivateKey, signer: String,
                            date: String) throws -> Signature {
        let record = log.record(asOfEntry: entryIndex)
        let message = try record.canonicalForm()
        let signature = try key.signature(for: message)
        return Signature(signer: signer, publicKey: key.publicKey.rawRepresentation.base64EncodedString(),
                         keyFingerprint: KeyFiles.fingerprint(key.publicKey), documentVersion: record.document.version,
                         recordDigest: RecordDigest.sha256(message), signature: Data(signature).base64EncodedString(), date: date)
    }

    /// What checking one signature found.
    public enum Outcome: Sendable, Equatable, CustomStringConvertible {
        case valid
        /// The covered record (rebuilt from the current log) no longer matches: the log changed since signing.
        case recordChanged(expectedDigest: String, actualDigest: String)
        /// The signature does not verify with its public key (signature or record bytes altered).
        case badSignature
        /// The signature's fields are malformed (key, fingerprint, version, encoding).
        case malformed(String)

        public var description: String {
            switch self {
            case .valid: "valid"
            case let .recordChanged(expected, actual): "the signed record changed: it had digest \(expected), it now has \(actual)"
            case .badSignature: "the signature does not verify with its public key"
            case let .malformed(why): why
            }
        }
    }

    /// Checks `signature` against the record as of its document version (or as of `entryIndex` for an
    /// entry signature, which covers the record up to and including its own entry).
    public static func verify(_ signature: Signature, in log: ConversionLog, entryIndex: Int? = nil) -> Outcome {
        guard signature.algorithm == "Ed25519" else { return .malformed("algorithm '\(signature.algorithm)' is not Ed25519") }
        guard let raw = Data(base64Encoded: signature.publicKey), raw.count == 32,
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else {
            return .malformed("publicKey is not a base64 Ed25519 public key")
        }
        guard KeyFiles.fingerprint(key) == signature.keyFingerprint else {
            return .malformed("keyFingerprint \(signature.keyFingerprint) is not the SHA-256 of publicKey (\(KeyFiles.fingerprint(key)))")
        }
        guard let bytes = Data(base64Encoded: signature.signature), bytes.count == 64 else {
            return .malformed("signature is not 64 bytes of base64")
        }
        let record: ConversionLog
        if let entryIndex {
            guard log.history.indices.contains(entryIndex) else { return .malformed("history entry \(entryIndex) does not exist") }
            if let v = signature.documentVersion, v != log.history[entryIndex].version {
                return .malformed("entry signature names version \(v), but sits on the entry of version \(log.history[entryIndex].version)")
            }
            record = log.record(asOfEntry: entryIndex)
        } else if let version = signature.documentVersion {
            guard let r = log.record(asOfVersion: version) else { return .malformed("covers document version \(version), which the history does not have") }
            record = r
        } else {
            var current = log
            current.recordDigest = nil
            current.signatures = []
            record = current
        }
        guard let message = try? record.canonicalForm() else { return .malformed("the record cannot be encoded") }
        let digest = RecordDigest.sha256(message)
        guard key.isValidSignature(bytes, for: message) else {
            return digest == signature.recordDigest ? .badSignature : .recordChanged(expectedDigest: signature.recordDigest, actualDigest: digest)
        }
        // A valid signature whose recorded digest disagrees means the digest field alone was edited.
        return digest == signature.recordDigest ? .valid : .malformed("recordDigest \(signature.recordDigest) is not the digest of the signed record (\(digest))")
    }
}
