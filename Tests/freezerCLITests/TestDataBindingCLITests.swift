import Foundation
import FreezerONNX
import FreezerTestSupport
import Testing

/// `convert --inputs` and `run --test-data` bind data files by one rule (`FeedDirectory`), shown on a
/// model that lists a parameter before its inputs, where graph-input order and runtime-input order differ.
@Suite("convert --inputs and run --test-data bind files alike")
struct TestDataBindingCLITests {
    typealias M = ParametersFirstModel

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    func convert(_ dir: String, inputs: String) throws -> CLIResult {
        try CLI.run(["convert", dir + "/model.onnx", "-o", dir + "/frozen.onnx", "--model-id", "M", "--model-version", "1",
                     "--responsible", "Jane Doe", "--inputs", inputs])
    }

    @Test func unnamedTensorsFeedTheSameInputsInBothCommands() throws {
        let dir = try M.write()
        let set = dir + "/test_data_set_0"
        let run = try CLI.run(["run", dir + "/model.onnx", "--test-data", dir, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try json(run.stdout)
        #expect(report["passed"] as? Bool == true)
        let dataSet = try #require((report["dataSets"] as? [[String: Any]])?.first)
        let bound = try #require(dataSet["inputs"] as? [[String: String]])
        #expect(bound == [["name": "a", "file": set + "/input_0.pb"], ["name": "b", "file": set + "/input_1.pb"]])

        let converted = try convert(dir, inputs: dir)
        #expect(converted.status == 0, "\(converted.stderr)")
        let log = try json(String(decoding: try Data(contentsOf: URL(fileURLWithPath: dir + "/frozen.conversion-log.json")), as: UTF8.self))
        let equivalence = try #require(log["equivalence"] as? [String: Any])
        let sample = try #require((equivalence["samples"] as? [[String: Any]])?.first)
        let inputs = try #require(sample["inputs"] as? [String])
        let a = try FileDigest.sha256(ofFile: set + "/input_0.pb").sha256
        let b = try FileDigest.sha256(ofFile: set + "/input_1.pb").sha256
        #expect(inputs.sorted() == ["a: float32[2] sha256 \(a)", "b: float32[2] sha256 \(b)"])
    }

    /// Each refusal is the same in both commands: the same message and exit status.
    func expectBothRefuse(_ data: String, in dir: String, status: Int32, mentions: [String],
                          sourceLocation: SourceLocation = #_sourceLocation) throws {
        let run = try CLI.run(["run", dir + "/model.onnx", "--test-data", data], sourceLocation: sourceLocation)
        let converted = try convert(dir, inputs: data)
        for r in [run, converted] {
            #expect(r.status == status, "stderr: \(r.stderr)", sourceLocation: sourceLocation)
            for text in mentions {
                #expect(r.stderr.contains(text), "stderr should mention '\(text)': \(r.stderr)", sourceLocation: sourceLocation)
            }
        }
        #expect(run.stderr == converted.stderr, sourceLocation: sourceLocation)
        #expect(!FileManager.default.fileExists(atPath: dir + "/frozen.onnx"), sourceLocation: sourceLocation)
    }

    @Test func tensorNamedAfterNoInput() throws {
        let dir = try M.write()
        let data = Fixtures.temporaryDirectory()
        try M.writeTensors([("input_0", M.a, "a"), ("input_1", M.b, "bias"), ("output_0", M.s, "s")], in: data)
        try expectBothRefuse(data, in: dir, status: 65, mentions: ["\(data)/input_1.pb' holds tensor 'bias', which is not an input"])
    }

    @Test func missingInput() throws {
        let dir = try M.write()
        let data = Fixtures.temporaryDirectory()
        try M.writeTensors([("input_0", M.a, ""), ("output_0", M.s, "")], in: data)
        try expectBothRefuse(data, in: dir, status: 65, mentions: ["gives no value for input 'b' (float32[2])"])
    }

    @Test func missingDirectory() throws {
        let dir = try M.write()
        try expectBothRefuse(dir + "/absent", in: dir, status: 66, mentions: ["absent' does not exist or is not a directory"])
    }
}
