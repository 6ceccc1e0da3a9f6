import Foundation
import FreezerTestSupport
import Testing

@Suite("freezer convert records its options (end to end)")
struct ConvertOptionsCLITests {
    func converter(_ logPath: String) throws -> [String: Any] {
        let data = try #require(FileManager.default.contents(atPath: logPath))
        let log = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let conversion = try #require(log["modelConversion"] as? [String: Any])
        return try #require((conversion["loadingAndConverting"] as? [String: Any])?["converter"] as? [String: Any])
    }

    @Test func typedOptionsBesideTheTextAreWhatReverifyRepeats() throws {
        let dir = Fixtures.temporaryDirectory()
        let model = Fixtures.model("torch_cnn_train")
        let r = try CLI.run(["convert", model, "-o", dir + "/frozen.onnx", "--model-id", "CNN", "--model-version", "2", "--responsible", "Jane Doe",
                             "--samples", "3", "--seed", "7", "--rtol", "0.001", "--input-shape", "input=2x3x16x16"])
        try #require(r.status == 0, "\(r.stderr)")
        let converter = try converter(dir + "/frozen.conversion-log.json")
        let typed = try #require(converter["recordedOptions"] as? [String: Any])
        #expect(typed["samples"] as? Int == 3 && typed["seed"] as? Int == 7 && typed["rtol"] as? Double == 0.001 && typed["atol"] == nil)
        #expect(typed["inputShapes"] as? [String: [Int]] == ["input": [2, 3, 16, 16]])
        // The CLI's defaults are the library's: one thread, automatic storage, verification on.
        #expect(typed["threads"] as? Int == 1 && typed["externalData"] as? String == "auto" && typed["verify"] as? Bool == true)
        let text = try #require(converter["options"] as? [[String: Any]])
        #expect(text.first { $0["name"] as? String == "--input-shape" }?["value"] as? String == "input=2x3x16x16")
        #expect(text.first { $0["name"] as? String == "--samples" }?["value"] as? String == "3")
        let verify = try CLI.run(["verify", dir + "/frozen.onnx", "--log", dir + "/frozen.conversion-log.json", "--original", model, "--reverify"])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("[ok]   equivalence 3 sample(s)"), "\(verify.stdout)")
    }

    /// convert and compare share one parser, so they refuse the same text with the same message.
    @Test(arguments: ["convert", "compare"], ["input", "input=1xx3", "input=-1x3", "=1x3"])
    func aMalformedInputShapeIsAUsageError(_ command: String, _ shape: String) throws {
        let dir = Fixtures.temporaryDirectory()
        let model = Fixtures.model("torch_cnn_train")
        let arguments = command == "convert"
            ? ["convert", model, "-o", dir + "/frozen.onnx", "--model-id", "CNN", "--model-version", "2", "--responsible", "Jane Doe"]
            : ["compare", model, model]
        let r = try CLI.run(arguments + ["--input-shape", shape])
        #expect(r.status == 64)
        #expect(r.stderr.contains("--input-shape '\(shape)' is not NAME=AxBxC"), "\(r.stderr)")
        #expect((try? FileManager.default.contentsOfDirectory(atPath: dir))?.isEmpty == true)
    }
}
