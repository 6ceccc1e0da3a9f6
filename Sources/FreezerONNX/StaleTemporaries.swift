#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Removes the temporaries that killed freezer processes left in a directory.
///
/// Only regular files whose name is exactly a `TemporaryName` are considered, and only those whose
/// owning process is certainly gone are removed: a temporary of a running write is never touched.
enum StaleTemporaries {
    /// Best effort: a directory that cannot be read or a file that cannot be removed is left as it is.
    static func sweep(directory: String) {
        let dfd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dfd >= 0 else { return }
        guard let dir = fdopendir(dfd) else { close(dfd); return }
        defer { closedir(dir) }
        var stale: [String] = []
        while let entry = readdir(dir) {
            // A name that is not UTF-8 is not one freezer wrote.
            guard let name = withUnsafeBytes(of: entry.pointee.d_name, { String(validating: $0.prefix { $0 != 0 }, as: UTF8.self) }),
                  let temporary = TemporaryName(parsing: name), temporary.owner.isGone else { continue }
            var st = stat()
            guard fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0, st.st_mode & S_IFMT == S_IFREG else { continue }
            stale.append(name)
        }
        // Removed after reading the directory: unlinking while readdir walks it may skip entries.
        for name in stale { unlinkat(dfd, name, 0) }
    }
}
