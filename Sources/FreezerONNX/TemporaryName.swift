#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The name of a freezer temporary file: `.<target name>.freezer-tmp-<pid>-<start time>-<16 hex digits>`.
///
/// The owner's pid and start time let a later run tell a temporary left by a killed process from one that
/// a running process is still writing (`StaleTemporaries`); the random tag keeps one process's
/// temporaries apart.
struct TemporaryName: Equatable {
    var stem: String
    var owner: ProcessIdentity
    var tag: UInt64

    static let marker = ".freezer-tmp-"

    var text: String {
        let hex = String(tag, radix: 16)
        return ".\(stem)\(Self.marker)\(owner.pid)-\(owner.startTime)-\(String(repeating: "0", count: 16 - hex.count))\(hex)"
    }

    /// A fresh name for a temporary of this process beside the file `fileName`.
    init(for fileName: String) {
        // NAME_MAX is 255 bytes and the rest of the name takes at most 62; a longer target name is cut.
        var stem = Substring(fileName)
        while stem.utf8.count > 190 { stem = stem.dropLast() }
        self.init(stem: String(stem), owner: .current, tag: UInt64.random(in: 0...UInt64.max))
    }

    init(stem: String, owner: ProcessIdentity, tag: UInt64) {
        self.stem = stem
        self.owner = owner
        self.tag = tag
    }

    /// The name read back, or nil unless `entry` is exactly what `text` writes (no leading zeros,
    /// lowercase hex, nothing before or after), so that nothing else is ever taken for a temporary.
    init?(parsing entry: String) {
        // The last marker: a target name may itself contain one.
        guard entry.hasPrefix("."),
              let marker = entry.indices.dropFirst().last(where: { entry[$0...].hasPrefix(Self.marker) }) else { return nil }
        let parts = entry[marker...].dropFirst(Self.marker.count).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, let pid = Int32(parts[0]), pid > 0, let start = UInt64(parts[1]),
              parts[2].count == 16, let tag = UInt64(parts[2], radix: 16) else { return nil }
        self.init(stem: String(entry[entry.index(after: entry.startIndex)..<marker]),
                  owner: ProcessIdentity(pid: pid, startTime: start), tag: tag)
        // Bytes, not String equality, which would equate differently normalized names.
        guard text.utf8.elementsEqual(entry.utf8) else { return nil }
    }

    /// Calls `create` with fresh temporary paths beside `target` until one was free, and returns that path
    /// and `create`'s result (-1 with errno set means it failed).
    static func claim(beside target: String, _ create: (String) -> Int32) throws(ModelSaveError) -> (path: String, result: Int32) {
        let directory = Paths.directory(of: target)
        for _ in 0..<8 {
            let path = "\(directory)/\(TemporaryName(for: Paths.fileName(of: target)).text)"
            let result = create(path)
            if result >= 0 { return (path, result) }
            if errno != EEXIST { throw .cannotWrite(path: target, reason: MappedFile.errnoText()) }
        }
        throw .cannotWrite(path: target, reason: "no free temporary name beside it")
    }
}

/// The name of the temporary a write of `fileName` by process `pid` leaves when it is killed before its
/// commit where unnamed files are not supported: public for the crash-safety qualification, which plants
/// one for a killed process and checks that the next write into the directory removes it.
public enum KilledWriteLeftover {
    public static func name(of fileName: String, pid: Int32, startTime: UInt64) -> String {
        TemporaryName(stem: fileName, owner: ProcessIdentity(pid: pid, startTime: startTime), tag: 0x0123_4567_89ab_cdef).text
    }
}
