#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Atomic writes of small files (logs, reports) with the same guarantees as model saving.
public enum FileWriter {
    /// Writes `bytes` to `path` atomically (see `AtomicFile`); refuses `protectedPaths`.
    public static func write(_ bytes: [UInt8], to path: String, protectedPaths: [String] = [], mode: UInt32 = 0o644) throws(ModelSaveError) {
        guard let target = Paths.canonicalTarget(path) else { throw .missingDirectory(Paths.directory(of: path)) }
        if protectedPaths.compactMap({ Paths.canonical($0) ?? $0 }).contains(target) {
            throw .wouldOverwriteInput(path: path, input: "an input of this command")
        }
        try AtomicFile.write(to: target, mode: mode_t(mode)) { sink in try sink.write(bytes) }
    }
}
