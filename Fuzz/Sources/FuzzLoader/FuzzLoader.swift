import CFuzzerDriver
import FreezerONNX
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A private directory per process, under `$FREEZER_FUZZ_TMPDIR` (default /tmp), holding `in/` and `out/`.
///
/// External-data locations in a fuzzed model resolve relative to the model's directory, so `in/` holds
/// nothing but the input: the loader must never reach a real file, nor what the previous input saved
/// (which would make results depend on input order). Per-process paths let fork mode's jobs coexist.
private let workDirectory: String = {
    let root = getenv("FREEZER_FUZZ_TMPDIR").map { String(cString: $0) } ?? "/tmp"
    var template = Array("\(root)/freezer-fuzz-XXXXXX".utf8CString)
    guard let dir = mkdtemp(&template) else { fatalError("mkdtemp in \(root) failed: \(String(cString: strerror(errno)))") }
    let path = String(cString: dir)
    mkdir(path + "/in", 0o700)
    mkdir(path + "/out", 0o700)
    atexit(removeWorkDirectory)
    return path
}()

/// The one input file, overwritten for every input: the loader takes a path, not bytes.
private let inputPath = workDirectory + "/in/input.onnx"
/// Where the saver writes; its data file (`output.onnx.data`) lands beside it.
private let outputPath = workDirectory + "/out/output.onnx"

/// Best-effort cleanup at exit; after a crash the fuzz script removes what is left.
private func removeWorkDirectory() {
    for file in ["/in/input.onnx", "/out/output.onnx", "/out/output.onnx.data", "/in", "/out", ""] {
        _ = remove(workDirectory + file)
    }
}

/// Writes `size` bytes to `path`, replacing its content.
private func writeFile(_ path: String, _ data: UnsafePointer<UInt8>, _ size: Int) {
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

/// The marker that starts every payload token (`PayloadToken.magic` in FreezerONNX, which is internal).
private let tokenMagic = Array("\u{0}FRZLIFT".utf8)

/// Whether `bytes` contain the payload-token marker.
private func containsTokenMagic(_ bytes: UnsafeRawBufferPointer) -> Bool {
    bytes.firstRange(of: tokenMagic) != nil
}

/// Whether the file at `path` contains the payload-token marker; false when it does not exist.
private func fileContainsTokenMagic(_ path: String) -> Bool {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = read(fd, &chunk, chunk.count)
        if n < 0 && errno == EINTR { continue }
        guard n > 0 else { break }
        bytes += chunk[0..<n]
    }
    return bytes.withUnsafeBytes(containsTokenMagic)
}

/// libFuzzer entry point: load the bytes as a model and, when that succeeds, save it.
///
/// Errors are the expected outcome for almost every input and are ignored; a crash, a sanitizer
/// report, a hang or runaway memory is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    writeFile(inputPath, data, size)
    guard let loaded = try? ModelLoader.load(path: inputPath, options: .init(computeDigests: false)) else { return 0 }
    // Protect the input as the CLI does, and force external data half of the time to fuzz both writers.
    let external: ModelSaver.Options.ExternalData = size % 2 == 0 ? .auto : .always
    // A stale data file from an earlier input must not be mistaken for this one's.
    unlink(outputPath + ".data")
    guard (try? ModelSaver.save(loaded.model, to: outputPath,
                                options: .init(externalData: external, protectedPaths: loaded.source.protectedPaths))) != nil
    else { return 0 }
    // Oracle for silent corruption: PayloadToken promises that tokens never reach a written file, so
    // a marker in the output that the input did not carry means a tensor payload was replaced by one.
    if !containsTokenMagic(UnsafeRawBufferPointer(start: data, count: size)) {
        for path in [outputPath, outputPath + ".data"] where fileContainsTokenMagic(path) {
            fatalError("a payload token was written to \(path): a tensor payload was lost on save")
        }
    }
    return 0
}

/// Hands control to libFuzzer.
///
/// SwiftPM links every Swift executable with `main` aliased to its own entry point, which would leave
/// libFuzzer's `main` unused (and the link failing without one), so the harness starts the driver itself.
@main
enum FuzzMain {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            guard let data else { return 0 } // libFuzzer passes a valid pointer even for empty inputs
            return fuzz(data, size)
        })
    }
}
