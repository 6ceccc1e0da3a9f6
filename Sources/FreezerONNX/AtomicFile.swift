#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file so that readers see either the old content or the complete new content, never a
/// partial file: a temporary file in the same directory, fsync, rename over the target, fsync the
/// directory. On any failure the temporary file is removed and the target is untouched.
enum AtomicFile {
    static func write(to path: String, mode: mode_t = 0o644, _ body: (ByteSink) throws -> Void) throws(ModelSaveError) {
        let directory = Paths.directory(of: path)
        switch MappedFile.statRegularFile(directory) {
        case .failure(.isDirectory): break
        case .failure(.notFound), .success, .failure(.notRegular):
            throw .missingDirectory(directory)
        case .failure(.unreadable(let why)): throw .cannotWrite(path: path, reason: why)
        }
        let temp = "\(directory)/.\(Paths.fileName(of: path)).freezer-tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .cannotWrite(path: path, reason: MappedFile.errnoText()) }
        var committed = false
        defer {
            if !committed { unlink(temp) }
        }
        do {
            let sink = ByteSink(fd: fd, path: path)
            try body(sink)
            try sink.flush()
        } catch let error as SinkError {
            close(fd)
            throw .cannotWrite(path: path, reason: error.reason)
        } catch let error as ModelSaveError {
            close(fd)
            throw error
        } catch {
            close(fd)
            throw .cannotWrite(path: path, reason: "\(error)")
        }
        guard fsync(fd) == 0 else {
            let why = MappedFile.errnoText()
            close(fd)
            throw .cannotWrite(path: path, reason: "fsync failed: \(why)")
        }
        close(fd)
        guard rename(temp, path) == 0 else { throw .cannotWrite(path: path, reason: MappedFile.errnoText()) }
        committed = true
        let dfd = open(directory, O_RDONLY | O_CLOEXEC)
        if dfd >= 0 { _ = fsync(dfd); close(dfd) }
    }
}

/// Path helpers that do not touch the file system unless they say so.
public enum Paths {
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let dir = String(path[..<slash])
        return dir.isEmpty ? "/" : dir
    }

    public static func fileName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// The canonical absolute path of an existing file (symlinks resolved), or nil if it does not exist.
    public static func canonical(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Canonical path of a file that may not exist yet: its directory resolved, then the name.
    public static func canonicalTarget(_ path: String) -> String? {
        if let existing = canonical(path) { return existing }
        guard let dir = canonical(directory(of: path)) else { return nil }
        return dir == "/" ? "/\(fileName(of: path))" : "\(dir)/\(fileName(of: path))"
    }
}
