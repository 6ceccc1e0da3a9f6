import Foundation
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
        guard let maps = try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8) else { return [] }
        let paths = maps.split(separator: "\n").compactMap { line -> String? in
            guard let slash = line.firstIndex(of: "/") else { return nil }
            let path = String(line[slash...])
            return path.contains(".so") ? path : nil
        }
        return Set(paths).sorted()
    }

    static func file(_ path: String) -> File? {
        (try? FileDigest.sha256(ofFile: path)).map { File(path: path, sha256: $0.sha256, size: $0.size) }
    }
}
