import Foundation
import FreezerTestSupport
import Testing
@testable import FreezerONNX

@Suite("Stale temporaries")
struct StaleTemporaryTests {
    /// A pid no process can have: pids stay below pid_max.
    func impossiblePid(sourceLocation: SourceLocation = #_sourceLocation) throws -> Int32 {
        let text = try String(contentsOfFile: "/proc/sys/kernel/pid_max", encoding: .utf8)
        return try #require(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), sourceLocation: sourceLocation)
    }

    func name(_ stem: String, _ pid: Int32, _ start: UInt64) -> String {
        TemporaryName(stem: stem, owner: ProcessIdentity(pid: pid, startTime: start), tag: 0x0123_4567_89ab_cdef).text
    }

    @Test func aWriteRemovesTemporariesOfGoneOwnersOnly() throws {
        let dir = Fixtures.temporaryDirectory()
        let me = ProcessIdentity.current
        let initStart = try #require(ProcessIdentity.status(of: 1)?.startTime)
        let p = try impossiblePid()
        let dead = name("out.onnx", p, 1)
        let reusedPid = name("out.onnx", me.pid, me.startTime + 1)
        let mine = name("out.onnx", me.pid, me.startTime)
        let otherLive = name("out.onnx", 1, initStart)
        // Near misses of the scheme, each owned by no process if it were read loosely.
        let foreign = [
            "out.onnx", ".out.onnx.freezer-tmp-\(p)-12345", dead + ".bak", String(dead.dropFirst()),
            ".out.onnx.freezer-tmp-\(p)-1-0123456789ABCDEF", ".out.onnx.freezer-tmp-\(p)-1-0123456789abcde",
            ".out.onnx.freezer-tmp-0\(p)-1-0123456789abcdef", ".out.onnx.freezer-tmp-0-1-0123456789abcdef",
            ".out.onnx.freezer-tmp-\(p)-01-0123456789abcdef", ".freezer-tmp-\(p)-1-0123456789abcdef",
        ]
        for file in [dead, reusedPid, mine, otherLive] + foreign {
            try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/" + file))
        }
        let deadDirectory = name("dir", p, 2)
        try FileManager.default.createDirectory(atPath: dir + "/" + deadDirectory, withIntermediateDirectories: false)

        try AtomicFile.write(to: dir + "/log.json") { sink in try sink.write(Array("{}".utf8)) }

        let left = Set(try FileManager.default.contentsOfDirectory(atPath: dir))
        #expect(!left.contains(dead))
        #expect(!left.contains(reusedPid))
        #expect(left == Set([mine, otherLive, deadDirectory, "log.json"] + foreign))
    }

    @Test func ownerIsGoneOnlyWhenCertain() throws {
        let me = ProcessIdentity.current
        #expect(me.startTime > 0)
        #expect(!me.isGone)
        #expect(ProcessIdentity(pid: me.pid, startTime: me.startTime + 1).isGone)
        #expect(ProcessIdentity(pid: try impossiblePid(), startTime: me.startTime).isGone)
    }

    @Test(arguments: ["out.onnx", "a b (c).onnx", "x.freezer-tmp-1-2-0123456789abcdef", String(repeating: "ü", count: 200)])
    func namesReadBackAndFitInADirectoryEntry(fileName: String) throws {
        let temporary = TemporaryName(for: fileName)
        #expect(temporary.text.utf8.count <= 255)
        #expect(fileName.hasPrefix(temporary.stem))
        #expect(TemporaryName(parsing: temporary.text) == temporary)
        #expect(temporary.owner == ProcessIdentity.current)
    }
}
