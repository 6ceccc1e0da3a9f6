import FreezerONNX
import FuzzSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// This process's scratch directory: `in/` holds only the input, `out/` what the saver writes.
private let workDirectory = makeScratchDirectory(prefix: "freezer-fuzz", subdirectories: ["in", "out"],
                                                 files: ["in/input.onnx", "out/output.onnx", "out/output.onnx.data"])

/// The one input file, overwritten for every input: the loader takes a path, not bytes.
private let inputPath = workDirectory + "/in/input.onnx"
/// Where the saver writes; its data file (`output.onnx.data`) lands beside it.
private let outputPath = workDirectory + "/out/output.onnx"

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

/// Hands control to libFuzzer (see `runLibFuzzer`).
@main
enum FuzzMain {
    static func main() {
        runLibFuzzer { data, size in
            guard let data else { return 0 } // libFuzzer passes a valid pointer even for empty inputs
            return fuzz(data, size)
        }
    }
}
