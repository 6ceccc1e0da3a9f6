#if canImport(Glibc)
import Glibc
#endif

/// Starts the kernel writing a file's range to disk without waiting for it (Linux sync_file_range with
/// SYNC_FILE_RANGE_WRITE; nothing elsewhere). A file written in slices this way reaches the disk while it
/// is written, so the fsync before it is committed waits for the last slice only, and its dirty pages do
/// not pile up until the kernel throttles every writer.
public enum Writeback {
    public static func start(_ fd: Int32, offset: Int, count: Int) {
        guard count > 0, let syncFileRange else { return }
        let write: UInt32 = 2  // SYNC_FILE_RANGE_WRITE
        _ = syncFileRange(fd, offset, count, write)
    }

    /// sync_file_range(2), which Glibc's Swift module leaves out (it needs _GNU_SOURCE).
    private static let syncFileRange: (@convention(c) (Int32, Int, Int, UInt32) -> Int32)? = {
        #if os(Linux)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "sync_file_range") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32, Int, Int, UInt32) -> Int32).self)
        #else
        return nil
        #endif
    }()
}
