import Foundation

/// Scratch directories named after the process that made them (`.PREFIX-<pid>-<start time>-<tag>`), so that
/// a later run removes what a killed one left, and never the directory of a run still going.
public enum ScratchDirectory {
    /// A fresh name for a scratch directory of this process.
    public static func name(prefix: String) -> String {
        let owner = ProcessIdentity.current
        let tag = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        return ".\(prefix)-\(owner.pid)-\(owner.startTime)-\(String(repeating: "0", count: 8 - tag.count))\(tag)"
    }

    /// The owner named by `entry`, or nil unless it is exactly a name `name(prefix:)` writes.
    static func owner(of entry: String, prefix: String) -> ProcessIdentity? {
        let head = ".\(prefix)-"
        guard entry.hasPrefix(head) else { return nil }
        let parts = entry.dropFirst(head.count).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, let pid = Int32(parts[0]), pid > 0, let start = UInt64(parts[1]),
              parts[2].count == 8, UInt32(parts[2], radix: 16) != nil, parts[2] == parts[2].lowercased() else { return nil }
        return ProcessIdentity(pid: pid, startTime: start)
    }

    /// Removes, best effort, the scratch directories in `directory` whose owning process has certainly ended.
    public static func sweep(in directory: String, prefix: String) {
        let fm = FileManager.default
        guard let entries = try? fm.contentsOfDirectory(atPath: directory) else { return }
        for entry in entries {
            guard let owner = owner(of: entry, prefix: prefix), owner.isGone else { continue }
            let path = (directory as NSString).appendingPathComponent(entry)
            var isDirectory: ObjCBool = false
            // Not through a link: only a real directory freezer made is removed.
            guard (try? fm.destinationOfSymbolicLink(atPath: path)) == nil,
                  fm.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            try? fm.removeItem(atPath: path)
        }
    }
}
