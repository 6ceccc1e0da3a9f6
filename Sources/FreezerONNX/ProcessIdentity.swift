#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A process told apart from a later one that reuses its pid: the pid and the process's start time.
struct ProcessIdentity: Equatable, Sendable {
    var pid: pid_t
    /// Clock ticks from boot to the process's start (field 22 of /proc/<pid>/stat); 0 where unknown.
    var startTime: UInt64

    /// This process. Read once: a process's start time never changes.
    static let current = ProcessIdentity(pid: getpid(), startTime: status(of: getpid())?.startTime ?? 0)

    /// True only when this process has certainly ended: no process has its pid, or the process that
    /// has it is a zombie or started at another time. A process that cannot be inspected counts as alive.
    var isGone: Bool {
        guard pid > 0 else { return false }
        if kill(pid, 0) != 0 && errno == ESRCH { return true }
        guard let now = Self.status(of: pid) else { return false }
        return now.isZombie || now.startTime != startTime
    }

    /// State and start time from /proc/<pid>/stat, or nil where it cannot be read (no /proc, hidepid).
    static func status(of pid: pid_t) -> (startTime: UInt64, isZombie: Bool)? {
        let fd = open("/proc/\(pid)/stat", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 4096)
        let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { return nil }
        // The command name (field 2) may hold spaces and parentheses: fields 3 on follow the last ')'.
        guard let paren = bytes[..<n].lastIndex(of: UInt8(ascii: ")")) else { return nil }
        let fields = bytes[(paren + 1)..<n].split(separator: UInt8(ascii: " "))
        guard fields.count > 19, let start = UInt64(String(decoding: fields[19], as: UTF8.self)) else { return nil }
        let state = fields[0].first
        return (start, state == UInt8(ascii: "Z") || state == UInt8(ascii: "X"))
    }
}
