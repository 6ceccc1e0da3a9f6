import Crypto
import Foundation
import FreezerLog

/// SHA-256 digests of logs, as lowercase hex.
public enum RecordDigest {
    /// SHA-256 of the log's canonical form: what `recordDigest` holds.
    public static func of(_ log: ConversionLog) throws -> String {
        hex(SHA256.hash(data: try log.canonicalForm()))
    }

    /// SHA-256 of arbitrary bytes, hex.
    public static func sha256(_ data: Data) -> String { hex(SHA256.hash(data: data)) }

    static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }
}
