#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file being written in its target's directory, invisible at the target until `commit`.
///
/// Where Linux allows it, the file has no name while it is written (O_TMPFILE), so a process killed
/// meanwhile leaves nothing behind. Elsewhere, and for the instant between linking the unnamed file into
/// the directory and renaming it over the target, it has a `TemporaryName`, which a later write into the
/// directory removes once this process is gone. Dropped without `commit`, it leaves no trace.
final class PreparedFile {
    enum Kind: Sendable {
        /// Unnamed where the kernel, the file system and /proc allow it, named otherwise.
        case unnamedWhereSupported
        /// Always named: the fallback, forced only by tests.
        case named
    }

    let path: String
    let fd: Int32
    /// The temporary's path while it has a name.
    private var temporary: String?
    private(set) var isCommitted = false

    /// Creates the empty file with `mode` (less the umask, as `open` does), open for writing, and for
    /// reading as well when `readable` (a file that is mapped while it is written).
    init(path: String, mode: mode_t, kind: Kind, readable: Bool = false) throws(ModelSaveError) {
        self.path = path
        let access = readable ? O_RDWR : O_WRONLY
        if kind == .unnamedWhereSupported, let fd = try Self.openUnnamed(in: Paths.directory(of: path), mode: mode, path: path, access: access) {
            self.fd = fd
        } else {
            let created = try TemporaryName.claim(beside: path) { open($0, access | O_CREAT | O_EXCL | O_CLOEXEC, mode) }
            (fd, temporary) = (created.result, created.path)
        }
    }

    deinit {
        guard !isCommitted else { return }
        close(fd)
        if let temporary { unlink(temporary) }
    }

    /// Forces the content to disk, so that a committed file is never one whose data a crash can lose.
    func sync() throws(ModelSaveError) {
        guard fsync(fd) == 0 else { throw .cannotWrite(path: path, reason: "fsync failed: \(MappedFile.errnoText())") }
    }

    /// Puts the file at its path, replacing what was there in one step, and makes that durable.
    func commit() throws(ModelSaveError) {
        if temporary == nil {
            // linkat cannot replace a file: link to a fresh name, then rename that over the target.
            temporary = try TemporaryName.claim(beside: path) {
                linkat(AT_FDCWD, "/proc/self/fd/\(fd)", AT_FDCWD, $0, AT_SYMLINK_FOLLOW)
            }.path
        }
        guard rename(temporary!, path) == 0 else { throw .cannotWrite(path: path, reason: MappedFile.errnoText()) }
        temporary = nil
        isCommitted = true
        close(fd)
        Self.syncDirectory(of: path)
    }

    /// Makes renames and removals in the directory of `path` durable.
    static func syncDirectory(of path: String) {
        let dfd = open(Paths.directory(of: path), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 { _ = fsync(dfd); close(dfd) }
    }

    /// An unnamed file in `directory`, or nil where that is not supported (then a named one is used).
    private static func openUnnamed(in directory: String, mode: mode_t, path: String, access flags: Int32) throws(ModelSaveError) -> Int32? {
        #if os(Linux) && (arch(x86_64) || arch(arm64))
        // Committing links the file through /proc/self/fd; without /proc an unnamed file could not be committed.
        guard access("/proc/self/fd", X_OK) == 0 else { return nil }
        let oTmpFile: Int32 = 0o20000000 | O_DIRECTORY  // <fcntl.h> defines O_TMPFILE only for _GNU_SOURCE
        let fd = open(directory, oTmpFile | flags | O_CLOEXEC, mode)
        if fd >= 0 { return fd }
        // File systems without O_TMPFILE refuse it in one of these ways; older kernels see O_DIRECTORY.
        if [EOPNOTSUPP, EISDIR, EINVAL].contains(errno) { return nil }
        throw .cannotWrite(path: path, reason: MappedFile.errnoText())
        #else
        return nil
        #endif
    }
}
