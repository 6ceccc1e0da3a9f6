import Foundation
import FreezerKernels
import FreezerLog
#if canImport(Glibc)
import Glibc
#endif

/// Measures the machine a conversion runs on, for "Environment information".
public enum EnvironmentProbe {
    public static func measure(recordHost: Bool) -> EnvironmentInfo {
        var uts = utsname()
        uname(&uts)
        func field<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) }
        }
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }?
            .split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
        let flags = Set(cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") }?
            .split(separator: ":", maxSplits: 1).last?.split(separator: " ").map(String.init) ?? [])
        // The features freezer's dependencies use when present: SHA extensions (digests), AVX/FMA (BLAS).
        let used = ["sha_ni", "avx2", "fma", "avx512f"].filter(flags.contains)
        let blas = Interpreter.openBLASCore
        return EnvironmentInfo(
            operatingSystem: osRelease(),
            kernel: "\(field(uts.sysname)) \(field(uts.release)) \(field(uts.version))",
            architecture: field(uts.machine),
            cpuModel: model,
            cpuFeaturesUsed: used.map { $0 == "sha_ni" ? "sha_ni (SHA-256)" : $0 }
                + (Interpreter.usesNativeKernels ? ["freezer AVX-512 kernels (float products, 2-D convolutions, softmax, layer normalization)"] : [])
                + ["OpenBLAS core \(blas)"],
            cores: ProcessInfo.processInfo.activeProcessorCount,
            memoryBytes: ProcessInfo.processInfo.physicalMemory,
            swiftRuntime: swiftVersion,
            locale: Locale.current.identifier,
            timeZone: TimeZone.current.identifier,
            hostName: recordHost ? ProcessInfo.processInfo.hostName : nil)
    }

    static func osRelease() -> String {
        guard let text = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8) else {
            return ProcessInfo.processInfo.operatingSystemVersionString
        }
        for line in text.split(separator: "\n") where line.hasPrefix("PRETTY_NAME=") {
            return String(line.dropFirst(12)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return ProcessInfo.processInfo.operatingSystemVersionString
    }

    /// The Swift language/runtime version freezer was compiled with.
    static var swiftVersion: String {
        #if swift(>=6.4)
        "Swift 6.4 or later"
        #elseif swift(>=6.3)
        "Swift 6.3"
        #elseif swift(>=6.2)
        "Swift 6.2"
        #else
        "Swift 6.0–6.1"
        #endif
    }
}
