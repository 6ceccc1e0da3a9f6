import Foundation
import FreezerONNX
import FreezerTestSupport
import Testing

@Suite("freezer convert (end to end)")
struct ConvertCLITests {
    func convertArguments(_ model: String, _ out: String, _ extra: [String] = []) -> [String] {
        ["convert", model, "-o", out, "--model-id", "CNN", "--model-version", "2", "--responsible", "Jane Doe"] + extra
    }

    func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    @Test func convertsWritesTheLogAndIsDeterministic() throws {
        let dir = Fixtures.temporaryDirectory()
        let input = Fixtures.model("torch_cnn_train")
        let before = bytes(input)
        let a = try CLI.run(convertArguments(input, dir + "/a.onnx", ["--no-verify"]))
        #expect(a.status == 0, "\(a.stderr)")
        let b = try CLI.run(convertArguments(input, dir + "/b.onnx", ["--no-verify", "--log", dir + "/b.log.json"]))
        #expect(b.status == 0, "\(b.stderr)")
        #expect(bytes(input) == before, "the input must never change")
        #expect(FileManager.default.fileExists(atPath: dir + "/a.conversion-log.json"))
        // Same input and options (the output file name included) → the same frozen model, byte for byte.
        let again = Fixtures.temporaryDirectory()
        let d = try CLI.run(convertArguments(input, again + "/a.onnx", ["--no-verify"]))
        #expect(d.status == 0)
        #expect(bytes(dir + "/a.onnx") == bytes(again + "/a.onnx"))
        let log = try JSONSerialization.jsonObject(with: bytes(dir + "/a.conversion-log.json")!) as! [String: Any]
        let conversion = log["modelConversion"] as! [String: Any]
        #expect(conversion["verifiedLearningModelID"] as? String == "CNN_2")
        #expect(conversion["responsible"] as? String == "Jane Doe")
        #expect(conversion["phaseOfTheLifecycle"] as? String == "Inference Management")
        #expect((log["equivalence"] as! [String: Any])["verdict"] as? String == "skipped")
    }

