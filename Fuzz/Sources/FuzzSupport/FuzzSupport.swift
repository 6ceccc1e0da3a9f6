import CFuzzerDriver
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Files and directories to remove at exit, innermost first (set once, before libFuzzer starts).
nonisolated(unsafe) private var scratchPaths: [String] = []

private func removeScratch() {
    for path in scratchPaths { _ = remove(path) }
}

/// A private directory per process, under `$FREEZER_FUZZ_TMPDIR` (default /tmp), with `subdirectories`.
///
/// External-data locations in a fuzzed model resolve relative to the model's directory, so the input's
/// directory must hold nothing but the input: the loader must never reach a real file, nor what an
/// earlier input wrote (which would make results depend on input order). Per-process paths let fork
/// mode's jobs coexist. `files` (relative paths) and the directories are removed at exit, best effort;
/// after a crash the fuzz script removes what is left.
public func makeScratchDirectory(prefix: String, subdirectories: [String], files: [String]) -> String {
    let root = getenv("FREEZER_FUZZ_TMPDIR").map { String(cString: $0) } ?? "/tmp"
    var template = Array("\(root)/\(prefix)-XXXXXX".utf8CString)
    guard let dir = mkdtemp(&template) else { fatalError("mkdtemp in \(root) failed: \(String(cString: strerror(errno)))") }
    let path = String(cString: dir)
    for sub in subdirectories { mkdir(path + "/" + sub, 0o700) }
    scratchPaths = files.map { path + "/" + $0 } + subdirectories.reversed().map { path + "/" + $0 } + [path]
    atexit(removeScratch)
    return path
}

/// Writes `size` bytes to `path`, replacing its content.
public func writeFile(_ path: String, _ data: UnsafePointer<UInt8>, _ size: Int) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard fd >= 0 else { fatalError("cannot write \(path): \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    var done = 0
    while done < size {
        let n = write(fd, data + done, size - done)
        if n < 0 && errno == EINTR { continue }
        guard n > 0 else { fatalError("cannot write \(path): \(String(cString: strerror(errno)))") }
        done += n
    }
}

/// A harness's per-input function as libFuzzer calls it: the input's bytes, 0 to go on.
public typealias FuzzTarget = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

/// Hands control to libFuzzer, which calls `target` for every input, and exits with its status.
///
/// SwiftPM links every Swift executable with `main` aliased to its own entry point, which would leave
/// libFuzzer's `main` unused (and the link failing without one), so each harness's `@main` starts the
/// driver through this.
public func runLibFuzzer(_ target: FuzzTarget) -> Never {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, target))
}
