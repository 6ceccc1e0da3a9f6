import Foundation
#if canImport(Glibc)
import Glibc
#endif
import FreezerConvert
import FreezerLog
import FreezerONNX

/// Which freezer ran the qualification, on what: the executable and every library it has loaded, by
/// SHA-256, and the machine as a conversion log records it.
public struct ToolIdentity: Sendable, Codable, Equatable {
    public struct File: Sendable, Codable, Equatable {
        public var path: String
        public var sha256: String
        public var size: Int
    }

    public var version: String
    public var build: String
    public var executable: File?
    /// Shared objects mapped into this process (/proc/self/maps), sorted by path.
    public var libraries: [File]
    public var environment: EnvironmentInfo

    /// Measures the running process.
    public static func measure() -> ToolIdentity {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")).flatMap(file)
        return ToolIdentity(version: FreezerBuild.version, build: FreezerBuild.configuration, executable: exe,
                            libraries: loadedLibraries().compactMap(file), environment: EnvironmentProbe.measure(recordHost: false))
    }

    /// Paths of the shared objects in /proc/self/maps (the executable itself left out).
    static func loadedLibraries() -> [String] {
        guard let maps = readAll("/proc/self/maps") else { return [] }
        let paths = maps.split(separator: "\n").compactMap { line -> String? in
            guard let slash = line.firstIndex(of: "/") else { return nil }
            let path = String(line[slash...])
            return path.contains(".so") ? path : nil
        }
        return Set(paths).sorted()
    }

    /// The whole of a /proc file: read to the end, since its size reads as 0 (Foundation's readers
    /// stop early on it).
    static func readAll(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            bytes += buffer[..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func file(_ path: String) -> File? {
        (try? FileDigest.sha256(ofFile: path)).map { File(path: path, sha256: $0.sha256, size: $0.size) }
    }
}
