import Foundation
import FreezerTestSupport
import Testing
@testable import FreezerExport

/// The driver's phase events as freezer reads them while the driver runs: a line at a time, however the
/// writes are split, and nothing from a line that is not an event of a known phase.
@Suite("Driver events")
struct DriverEventsTests {
    @Test func aLineCountsOnceItIsComplete() {
        var events = DriverEvents(path: "")
        #expect(events.consume(Data(#"{"phase": "environment"}"#.utf8 + [10] + #"{"phase": "chec"#.utf8)) == [.environment])
        #expect(events.last == .environment)
        #expect(events.consume(Data(#"kpoint"}"#.utf8)) == [], "no end of line yet")
        #expect(events.consume(Data("\n".utf8)) == [.checkpoint])
        #expect(events.last == .checkpoint)
    }

    @Test func linesThatAreNotEventsOfAKnownPhaseAreSkipped() {
        var events = DriverEvents(path: "")
        let text = "Traceback (most recent call last):\n{\"phase\": \"training\"}\n{\"step\": \"export\"}\n[1, 2]\n\n{\"phase\": \"export\"}\n"
        #expect(events.consume(Data(text.utf8)) == [.export])
    }

    /// Read from the file as the driver appends to it: each poll returns only what is new.
    @Test func pollingReadsWhatWasAppendedSince() throws {
        let dir = Fixtures.temporaryDirectory("freezer-events")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/export.events"
        var events = DriverEvents(path: path)
        #expect(events.poll() == [], "the driver has not written the file yet")
        try #"{"phase": "framework"}"#.appending("\n").write(toFile: path, atomically: false, encoding: .utf8)
        #expect(events.poll() == [.framework])
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"phase": "factory"}"#.utf8 + [10] + #"{"phase": "checkpoint"}"#.utf8 + [10]))
        try handle.close()
        #expect(events.poll() == [.factory, .checkpoint])
        #expect(events.poll() == [])
    }

    /// Every phase the driver can name has freezer's description (a phase freezer does not know is skipped,
    /// so a driver and freezer that disagree would show nothing).
    @Test func theDriversPhasesAreFreezers() {
        let named = Set(DriverSource.text.matches(of: /phase\("([a-z]+)"\)/).map { String($0.output.1) })
        #expect(named == Set(DriverPhase.allCases.map(\.rawValue)))
    }
}
