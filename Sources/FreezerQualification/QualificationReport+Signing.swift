import Crypto
import Foundation
import FreezerIntegrity
import FreezerLog

/// The report's integrity, as a log's: `recordDigest` is the SHA-256 of the canonical record, and each
/// Ed25519 signature signs those canonical bytes (the same `Signature` values and key files as logs).
extension QualificationReport {
    /// Sets `recordDigest` and, with `key`, appends a signature over the record.
    public mutating func seal(key: Curve25519.Signing.PrivateKey?, signer: String?) throws {
        let message = try canonicalRecord()
        recordDigest = RecordDigest.sha256(message)
        guard let key else { return }
        let signature = try key.signature(for: message)
        signatures.append(Signature(signer: signer ?? "key \(KeyFiles.fingerprint(key.publicKey).prefix(16))",
                                    publicKey: key.publicKey.rawRepresentation.base64EncodedString(),
                                    keyFingerprint: KeyFiles.fingerprint(key.publicKey), recordDigest: recordDigest ?? "",
                                    signature: Data(signature).base64EncodedString(), date: date))
    }

    /// What checking the report found: the record digest, then each signature (trusted when its key
    /// is one of `trusted`). Empty `failures` means the report is as freezer wrote and signed it.
    public func integrityFailures(trusted: [Curve25519.Signing.PublicKey] = []) -> (checked: [String], failures: [String]) {
        var checked: [String] = [], failures: [String] = []
        guard let message = try? canonicalRecord() else { return ([], ["the record cannot be encoded"]) }
        let digest = RecordDigest.sha256(message)
        if recordDigest == digest { checked.append("recordDigest \(digest)") } else {
            failures.append("record digest mismatch: recorded \(recordDigest ?? "none"), actual \(digest): the report was modified after it was written")
        }
        for s in signatures {
            guard let raw = Data(base64Encoded: s.publicKey), let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw),
                  let bytes = Data(base64Encoded: s.signature) else {
                failures.append("signature by \(s.signer): malformed key or signature")
                continue
            }
            if !key.isValidSignature(bytes, for: message) {
                failures.append("signature by \(s.signer) (key \(s.keyFingerprint.prefix(16))) does not verify")
            } else if !trusted.isEmpty && !trusted.contains(where: { $0.rawRepresentation == key.rawRepresentation }) {
                failures.append("signature by \(s.signer) verifies, but its key \(s.keyFingerprint.prefix(16)) is not among the trusted keys")
            } else {
                checked.append("signature by \(s.signer) (key \(s.keyFingerprint.prefix(16)))")
            }
        }
        if !trusted.isEmpty && signatures.isEmpty { failures.append("the report is not signed, but trusted keys were given") }
        return (checked, failures)
    }
}
