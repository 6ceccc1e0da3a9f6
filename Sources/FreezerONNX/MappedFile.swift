import FreezerIR
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Maps a file read-only. Pages are read by the kernel only when touched.
enum MappedFile {
    enum Failure: Error {
        case notFound, isDirectory, notRegular, unreadable(String)
    }

    static func errnoText(_ code: Int32 = errno) -> String { String(cString: strerror(code)) }

    /// File size, or a reason why it cannot be read.
    static func statRegularFile(_ path: String) -> Result<Int, Failure> {
        var st = stat()
        guard stat(path, &st) == 0 else {
            return .failure(errno == ENOENT || errno == ENOTDIR ? .notFound : .unreadable(errnoText()))
        }
        if (st.st_mode & S_IFMT) == S_IFDIR { return .failure(.isDirectory) }
        if (st.st_mode & S_IFMT) != S_IFREG { return .failure(.notRegular) }
        return .success(Int(st.st_size))
    }

    static func map(_ path: String) -> Result<ByteStorage, Failure> {
        switch statRegularFile(path) {
        case .failure(let f): return .failure(f)
        case .success: break
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(.unreadable(errnoText())) }
        defer { close(fd) }
        // Size again from the open descriptor, in case the file changed since stat.
        var st = stat()
        guard fstat(fd, &st) == 0 else { return .failure(.unreadable(errnoText())) }
        let size = Int(st.st_size)
        if size == 0 { return .success(ByteStorage(copying: UnsafeRawBufferPointer(start: nil, count: 0))) }
        guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            return .failure(.unreadable(errnoText()))
        }
        return .success(ByteStorage(mapped: UnsafeRawPointer(p), count: size))
    }
}
