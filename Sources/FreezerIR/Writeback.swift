#if canImport(Glibc)
import Glibc
#endif

/// Hands a file's written bytes to the disk a slice at a time, without waiting for them (Linux
/// sync_file_range with SYNC_FILE_RANGE_WRITE; nothing elsewhere). A file written this way reaches the
/// disk while it is written, so the fsync before it is committed waits for the last slice only, and its
/// dirty pages do not pile up until the kernel throttles every writer.
public struct Writeback {
    /// Bytes handed to the disk at a time: small enough that the disk starts early and never idles (with
    /// 64 MiB, a 500 MB model's fsync waited 0.25 s for what the disk had not yet been given; with 8 MiB
    /// the whole save took 0.35 s instead of 0.5), large enough that the calls cost nothing.
    public static let slice = 8 << 20

    private let fd: Int32
    /// Where the followed range starts in the file.
    private let origin: Int
    /// Bytes of the range handed to the disk so far.
    private var submitted = 0

    /// Follows the range of `fd` that starts at `origin` (a whole file: 0; a payload: its offset).
    public init(fd: Int32, origin: Int = 0) {
        self.fd = fd
        self.origin = origin
    }

    /// The range's first `end` bytes are written: hands the disk those not yet handed over, once they are
    /// a slice or more.
    public mutating func written(upTo end: Int) {
        guard end - submitted >= Self.slice, let syncFileRange = Self.syncFileRange else { return }
        let write: UInt32 = 2  // SYNC_FILE_RANGE_WRITE
        _ = syncFileRange(fd, origin + submitted, end - submitted, write)
        submitted = end
    }

    /// sync_file_range(2), which Glibc's Swift module leaves out (it needs _GNU_SOURCE).
    private static let syncFileRange = LinuxFunction.lookUp("sync_file_range", as: (@convention(c) (Int32, Int, Int, UInt32) -> Int32).self)
}

/// Writes at a position of a file, all of the bytes.
public enum PositionedWrite {
    /// Writes all of `bytes` at `offset` of `fd` (pwrite, resumed after an interruption or a short
    /// write); nil when done, else why not.
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int) -> String? {
        guard let base = bytes.baseAddress else { return nil }
        var done = 0
        while done < bytes.count {
            let n = pwrite(fd, base + done, bytes.count - done, off_t(offset + done))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return n < 0 ? String(cString: strerror(errno)) : "no progress" }
            done += n
        }
        return nil
    }
}

/// A libc function that Glibc's Swift module leaves out (it needs _GNU_SOURCE), looked up at run time.
enum LinuxFunction {
    /// The function `name` as `type` (a `@convention(c)` function type), or nil where there is none.
    static func lookUp<F>(_ name: String, as type: F.Type) -> F? {
        #if os(Linux)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(symbol, to: type)
        #else
        return nil
        #endif
    }
}
