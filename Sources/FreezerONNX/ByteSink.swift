import Crypto
import FreezerIR
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A buffered writer to a file descriptor that hashes what it writes, so the digest of an output file
/// needs no second read. Large writes bypass the buffer, and are hashed on another core while they are
/// written (a gigabyte payload costs the slower of the two, not their sum).
final class ByteSink {
    private let digest = Digest()
    private let fd: Int32
    let path: String
    private var buffer: UnsafeMutableRawPointer
    private let capacity = 1 << 20
    private var used = 0
    private(set) var written = 0
    /// Receives the bytes handed to the file so far, after each write(2): a few calls per MiB at most.
    var progress: ((Int) -> Void)?
    private var delivered = 0
    /// The file goes to disk as it is written: a 2.4 GB data file's fsync before commit then waits for
    /// its last slice, not ~1.7 s for all of it.
    private var writeback: Writeback

    init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
        writeback = Writeback(fd: fd)
        buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 64)
    }

    deinit { buffer.deallocate() }

    func write(_ bytes: UnsafeRawBufferPointer) throws(SinkError) {
        guard bytes.count > 0, let base = bytes.baseAddress else { return }
        if used + bytes.count <= capacity {
            digest.hasher.update(bufferPointer: bytes)
            (buffer + used).copyMemory(from: base, byteCount: bytes.count)
            used += bytes.count
        } else {
            try flush()
            if bytes.count >= capacity { try writeHashing(base, bytes.count) }
            else {
                digest.hasher.update(bufferPointer: bytes)
                buffer.copyMemory(from: base, byteCount: bytes.count)
                used = bytes.count
            }
        }
        written += bytes.count
    }

    func write(_ bytes: [UInt8]) throws(SinkError) {
        let copy = bytes
        var failure: SinkError?
        copy.withUnsafeBytes { p in
            do throws(SinkError) { try write(p) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// SHA-256 (hex) of everything written so far.
    var sha256: String { FileDigest.hex(digest.hasher.finalize()) }

    func flush() throws(SinkError) {
        if used > 0 { try writeAll(buffer, used) }
        used = 0
    }

    /// Writes `count` bytes in chunks, each hashed on another thread while it is written; the hash stays
    /// in order because each chunk's hashing ends before the next begins.
    private func writeHashing(_ base: UnsafeRawPointer, _ count: Int) throws(SinkError) {
        let chunk = 1 << 26
        var done = 0
        while done < count {
            let n = min(chunk, count - done)
            let piece = Piece(base: base + done, count: n)
            let hashed = DispatchGroup()
            DispatchQueue.global(qos: .userInitiated).async(group: hashed) { [digest] in
                digest.hasher.update(bufferPointer: UnsafeRawBufferPointer(start: piece.base, count: piece.count))
            }
            defer { hashed.wait() }
            try writeAll(piece.base, n)
            done += n
        }
    }

    private func writeAll(_ base: UnsafeRawPointer, _ count: Int) throws(SinkError) {
        var done = 0
        while done < count {
            // Chunks of at most 64 MiB: Linux write(2) transfers at most ~2 GiB per call, and progress
            // is reported between chunks.
            let n = Glibc.write(fd, base + done, min(count - done, 1 << 26))
            if n < 0 {
                if errno == EINTR { continue }
                throw SinkError(path: path, reason: String(cString: strerror(errno)))
            }
            done += n
            delivered += n
            writeback.written(upTo: delivered)
            progress?(delivered)
        }
    }
}

/// The running hash, shared with the thread that hashes a chunk while it is written (never both at once).
private final class Digest: @unchecked Sendable {
    var hasher = SHA256()
}

/// A chunk of the caller's bytes, alive until its hashing is waited for.
private struct Piece: @unchecked Sendable {
    let base: UnsafeRawPointer
    let count: Int
}

struct SinkError: Error {
    var path: String
    var reason: String
}
