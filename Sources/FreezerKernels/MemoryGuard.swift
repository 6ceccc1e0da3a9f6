import Foundation
import Synchronization

/// Stops an evaluation with a clear error while memory can still be reported, instead of letting the
/// system kill the process (or an allocation trap) once it runs out: after each main-graph node, the
/// memory the machine has available (Linux MemAvailable, and the cgroup limit when one is set) must stay
/// above a reserve.
public struct MemoryGuard: Sendable, Equatable {
    /// Bytes that must stay available after every node.
    public var reserveBytes: Int
    /// For tests of what callers do when memory runs out: memory "runs out" whenever more samples than
    /// this are evaluated together. nil on every real run.
    public var simulatedSampleLimit: Int?

    /// Shared by the evaluations that hold memory at the same time (lanes side by side): once one of them
    /// finds memory short, the others stop at their next node too, rather than take what is left.
    private let tripped = Tripwire()

    public init(reserveBytes: Int, simulatedSampleLimit: Int? = nil) {
        self.reserveBytes = reserveBytes
        self.simulatedSampleLimit = simulatedSampleLimit
    }

    /// The same limits, for a new set of evaluations that share only with each other.
    public func renewed() -> MemoryGuard { MemoryGuard(reserveBytes: reserveBytes, simulatedSampleLimit: simulatedSampleLimit) }

    public static func == (a: MemoryGuard, b: MemoryGuard) -> Bool {
        a.reserveBytes == b.reserveBytes && a.simulatedSampleLimit == b.simulatedSampleLimit
    }

    private final class Tripwire: Sendable {
        let state = Atomic<Bool>(false)
    }

    /// 256 MiB, or 2% of the machine's memory when that is more: room for the next node's result.
    public static var standard: MemoryGuard {
        MemoryGuard(reserveBytes: max(256 << 20, (physicalBytes() ?? 0) / 50))
    }

    /// Throws `outOfMemory` when less than the reserve is available (checks nothing where the system does
    /// not say: non-Linux).
    func check(after node: String, samples: Int) throws(EvaluationError) {
        let simulated = simulatedSampleLimit.map { samples > $0 } ?? false
        let available = simulated ? 0 : Self.availableBytes()
        guard simulated || tripped.state.load(ordering: .relaxed) || (available.map { $0 < reserveBytes } ?? false) else { return }
        tripped.state.store(true, ordering: .relaxed)
        throw .outOfMemory(node: node, availableBytes: available ?? 0, residentBytes: Self.residentBytes() ?? 0,
                           reserveBytes: reserveBytes, samples: samples)
    }

    /// The memory the machine has available (see `availableBytes`), nil where it cannot be read.
    public static func availableMemoryBytes() -> Int? { availableBytes() }

    /// MemAvailable, lowered to the cgroup's headroom (memory.max − memory.current) when a limit is set.
    static func availableBytes() -> Int? {
        guard let meminfo = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
              let available = field("MemAvailable:", in: meminfo) else { return nil }
        if let maxText = try? String(contentsOfFile: "/sys/fs/cgroup/memory.max", encoding: .utf8),
           let limit = Int(maxText.trimmingCharacters(in: .whitespacesAndNewlines)),
           let currentText = try? String(contentsOfFile: "/sys/fs/cgroup/memory.current", encoding: .utf8),
           let current = Int(currentText.trimmingCharacters(in: .whitespacesAndNewlines)) {
            return min(available, max(0, limit - current))
        }
        return available
    }

    static func physicalBytes() -> Int? {
        (try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)).flatMap { field("MemTotal:", in: $0) }
    }

    /// This process's resident set (VmRSS).
    static func residentBytes() -> Int? {
        (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)).flatMap { field("VmRSS:", in: $0) }
    }

    /// A `Name:   123 kB` line of /proc, in bytes.
    private static func field(_ name: String, in text: String) -> Int? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name) }) else { return nil }
        let parts = line.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count >= 2, let value = Int(parts[1]) else { return nil }
        return parts.count >= 3 && parts[2] == "kB" ? value * 1024 : value
    }

    /// `1.5 GiB`, `312 MiB`.
    static func text(_ bytes: Int) -> String {
        bytes >= 1 << 30 ? String(format: "%.1f GiB", Double(bytes) / Double(1 << 30)) : "\(bytes >> 20) MiB"
    }
}
