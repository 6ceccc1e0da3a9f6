import Foundation
import FreezerTestSupport
import FreezerVerify
import Synchronization
import Testing
@testable import FreezerConvert

/// The events a conversion or comparison reports: every phase in order, with counts that reach their totals.
@Suite("Conversion progress events")
struct ProgressEventTests {
    final class Recorder: Sendable {
        let events = Mutex<[ProgressEvent]>([])
        var report: Conversion.Progress { { [self] e in events.withLock { $0.append(e) } } }
        var all: [ProgressEvent] { events.withLock { $0 } }
    }

    func phases(_ events: [ProgressEvent]) -> [ProgressEvent.Phase] {
        var phases: [ProgressEvent.Phase] = []
        for e in events where phases.last != e.phase { phases.append(e.phase) }
        return phases
    }

    @Test func conversionReportsEachPhaseWithCountsReachingTheirTotals() throws {
        let dir = Fixtures.temporaryDirectory()
        let model = Fixtures.model("external_data_single")
        let options = ConversionOptions(input: model, output: dir + "/frozen.onnx", modelID: "X", modelVersion: "1", responsible: "T",
                                        samples: 2, externalData: .always)
        let recorder = Recorder()
        let outcome = try Conversion.run(options, commandLine: [], progress: recorder.report)
        let events = recorder.all

        // The digests run beside the passes; they are shown only if the conversion has to wait for them.
        let main = events.filter { if case .digest = $0.phase { false } else { true } }
        // The exact reference leads; the other lane's stages are shown after it, in order, each to its end
        // (EquivalenceChecker.LaneProgress), whether they ran beside it or after it.
        let stages = EquivalenceChecker.Stage.allCases
        #expect(phases(main) == [.load(path: model), .passes] + stages.map { .verification($0, samples: 2) } + [.save(path: dir + "/frozen.onnx")])

        for stage in stages {
            let counts = events.filter { $0.phase == .verification(stage, samples: 2) }.map(\.count)
            let nodes = counts.compactMap { $0 }
            let done = nodes.map(\.done)
            #expect(done == done.sorted() && Set(done).count == done.count, "nodes are reported in order")
            #expect(nodes.allSatisfy { $0.unit == .nodes && $0.total == nodes.last?.total })
            #expect(nodes.last.map { $0.done == $0.total } ?? false, "the stage is shown to its end")
            if stage == .exactReference {
                #expect(counts.first == .some(nil), "the stage is shown before its plan is made")
                #expect(done == Array(1...max(1, nodes.count)), "every node is reported")
            }
        }

        let dataFile = try #require(outcome.saved.dataFile)
        let written = outcome.saved.size + dataFile.size
        let save = events.filter { $0.phase == .save(path: dir + "/frozen.onnx") }.compactMap(\.count)
        // The model is written beside the verification and shown from when the conversion waits for it.
        #expect(save.map(\.done) == save.map(\.done).sorted() && save.allSatisfy { $0.total == written })
        #expect(save.last == .init(done: written, total: written, unit: .bytes))
        #expect(outcome.phases.map(\.phase) == ["load", "passes", "verification", "digest", "save", "commit"])
        #expect(outcome.phases.map { $0.inParallel == true } == [false, false, false, true, true, false])
    }

    @Test func comparisonDigestsEachModelWithItsDataFiles() throws {
        let model = Fixtures.model("external_data_single")
        let recorder = Recorder()
        _ = try Comparison.run(.init(a: model, b: model, samples: 1), progress: recorder.report)
        let events = recorder.all
        #expect(phases(events).prefix(4) == [.load(path: model), .digest(path: model), .load(path: model), .digest(path: model)])

        let bytes = try Self.size(model) + Self.size(Fixtures.directory.appendingPathComponent("external_data_single/weights.bin").path)
        let digest = events.filter { $0.phase == .digest(path: model) }.compactMap(\.count)
        #expect(digest.first == .init(done: 0, total: bytes, unit: .bytes))
        #expect(digest.last == .init(done: bytes, total: bytes, unit: .bytes))
    }

    @Test func backgroundWorkIsShownOnlyOnceWaitedFor() throws {
        let recorder = Recorder()
        let background = BackgroundProgress(recorder.report)
        let record = try #require(background.record)
        func bytes(_ done: Int) -> ProgressEvent {
            ProgressEvent(phase: .digest(path: "m.onnx"), count: .init(done: done, total: 100, unit: .bytes))
        }
        record(bytes(10))
        record(bytes(40))
        #expect(recorder.all.isEmpty, "quiet while the main path shows its own phases")
        background.waiting()
        record(bytes(70))
        #expect(recorder.all == [bytes(40), bytes(70)], "where it stood when waited for, then every event")
    }

    @Test func backgroundWorkDoneBeforeTheWaitShowsNothing() {
        let recorder = Recorder()
        let background = BackgroundProgress(recorder.report)
        background.record?(ProgressEvent(phase: .digest(path: "m.onnx"), count: .init(done: 100, total: 100, unit: .bytes)))
        background.waiting()
        #expect(recorder.all.isEmpty)
        #expect(BackgroundProgress(nil).record == nil, "no callback when nobody listens")
    }

    static func size(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
    }
}
