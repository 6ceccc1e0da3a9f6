import Foundation
import FreezerTestSupport
import Testing

@Suite("freezer log render (end to end)")
struct LogRenderCLITests {
    /// A real log: converts the CNN fixture into a fresh directory and returns the log's path.
    func convertedLog() throws -> String {
        let dir = Fixtures.temporaryDirectory()
        let r = try CLI.run(["convert", Fixtures.model("torch_cnn_train"), "-o", dir + "/frozen.onnx", "--model-id", "CNN",
                             "--model-version", "1", "--responsible", "Jane Doe"])
        try #require(r.status == 0, "\(r.stderr)")
        return dir + "/frozen.conversion-log.json"
    }

    @Test func rendersEveryFormatBesideTheLog() throws {
        let log = try convertedLog()
        let stem = String(log.dropLast(".json".count))
        for (format, ext) in [("markdown", "md"), ("html", "html"), ("pdf", "pdf")] {
            let r = try CLI.run(["log", "render", log, "--format", format])
            #expect(r.status == 0, "\(r.stderr)")
            let data = try #require(FileManager.default.contents(atPath: "\(stem).\(ext)"))
            let text = String(decoding: data.prefix(1000), as: UTF8.self)
            #expect(ext == "pdf" ? text.hasPrefix("%PDF-1.4") : text.contains("PhIMT0002 Model Conversion Log"))
        }
        let md = try String(contentsOfFile: stem + ".md", encoding: .utf8)
        #expect(md.contains("| Verified Learning Model ID | CNN_1 (Model ID CNN, version 1) |"))
        #expect(md.contains("| Responsible | Jane Doe |"))
    }

    @Test func writesTextToStandardOutput() throws {
        let log = try convertedLog()
        let r = try CLI.run(["log", "render", log, "--format", "html", "-o", "-"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("<!DOCTYPE html>"))
        let pdf = try CLI.run(["log", "render", log, "--format", "pdf", "-o", "-"])
        #expect(pdf.status == 64)
        #expect(pdf.stderr.contains("give a file name"))
    }

    @Test func refusesBadLogsAndOutputsWithoutWriting() throws {
        let log = try convertedLog()
        let dir = Fixtures.temporaryDirectory()
        let missing = try CLI.run(["log", "render", dir + "/nope.json", "--format", "markdown"])
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("does not exist"))

        try Data("{\"a\": 1}".utf8).write(to: URL(fileURLWithPath: dir + "/other.json"))
        let notALog = try CLI.run(["log", "render", dir + "/other.json", "--format", "markdown"])
        #expect(notALog.status == 65)
        #expect(notALog.stderr.contains("not a freezer Model Conversion Log"))

        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: log))) as! [String: Any]
        object["schemaVersion"] = 99
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: dir + "/future.json"))
        let future = try CLI.run(["log", "render", dir + "/future.json", "--format", "pdf"])
        #expect(future.status == 65)
        #expect(future.stderr.contains("schema version 99"))

        let noDirectory = try CLI.run(["log", "render", log, "--format", "pdf", "-o", dir + "/missing/out.pdf"])
        #expect(noDirectory.status == 73)
        #expect(noDirectory.stderr.contains("does not exist"))

        let before = FileManager.default.contents(atPath: log)
        let overwrite = try CLI.run(["log", "render", log, "--format", "markdown", "-o", log])
        #expect(overwrite.status == 73)
        #expect(overwrite.stderr.contains("it is the log being rendered"))
        #expect(FileManager.default.contents(atPath: log) == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix(".") || $0.hasSuffix(".pdf") || $0.hasSuffix(".md") }
        #expect(leftovers.isEmpty, "nothing written on failure: \(leftovers)")
    }
}
