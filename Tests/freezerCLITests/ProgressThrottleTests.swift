import FreezerConvert
import Testing
@testable import freezer

/// When the progress line is drawn, on instants given by the test (no clock is waited for).
@Suite("Progress throttling")
struct ProgressThrottleTests {
    let start = ContinuousClock.now

    func at(_ milliseconds: Int) -> ContinuousClock.Instant { start + .milliseconds(milliseconds) }

    func bytes(_ done: Int) -> ProgressEvent {
        ProgressEvent(phase: .digest(path: "m.onnx"), count: .init(done: done, total: 1000, unit: .bytes))
    }

    @Test func manyEventsDrawAtMostOncePerInterval() {
        var throttle = ProgressThrottle(interval: .milliseconds(100), idleInterval: .milliseconds(500))
        // An event every millisecond for one second: the first, then one per 100 ms.
        let drawn = (0..<1000).filter { throttle.receive(bytes($0), at: at($0)) }
        #expect(drawn == [0, 100, 200, 300, 400, 500, 600, 700, 800, 900])
        #expect(throttle.latest == bytes(999))
    }

    @Test func aNewPhaseIsDrawnAtOnceAndRestartsTheElapsedTime() {
        var throttle = ProgressThrottle(interval: .seconds(5), idleInterval: .seconds(30))
        let events: [(ProgressEvent, Int)] = [
            (ProgressEvent(phase: .load(path: "m.onnx")), 0), (bytes(0), 10), (bytes(500), 20), (ProgressEvent(phase: .passes), 30),
            (ProgressEvent(phase: .verification(.exactReference, samples: 8)), 40), (ProgressEvent(phase: .verification(.original, samples: 8)), 50),
        ]
        let drawn = events.map { throttle.receive($0.0, at: at($0.1)) }
        // Within the interval only the same phase waits; each verification stage is a phase of its own.
        #expect(drawn == [true, true, false, true, true, true])
        #expect(throttle.elapsed(at: at(1050)) == 1.0)
    }

    @Test func aPhaseRemembersTheFractionItWasFirstSeenAt() {
        var throttle = ProgressThrottle(interval: .milliseconds(100), idleInterval: .milliseconds(500))
        _ = throttle.receive(ProgressEvent(phase: .passes), at: at(0))
        _ = throttle.receive(bytes(600), at: at(10))
        _ = throttle.receive(bytes(700), at: at(500))
        #expect(throttle.baseline == 0.6)
        _ = throttle.receive(ProgressEvent(phase: .save(path: "f.onnx"), count: .init(done: 0, total: 10, unit: .bytes)), at: at(600))
        #expect(throttle.baseline == 0)
    }

    @Test func ticksRedrawOnlyAfterTheIdleInterval() {
        var throttle = ProgressThrottle(interval: .milliseconds(100), idleInterval: .milliseconds(500))
        let beforeAnyEvent = throttle.tick(at: at(0))
        #expect(!beforeAnyEvent, "nothing to draw before the first event")
        _ = throttle.receive(ProgressEvent(phase: .passes), at: at(0))
        let ticks = [250, 500, 750, 1000].map { throttle.tick(at: at($0)) }
        #expect(ticks == [false, true, false, true])
        // A tick counts as a draw: the next event waits for the interval.
        let events = [1050, 1100].map { throttle.receive(ProgressEvent(phase: .passes), at: at($0)) }
        #expect(events == [false, true])
    }
}
