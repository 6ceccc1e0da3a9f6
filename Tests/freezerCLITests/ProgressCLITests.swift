import Foundation
import FreezerTestSupport
import Testing

/// Progress of `convert` and `compare` as users see it: on a terminal one line redrawn in place and
/// erased before anything else is written; through a pipe nothing, or plain lines with --progress.
@Suite("Progress on stderr")
struct ProgressCLITests {
    static let model = "examples/small-cnn/model.onnx"
    static let erase = "\r\u{1B}[K"

    func convert(_ dir: String, _ extra: [String] = []) -> [String] {
        ["convert", Self.model, "-o", dir + "/frozen.onnx", "--model-id", "X", "--model-version", "1", "--responsible", "T"] + extra
    }

    /// The states the terminal line went through, in order.
    func frames(_ terminal: String) -> [String] {
        terminal.components(separatedBy: "\r").map { $0.replacingOccurrences(of: "\u{1B}[K", with: "") }.filter { !$0.isEmpty }
    }

    @Test func aTerminalShowsEveryPhaseOnOneLineAndJSONStaysClean() throws {
        let r = try PseudoTerminal.run(convert(Fixtures.temporaryDirectory(), ["--json"]), columns: 100)
        #expect(r.status == 0, "\(r.terminal)")
        let lines = frames(r.terminal)
        // A phase change is drawn at once, however fast the phase: every phase appears, in order (the
        // digests run beside the passes and show only when waited for).
        let phases = ["freezer: load model.onnx", "freezer: passes", "freezer: verify 1/3, exact reference (original, float64), 8 samples",
                      "freezer: verify 2/3, original (own precision)", "freezer: verify 3/3, frozen model", "freezer: save frozen.onnx: "]
        let firstLine = phases.map { phase in lines.firstIndex { $0.hasPrefix(phase) } }
        #expect(firstLine.allSatisfy { $0 != nil }, "\(lines)")
        #expect(firstLine.compactMap { $0 } == firstLine.compactMap { $0 }.sorted())
        #expect(lines.allSatisfy { $0.count < 100 }, "a line as wide as the terminal wraps and cannot be redrawn")
        #expect(!r.terminal.contains("\n"), "progress never moves to a new line")
        #expect(r.terminal.hasSuffix(Self.erase), "the line is erased at the end")
        let summary = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect(summary?["frozenModel"] != nil, "\(r.stdout)")
    }

    @Test func theSummaryOnTheSameTerminalStartsOnAnErasedLine() throws {
        let r = try PseudoTerminal.run(convert(Fixtures.temporaryDirectory()), stdoutOnTerminal: true)
        #expect(r.status == 0, "\(r.terminal)")
        let parts = r.terminal.components(separatedBy: "Converted X_1")
        try #require(parts.count == 2, "\(r.terminal)")
        #expect(parts[0].contains("freezer: save frozen.onnx"))
        #expect(parts[0].hasSuffix(Self.erase))
        #expect(!parts[1].contains("freezer: "))
    }

    @Test func anErrorMessageStartsOnAnErasedLine() throws {
        let r = try PseudoTerminal.run(convert(Fixtures.temporaryDirectory(), ["--expect-sha256", String(repeating: "0", count: 64)]))
        #expect(r.status != 0)
        #expect(r.terminal.contains("freezer: verify 3/3"))
        #expect(r.terminal.contains(Self.erase + "freezer: error: "), "\(r.terminal)")
    }

    @Test func aPipeGetsNoProgressUnlessAsked() throws {
        let r = try CLI.run(convert(Fixtures.temporaryDirectory(), ["--json"]))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty)
    }

    @Test func aPipeGetsPlainLinesWithProgress() throws {
        let r = try CLI.run(convert(Fixtures.temporaryDirectory(), ["--json", "--progress"]))
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stderr.split(separator: "\n").map(String.init)
        #expect(lines.allSatisfy { $0.hasPrefix("freezer: ") }, "\(lines)")
        #expect(!r.stderr.contains("\r") && !r.stderr.contains("\u{1B}"))
        #expect(lines.first == "freezer: load model.onnx")
        #expect(lines.contains { $0.hasPrefix("freezer: verify 3/3, frozen model") })
        #expect(lines.last?.hasPrefix("freezer: save frozen.onnx") == true)
        #expect((try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) != nil, "\(r.stdout)")
    }

    @Test func compareHasTheFlagToo() throws {
        let model = Fixtures.model("torch_cnn_eval")
        let r = try CLI.run(["compare", model, model, "--samples", "2", "--progress"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.filter { $0 == "freezer: load model.onnx" }.count == 2, "A and B")
        #expect(lines.filter { $0.hasPrefix("freezer: digest model.onnx: 0 B of ") }.count == 2)
        #expect(lines.contains { $0.hasPrefix("freezer: verify 1/3") } && lines.contains { $0.hasPrefix("freezer: verify 3/3") })
    }
}
