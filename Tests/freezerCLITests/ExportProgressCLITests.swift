import Foundation
import FreezerTestSupport
import Testing

/// `freezer export`'s progress as users see it: the driver's steps and their elapsed time on a terminal,
/// plain lines through a pipe with --progress, nothing through a pipe without it.
@Suite("Export progress on stderr", .enabled(if: TrainingEnvironment.hasTorch, "python3 with torch and onnx is needed: pip install torch onnx"))
struct ExportProgressCLITests {
    let example = ExampleProject(name: "pytorch-cnn", package: "cnn")

    /// A factory that takes 3 s, so that its step lasts long enough to show its time.
    func slowProject() throws -> String {
        try example.copy(example.recipe(replacing: "cnn.nets:build", with: "cnn.slow:build"),
                         extraModules: ["slow": "import time\nfrom cnn.nets import build as base\n\n\ndef build():\n    time.sleep(3)\n    return base()\n"])
    }

    @Test func aTerminalShowsTheDriversStepsAndTheirTime() throws {
        let recipe = try slowProject()
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: recipe).deletingLastPathComponent().path) }
        let r = try PseudoTerminal.run(["export", recipe], columns: 120)
        #expect(r.status == 0, "\(r.terminal)")
        let lines = r.terminal.components(separatedBy: "\r").map { $0.replacingOccurrences(of: "\u{1B}[K", with: "") }.filter { !$0.isEmpty }
        let steps = ["starting Python", "recording the environment", "loading the factory", "running the model in inference mode", "exporting",
                     "starting Python for inference"].map { "freezer: export driver, " + $0 }
        let first = steps.map { step in lines.firstIndex { $0.hasPrefix(step) } }
        #expect(first.allSatisfy { $0 != nil } && first.compactMap { $0 } == first.compactMap { $0 }.sorted(), "\(lines)")
        // The slow step is redrawn with its time while it lasts.
        #expect(lines.contains { $0.hasPrefix("freezer: export driver, loading the factory: ") && $0.hasSuffix(" s") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("freezer: verify 3/3") }, "the conversion's phases follow")
        #expect(!r.terminal.contains("\n") && r.terminal.hasSuffix("\r\u{1B}[K"), "one line, erased at the end")
        #expect(r.stdout.contains("framework check: equivalent"))
    }

    @Test func aPipeGetsNothingWithoutProgressAndLinesWithIt() throws {
        let recipe = try example.copy(example.recipe)
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: recipe).deletingLastPathComponent().path) }
        let quiet = try CLI.run(["export", recipe])
        #expect(quiet.status == 0 && quiet.stderr.isEmpty, "\(quiet.stderr)")
        let shown = try CLI.run(["export", recipe, "--progress"])
        #expect(shown.status == 0, "\(shown.stderr)")
        let lines = shown.stderr.split(separator: "\n").map(String.init)
        #expect(lines.first == "freezer: export driver, starting Python")
        #expect(lines.contains("freezer: export driver, exporting") && lines.contains("freezer: export driver, loading the checkpoint"))
        #expect(!shown.stderr.contains("\r") && !shown.stderr.contains("\u{1B}"))
    }
}
