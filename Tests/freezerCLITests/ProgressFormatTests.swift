import FreezerConvert
import Testing
@testable import freezer

/// The text of the progress line: units, rates, durations, time left, and shortening to the terminal.
@Suite("Progress line")
struct ProgressFormatTests {
    @Test(arguments: [(0, "0 B"), (999, "999 B"), (1_000, "1.00 kB"), (4_100, "4.10 kB"), (36_540_000, "36.5 MB"),
                      (812_000_000, "812 MB"), (999_400_000, "999 MB"), (999_600_000, "1.00 GB"), (1_214_000_000, "1.21 GB"),
                      (12_000_000_000_000, "12.0 TB")])
    func bytesInDecimalUnitsWithThreeDigits(bytes: Int, text: String) {
        #expect(ProgressFormat.bytes(bytes) == text)
    }

    @Test(arguments: [(0.4, "0 s"), (42.0, "42 s"), (59.4, "59 s"), (60.0, "1 min 00 s"), (185.0, "3 min 05 s"),
                      (3_600.0, "1 h 00 min"), (3_725.0, "1 h 02 min")])
    func durations(seconds: Double, text: String) {
        #expect(ProgressFormat.duration(seconds) == text)
    }

    @Test func timeLeftRoundsUpSoItNeverSaysZeroWhileWorking() {
        #expect(ProgressFormat.duration(0.2, roundingUp: true) == "1 s")
        #expect(ProgressFormat.duration(.infinity) == "?")
    }

    @Test func ratesPerSecondOrSecondsPerUnit() {
        #expect(ProgressFormat.rate(410e6, unit: .bytes) == "410 MB/s")
        #expect(ProgressFormat.rate(2.1, unit: .nodes) == "2.10 nodes/s")
        #expect(ProgressFormat.rate(1 / 12.0, unit: .nodes) == "12 s/node")
        #expect(ProgressFormat.rate(1 / 90.0, unit: .nodes) == "1 min 30 s/node")
    }

    @Test func bytesWithTotalShowPercentRateAndTimeLeft() {
        let event = ProgressEvent(phase: .save(path: "out/frozen.onnx"), count: .init(done: 300_000_000, total: 1_200_000_000, unit: .bytes))
        // A quarter in 3 s: 100 MB/s, three quarters left take 9 s.
        #expect(ProgressFormat.line(event, elapsed: 3) == "freezer: save frozen.onnx: 300 MB of 1.20 GB (25%), 100 MB/s, 9 s left")
    }

    /// Another program's step (freezer export's driver) is named with the program, and timed once it lasts.
    @Test func anExternalStepShowsItsProgramStepAndElapsedTime() {
        let event = ProgressEvent(phase: .external(program: "export driver", step: "loading the checkpoint"))
        #expect(ProgressFormat.line(event, elapsed: 0.5) == "freezer: export driver, loading the checkpoint")
        #expect(ProgressFormat.line(event, elapsed: 65) == "freezer: export driver, loading the checkpoint: 1 min 05 s")
        #expect(ProgressFormat.line(event, elapsed: 65, width: 40) == "freezer: export driver: 1 min 05 s")
    }

    @Test func aPhaseFirstShownHalfDoneIsTimedFromThere() {
        let event = ProgressEvent(phase: .digest(path: "m.onnx"), count: .init(done: 750_000_000, total: 1_000_000_000, unit: .bytes))
        // Shown at 50 %, 25 % more in 5 s: 50 MB/s, the last quarter takes 5 s.
        #expect(ProgressFormat.line(event, elapsed: 5, baseline: 0.5) == "freezer: digest m.onnx: 750 MB of 1.00 GB (75%), 50.0 MB/s, 5 s left")
    }

    @Test func rateAndTimeLeftWaitUntilThePhaseHasSettled() {
        let event = ProgressEvent(phase: .digest(path: "m.onnx"), count: .init(done: 10_000_000, total: 100_000_000, unit: .bytes))
        #expect(ProgressFormat.line(event, elapsed: 0.5) == "freezer: digest m.onnx: 10.0 MB of 100 MB (10%)")
    }

    @Test func verificationCountsTheNodeRunningForAllSamples() {
        let event = ProgressEvent(phase: .verification(.original, samples: 8), count: .init(done: 50, total: 200, unit: .nodes))
        // Node 51 runs. 50 nodes in 5 s: 10 nodes/s, 150 left take 15 s.
        #expect(ProgressFormat.line(event, elapsed: 5)
                == "freezer: verify 2/3, original (own precision), 8 samples: node 51/200, 10.0 nodes/s, 15 s left")
    }

    @Test func aFinishedStageSaysSoWithoutTimeLeft() {
        let event = ProgressEvent(phase: .verification(.frozen, samples: 1), count: .init(done: 16, total: 16, unit: .nodes))
        #expect(ProgressFormat.line(event, elapsed: 4) == "freezer: verify 3/3, frozen model, 1 sample: 16/16 nodes, 4.00 nodes/s")
    }

    @Test func uncountedPhasesShowTheirElapsedTime() {
        #expect(ProgressFormat.line(ProgressEvent(phase: .passes), elapsed: 0.5) == "freezer: passes")
        #expect(ProgressFormat.line(ProgressEvent(phase: .passes), elapsed: 75) == "freezer: passes: 1 min 15 s")
        #expect(ProgressFormat.line(ProgressEvent(phase: .load(path: "/models/a/model.onnx")), elapsed: 3) == "freezer: load model.onnx: 3 s")
    }

    @Test func aNarrowTerminalDropsTheStageNameBeforeTheNumbers() {
        let event = ProgressEvent(phase: .verification(.exactReference, samples: 8), count: .init(done: 3, total: 240, unit: .nodes))
        // 3 nodes in 10 s: 3.33 s a node, 237 left take 790 s.
        let details = "node 4/240, 3 s/node, 13 min 10 s left"
        #expect(ProgressFormat.line(event, elapsed: 10) == "freezer: verify 1/3, exact reference (original, float64), 8 samples: " + details)
        #expect(ProgressFormat.line(event, elapsed: 10, width: 79) == "freezer: verify 1/3: " + details)
        #expect(ProgressFormat.line(event, elapsed: 10, width: 40) == "freezer: verify 1/3: node 4/240, 3 s/no…")
    }
}
