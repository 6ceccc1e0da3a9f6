import Foundation
import FreezerIntegrity
import FreezerIR
import FreezerONNX
import FreezerVerify

/// SAVE-ATOMIC under SIGKILL: the installed freezer converts a model large enough that saving takes
/// measurable time, and is killed at a seeded, deterministic list of moments of an uninterrupted run
/// (most of them in its save phase, as `convert --json` times it). After each kill the output paths hold nothing or a complete output (the frozen model byte-identical
/// to the uninterrupted run's, a log that parses), and nothing else but the recognizable leftovers planted
/// for killed processes; a later run removes those.
enum CrashSafetyCheck {
    static let kills = 6
    static let seed: UInt64 = 13

    static func check() -> QualificationCheck {
        QualificationCheck(id: "QT-SAVE-ATOMIC-SIGKILL", requirements: ["SAVE-ATOMIC"],
                           expected: "\(kills) runs of freezer convert killed with SIGKILL at seeded moments of a run: no partial output, no orphan temporary; the next run removes a killed write's leftover") { context in
            let freezer = try context.freezer()
            let input = context.path("crash-input.onnx"), directory = context.path("crash")
            _ = try ModelSaver.save(model(), to: input)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let frozen = directory + "/frozen.onnx", log = directory + "/frozen.conversion-log.json"
            let arguments = ["convert", input, "-o", frozen, "--no-verify", "--model-id", "CRASH", "--model-version", "1", "--responsible", "freezer qualify", "--json"]
            // Timed as the killed runs will run: the faster of two uninterrupted runs (files in the page cache).
            var duration = Double.infinity, save = 0.0
            for _ in 0..<2 {
                let start = ContinuousClock.now
                let complete = try freezer.run(arguments)
                let seconds = (ContinuousClock.now - start).seconds
                try require(complete.status == 0, "the uninterrupted run failed (exit \(complete.status)): \(complete.standardError)")
                if seconds < duration { (duration, save) = (seconds, savePhase(complete.standardOutput)) }
            }
            let reference = try FileDigest.sha256(ofFile: frozen).sha256
            // A third of the moments spread over the whole run, the rest over its save phase (which ends the
            // run), each at a seeded place in its equal part.
            var generator = SeededGenerator(seed: seed)
            let spread = kills / 3, saveStart = max(0, duration - save)
            let delays = (0..<kills).map { k in
                let u = Double(generator.next() >> 11) * 0x1p-53
                return k < spread ? saveStart * (Double(k) + u) / Double(spread)
                                  : saveStart + (duration - saveStart) * (Double(k - spread) + u) / Double(kills - spread)
            }
            var planted: [String] = [], killed = 0, outputs = 0
            for delay in delays {
                try? FileManager.default.removeItem(atPath: frozen)
                try? FileManager.default.removeItem(atPath: log)
                let (pid, wasKilled) = try freezer.kill(arguments, after: delay)
                killed += wasKilled ? 1 : 0
                for name in try FileManager.default.contentsOfDirectory(atPath: directory) where !planted.contains(name) {
                    let path = directory + "/" + name
                    if path == frozen {
                        let sha = try FileDigest.sha256(ofFile: path).sha256
                        try require(sha == reference, "after a kill at \(ms(delay)) the frozen model is partial (SHA-256 \(sha), complete \(reference))")
                        outputs += 1
                    } else if path == log {
                        let data = try Data(contentsOf: URL(fileURLWithPath: path))
                        try require((try? JSONSerialization.jsonObject(with: data)) != nil, "after a kill at \(ms(delay)) the log is partial (\(data.count) bytes)")
                    } else {
                        throw CheckFailure("after a kill at \(ms(delay)) an orphan is left: \(name)")
                    }
                }
                // What the killed process would have left had it written a named temporary.
                let leftover = KilledWriteLeftover.name(of: "frozen.onnx", pid: pid, startTime: 1)
                try Data("partial".utf8).write(to: URL(fileURLWithPath: directory + "/" + leftover))
                planted.append(leftover)
            }
            try require(killed > 0, "no run was still running at its kill (uninterrupted run \(ms(duration))): the check killed nothing")
            let later = try freezer.run(arguments)
            try require(later.status == 0, "the run after the kills failed (exit \(later.status)): \(later.standardError)")
            let left = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
            try require(left == ["frozen.conversion-log.json", "frozen.onnx"], "after the later run the directory holds \(left)")
            return "run \(ms(duration)) (saving \(ms(save)) of it); kills at \(delays.map(ms).joined(separator: ", ")): \(killed) killed, \(outputs) complete model(s) found, no partial output or orphan; the later run removed \(planted.count) leftover(s)"
        }
    }

    /// x [1, 1024] through four 1024×1024 MatMuls (16 MB of weights).
    static func model() -> Model {
        var r = GraphRecipe(seed: seed)
        var x = "x"
        for i in 0..<4 {
            let w = r.parameter("w\(i)", [1024, 1024], -0.05, 0.05)
            x = r.node("MatMul", "layer\(i)", [x, w], outputs: i == 3 ? ["y"] : nil)
        }
        return r.model(name: "crash_safety", inputs: [GraphRecipe.float("x", [1, 1024])], outputs: [GraphRecipe.float("y", [1, 1024])])
    }

    /// The seconds of the save phase in `convert --json`'s summary (0 when absent).
    static func savePhase(_ json: String) -> Double {
        let summary = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any]
        let phases = summary?["phases"] as? [[String: Any]] ?? []
        return phases.filter { ($0["phase"] as? String)?.hasPrefix("save") == true }.compactMap { $0["seconds"] as? Double }.reduce(0, +)
    }

    static func ms(_ seconds: Double) -> String { String(format: "%.0f ms", seconds * 1000) }
}
