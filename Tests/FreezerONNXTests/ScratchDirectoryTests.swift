import Foundation
import FreezerTestSupport
import Testing
@testable import FreezerONNX

@Suite("Scratch directories")
struct ScratchDirectoryTests {
    /// A killed run's scratch directory goes (also when its pid now belongs to a later process); the
    /// directory of a live process, names that only look alike, plain files and links stay.
    @Test func sweepRemovesOnlyDirectoriesOfGoneOwners() throws {
        let dir = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let pidMax = try String(contentsOfFile: "/proc/sys/kernel/pid_max", encoding: .utf8)
        let impossible = try #require(Int32(pidMax.trimmingCharacters(in: .whitespacesAndNewlines)))
        let me = ProcessIdentity.current
        let dead = ".freezer-export-\(impossible)-1-00c0ffee"
        let mine = ScratchDirectory.name(prefix: "freezer-export")
        let reused = ".freezer-export-\(me.pid)-\(me.startTime + 1)-0000beef"
        let lookalikes = [".freezer-export-\(impossible)-1-00C0FFEE", ".freezer-export-\(impossible)-1-c0ffee",
                          "freezer-export-\(impossible)-1-00c0ffee", ".freezer-other-\(impossible)-1-00c0ffee"]
        for name in [dead, mine, reused] + lookalikes {
            try FileManager.default.createDirectory(atPath: dir + "/" + name, withIntermediateDirectories: false)
            FileManager.default.createFile(atPath: dir + "/" + name + "/inside", contents: Data("x".utf8))
        }
        let deadFile = ".freezer-export-\(impossible)-2-00c0ffee"
        FileManager.default.createFile(atPath: dir + "/" + deadFile, contents: Data("x".utf8))
        let target = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: target) }
        let deadLink = ".freezer-export-\(impossible)-3-00c0ffee"
        try FileManager.default.createSymbolicLink(atPath: dir + "/" + deadLink, withDestinationPath: target)

        #expect(ScratchDirectory.owner(of: mine, prefix: "freezer-export") == me)
        ScratchDirectory.sweep(in: dir, prefix: "freezer-export")
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: dir))
        // `reused` names this pid with another start time: its process ended and the pid was reused.
        #expect(left == Set([mine, deadFile, deadLink] + lookalikes))
        #expect(FileManager.default.fileExists(atPath: target))
    }
}
