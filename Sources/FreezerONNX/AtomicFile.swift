#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file so that readers see either the old content or the complete new content, never a
/// partial file: a `PreparedFile` in the same directory, fsync, rename over the target, fsync the
/// directory. On any failure the target is untouched and no temporary is left; after `kill -9` at any
/// moment no temporary outlives the next write into the directory (see `PreparedFile`).
enum AtomicFile {
    static func write(to path: String, mode: mode_t = 0o644, temporary: PreparedFile.Kind = .unnamedWhereSupported,
                      _ body: (ByteSink) throws -> Void) throws(ModelSaveError) {
        try prepare(to: path, mode: mode, temporary: temporary, body).commit()
    }

    /// Writes the complete file and forces it to disk, but leaves it invisible at `path` until committed.
    /// First removes the temporaries that killed processes left in the directory.
    static func prepare(to path: String, mode: mode_t = 0o644, temporary: PreparedFile.Kind = .unnamedWhereSupported,
                        _ body: (ByteSink) throws -> Void) throws(ModelSaveError) -> PreparedFile {
        let directory = Paths.directory(of: path)
        switch MappedFile.statRegularFile(directory) {
        case .failure(.isDirectory): break
        case .failure(.notFound), .success, .failure(.notRegular):
            throw .missingDirectory(directory)
        case .failure(.unreadable(let why)): throw .cannotWrite(path: path, reason: why)
        }
        StaleTemporaries.sweep(directory: directory)
        let file = try PreparedFile(path: path, mode: mode, kind: temporary)
        do {
            let sink = ByteSink(fd: file.fd, path: path)
            try body(sink)
            try sink.flush()
        } catch let error as SinkError {
            throw .cannotWrite(path: path, reason: error.reason)
        } catch let error as ModelSaveError {
            throw error
        } catch {
            throw .cannotWrite(path: path, reason: "\(error)")
        }
        try file.sync()
        return file
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
