import Crypto
import Foundation

/// Ed25519 key files, as `freezer keygen` writes them.
///
/// Format (both files are ASCII text, one base64 line between a header and a footer):
/// ```
/// -----BEGIN FREEZER ED25519 PRIVATE KEY-----
/// <base64 of the 32-byte raw private key (RFC 8032 seed)>
/// -----END FREEZER ED25519 PRIVATE KEY-----
/// ```
/// and the same with `PUBLIC KEY` and the 32-byte raw public key for `NAME.pub`. A public key may also
/// be given as the bare base64 line alone (as the log's `publicKey` fields hold it).
public enum KeyFiles {
    public static let privateHeader = "-----BEGIN FREEZER ED25519 PRIVATE KEY-----"
    public static let privateFooter = "-----END FREEZER ED25519 PRIVATE KEY-----"
    public static let publicHeader = "-----BEGIN FREEZER ED25519 PUBLIC KEY-----"
    public static let publicFooter = "-----END FREEZER ED25519 PUBLIC KEY-----"

    /// The text of a private key file.
    public static func privateKeyText(_ key: Curve25519.Signing.PrivateKey) -> String {
        "\(privateHeader)\n\(key.rawRepresentation.base64EncodedString())\n\(privateFooter)\n"
    }

    /// The text of a public key file.
    public static func publicKeyText(_ key: Curve25519.Signing.PublicKey) -> String {
        "\(publicHeader)\n\(key.rawRepresentation.base64EncodedString())\n\(publicFooter)\n"
    }

    /// SHA-256 (hex) of the raw public key: the fingerprint the log and `verify` name keys by.
    public static func fingerprint(_ key: Curve25519.Signing.PublicKey) -> String {
        RecordDigest.sha256(key.rawRepresentation)
    }

    /// Reads a private key file.
    public static func readPrivateKey(_ path: String) throws(KeyFileError) -> Curve25519.Signing.PrivateKey {
        let text = try read(path)
        if text.contains(publicHeader) {
            throw .notAKey(path: path, expected: "private key", problem: "it is a public key; signing needs the private key file (NAME, not NAME.pub)")
        }
        let raw = try body(text, header: privateHeader, footer: privateFooter, path: path, expected: "private key")
        do { return try Curve25519.Signing.PrivateKey(rawRepresentation: raw) } catch {
            throw .notAKey(path: path, expected: "private key", problem: "the key bytes are not an Ed25519 private key")
        }
    }

    /// Reads a public key file (or a bare base64 public key line).
    public static func readPublicKey(_ path: String) throws(KeyFileError) -> Curve25519.Signing.PublicKey {
        let text = try read(path)
        if text.contains(privateHeader) {
            throw .notAKey(path: path, expected: "public key", problem: "it is a PRIVATE key; give NAME.pub, and keep the private key secret")
        }
        let raw: Data
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if lines.count == 1, !lines[0].hasPrefix("-----"), let bare = Data(base64Encoded: lines[0]) {
            raw = bare
        } else {
            raw = try body(text, header: publicHeader, footer: publicFooter, path: path, expected: "public key")
        }
        return try publicKey(raw: raw, path: path)
    }

    /// A public key from its raw bytes (as in a log's `publicKey`), naming `source` in errors.
    public static func publicKey(raw: Data, path source: String) throws(KeyFileError) -> Curve25519.Signing.PublicKey {
        guard raw.count == 32 else {
            throw .notAKey(path: source, expected: "public key", problem: "the key has \(raw.count) bytes; an Ed25519 public key has 32")
        }
        do { return try Curve25519.Signing.PublicKey(rawRepresentation: raw) } catch {
            throw .notAKey(path: source, expected: "public key", problem: "the key bytes are not an Ed25519 public key")
        }
    }

    private static func read(_ path: String) throws(KeyFileError) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .notFound(path: path) }
        if isDirectory.boolValue { throw .unreadable(path: path, reason: "it is a directory") }
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path: path, reason: "permission denied or I/O error") }
        // Key files are a few hundred bytes; anything large is some other file given by mistake.
        guard data.count <= 4096, let text = String(data: data, encoding: .utf8) else {
            throw .notAKey(path: path, expected: "key", problem: data.count > 4096 ? "the file has \(data.count) bytes; a key file has about 100" : "the file is not text")
        }
        return text
    }

    private static func body(_ text: String, header: String, footer: String, path: String, expected: String) throws(KeyFileError) -> Data {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard lines.count == 3, lines[0] == header, lines[2] == footer else {
            throw .notAKey(path: path, expected: expected, problem: "expected the line '\(header)', one base64 line, and '\(footer)'")
        }
        guard let raw = Data(base64Encoded: lines[1]) else {
            throw .notAKey(path: path, expected: expected, problem: "the line between header and footer is not base64")
        }
        guard raw.count == 32 else {
            throw .notAKey(path: path, expected: expected, problem: "the key has \(raw.count) bytes; an Ed25519 key has 32")
        }
        return raw
    }
}
