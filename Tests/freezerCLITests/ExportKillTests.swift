import Foundation
import FreezerTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `freezer export` killed (SIGKILL) while its driver runs: nothing at the output paths, the driver ends
/// with it, and the next export removes the scratch directory the kill left. scripts/check-crash-safety.sh
/// export kills it at many moments.
@Suite("Export killed", .enabled(if: TrainingEnvironment.imports("torch, onnx", python: TrainingEnvironment.python),
                                 "an interpreter with torch and onnx is needed: set FREEZER_EXPORT_PYTHON to it (scripts/test.sh makes one)"))
struct ExportKillTests {
    @Test func aKillDuringTheDriverLeavesNothingTheNextExportDoesNotRemove() throws {
        let example = ExampleProject(name: "pytorch-cnn", package: "cnn")
        let recipe = example.recipe(replacing: "python: python3", with: "python: \(TrainingEnvironment.python)")
        // A factory that waits, so that the kill lands while the driver loads the model.
        let slow = try example.copy(recipe.replacingOccurrences(of: "cnn.nets:build", with: "cnn.slow:build"),
                                    extraModules: ["slow": "import time\nfrom cnn.nets import build as base\n\n\ndef build():\n    time.sleep(60)\n    return base()\n"])
        let dir = URL(fileURLWithPath: slow).deletingLastPathComponent().path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = dir + "/out"

        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.executable)
        process.arguments = ["export", slow]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The driver is in the factory once its events say so.
        var scratch: String?
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            scratch = (try? FileManager.default.contentsOfDirectory(atPath: out))?.first { $0.hasPrefix(".freezer-export-") }.map { out + "/" + $0 }
            if let scratch, let events = try? String(contentsOfFile: scratch + "/export.events", encoding: .utf8),
               events.contains("\"factory\"") { break }
            usleep(100_000)
        }
        let left = try #require(scratch, "the export made no scratch directory in \(out)")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)

        #expect(try FileManager.default.contentsOfDirectory(atPath: out) == [URL(fileURLWithPath: left).lastPathComponent], "nothing at the output paths")
        #expect(waitUntilNoProcess(naming: left), "the driver ended with freezer")

        try recipe.write(toFile: dir + "/recipe-normal.yaml", atomically: true, encoding: .utf8)
        let next = try CLI.run(["export", dir + "/recipe-normal.yaml"])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).sorted()
                == ["frozen.conversion-log.json", "frozen.exported.onnx", "frozen.onnx"], "the scratch directory the kill left is removed")
    }

    /// True once no process's command line names `path` (within a few seconds; Linux's /proc).
    func waitUntilNoProcess(naming path: String) -> Bool {
        let deadline = Date().addingTimeInterval(5)
        repeat {
            let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.filter { Int($0) != nil } ?? []
            let alive = pids.contains { pid in
                guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
                return String(decoding: data, as: UTF8.self).contains(path)
            }
            if !alive { return true }
            usleep(100_000)
        } while Date() < deadline
        return false
    }
}