    @Test func requiredOptionsAreEnforced() throws {
        let dir = Fixtures.temporaryDirectory()
        let r = try CLI.run(["convert", Fixtures.model("torch_cnn_train"), "-o", dir + "/x.onnx", "--model-id", "A", "--model-version", "1"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("--responsible"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/x.onnx"))
    }

    @Test func refusesToOverwriteTheInputOrWriteIntoAMissingDirectory() throws {
        let dir = Fixtures.temporaryDirectory()
        try FileManager.default.copyItem(atPath: Fixtures.path("external_data_single"), toPath: dir + "/m")
        let before = bytes(dir + "/m/model.onnx")
        let same = try CLI.run(convertArguments(dir + "/m/model.onnx", dir + "/m/model.onnx", ["--no-verify"]))
        #expect(same.status == 73, "\(same.stderr)")
        #expect(same.stderr.contains("never overwrites its input"))
        let data = try CLI.run(convertArguments(dir + "/m/model.onnx", dir + "/m/weights.bin", ["--no-verify"]))
        #expect(data.status == 73)
        #expect(bytes(dir + "/m/model.onnx") == before)
        // With --external-data the frozen model's data file would be the input's own: refused before any work.
        let loaded = try ModelLoader.load(path: dir + "/m/model.onnx").model
        try ModelSaver.save(loaded, to: dir + "/m/source.onnx", options: .init(externalData: .always, dataFileName: "frozen.onnx.data", externalThreshold: 16))
        let sourceData = bytes(dir + "/m/frozen.onnx.data")
        #expect(sourceData != nil)
        let collision = try CLI.run(convertArguments(dir + "/m/source.onnx", dir + "/m/frozen.onnx", ["--external-data"]))
        #expect(collision.status == 73, "\(collision.stderr)")
        #expect(collision.stderr.contains("frozen.onnx.data' is the input model or one of its data files"))
        #expect(bytes(dir + "/m/frozen.onnx.data") == sourceData && !FileManager.default.fileExists(atPath: dir + "/m/frozen.onnx"))
        let missing = try CLI.run(convertArguments(dir + "/m/model.onnx", dir + "/nowhere/frozen.onnx", ["--no-verify"]))
        #expect(missing.status == 73)
        #expect(missing.stderr.contains("does not exist"))
    }

    @Test func wrongExpectedDigestIsRefused() throws {
        let dir = Fixtures.temporaryDirectory()
        let r = try CLI.run(convertArguments(Fixtures.model("torch_cnn_train"), dir + "/f.onnx", ["--expect-sha256", String(repeating: "0", count: 64)]))
        #expect(r.status == 65)
        #expect(r.stderr.contains("not the model that passed verification"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    @Test func parametersWithoutValuesAreRefused() throws {
        let dir = Fixtures.temporaryDirectory()
        let r = try CLI.run(convertArguments(Fixtures.model("params_without_values"), dir + "/f.onnx", ["--no-verify"]))
        #expect(r.status == 3, "\(r.stderr)")
        #expect(r.stderr.contains("parameters that have no values"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    /// --output naming what freezing removes (a Dropout mask, a running statistic): exit 3, nothing written.
    @Test(arguments: [("dropout_opset12", "d4_mask", "the mask of Dropout 'drop_mask_used'"),
                      ("batchnorm_opset14_training", "bn1_running_mean", "output 1 of BatchNormalization 'bn1'")])
    func anOutputThatExistsOnlyInTrainingIsRefused(model: String, output: String, what: String) throws {
        let dir = Fixtures.temporaryDirectory()
        let r = try CLI.run(convertArguments(Fixtures.model(model), dir + "/f.onnx", ["--output", "Y", "--output", output]))
        #expect(r.status == 3, "\(r.stderr)")
        #expect(r.stderr.contains("--output '\(output)' is \(what)") && r.stderr.contains("exists only in training"), "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    @Test func badModelIsRefusedWithNothingWritten() throws {
        let dir = Fixtures.temporaryDirectory()
        let r = try CLI.run(convertArguments(Fixtures.path("bad/cycle.onnx"), dir + "/f.onnx"))
        #expect(r.status == 65)
        #expect(r.stderr.contains("cycle"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    /// With --json a refusal is JSON on standard output too (the message also goes to standard error):
    /// the exit code, the message, and for a model that is not equivalent, the check as the log records it.
    @Test func jsonStatesARefusalOnStandardOutput() throws {
        let dir = Fixtures.temporaryDirectory()
        let r = try CLI.run(convertArguments(Fixtures.model("torch_cnn_train"), dir + "/f.onnx", ["--samples", "2", "--rtol", "0", "--atol", "0", "--json"]))
        #expect(r.status == 4, "\(r.stderr)")
        #expect(r.stderr.contains("does not compute what the original computes"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stdout)")
        #expect(json["refused"] as? Bool == true && json["exitCode"] as? Int == 4)
        #expect((json["error"] as? String)?.contains("does not compute what the original computes") == true)
        let equivalence = try #require(json["equivalence"] as? [String: Any])
        #expect(equivalence["verdict"] as? String == "notEquivalent")
        #expect((equivalence["outputs"] as? [[String: Any]])?.first?["passed"] as? Bool == false)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)

        let digest = try CLI.run(convertArguments(Fixtures.model("torch_cnn_train"), dir + "/f.onnx", ["--expect-sha256", String(repeating: "0", count: 64), "--json"]))
        #expect(digest.status == 65)
        let refusal = try #require(try JSONSerialization.jsonObject(with: Data(digest.stdout.utf8)) as? [String: Any], "\(digest.stdout)")
        #expect(refusal["exitCode"] as? Int == 65 && refusal["equivalence"] == nil)
        #expect((refusal["error"] as? String)?.contains("not the model that passed verification") == true)
    }
}
