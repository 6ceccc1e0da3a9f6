import Crypto
import FreezerIR
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SHA-256 of a file, streamed through a fixed buffer with read(2): hashing a 10 GB data file needs
/// 4 MiB of memory, and swift-crypto uses the CPU's SHA extensions where present.
public enum FileDigest {
    public struct Result: Sendable, Equatable, Codable {
        public var sha256: String
        public var size: Int
    }

    /// `progress` receives the bytes hashed so far after each chunk.
    public static func sha256(ofFile path: String, progress: ((Int) -> Void)? = nil) throws(FileDigestError) -> Result {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileDigestError(path: path, reason: MappedFile.errnoText()) }
        defer { close(fd) }
        #if os(Linux)
        _ = posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_SEQUENTIAL))
        #endif
        var hasher = SHA256()
        let chunk = 4 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 4096)
        defer { buffer.deallocate() }
        var total = 0
        while true {
            let n = read(fd, buffer, chunk)
            if n < 0 {
                if errno == EINTR { continue }
                throw FileDigestError(path: path, reason: MappedFile.errnoText())
            }
            if n == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(start: buffer, count: n))
            total += n
            progress?(total)
        }
        return Result(sha256: hex(hasher.finalize()), size: total)
    }

    public static func sha256(of bytes: UnsafeRawBufferPointer) -> String {
        hex(SHA256.hash(data: bytes))
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        for b in digest { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }
}

public struct FileDigestError: Error, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "cannot read '\(path)' to compute its SHA-256: \(reason)" }
}
