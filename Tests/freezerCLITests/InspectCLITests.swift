import Foundation
import FreezerTestSupport
import Testing

@Suite("freezer inspect (end to end)")
struct InspectCLITests {
    @Test func listsEveryBatchNormAndDropoutOfATrainingExport() throws {
        let r = try CLI.run(["inspect", Fixtures.model("torch_cnn_train")])
        #expect(r.status == 0, "\(r.stderr)")
        for bn in ["/bn1/BatchNormalization", "/bn2/BatchNormalization", "/bn3/BatchNormalization", "/bn4/BatchNormalization"] {
            #expect(r.stdout.contains(bn))
        }
        #expect(r.stdout.contains("/drop1/Dropout") && r.stdout.contains("/drop2/Dropout"))
        #expect(r.stdout.contains("training_mode constant true"))
        #expect(r.stdout.contains("Gradient Clipping: not present"))
        #expect(r.stdout.contains("sha256"))
    }

    @Test func jsonIsStableAndDecodable() throws {
        let a = try CLI.run(["inspect", "--json", Fixtures.model("training_info_adam")])
        let b = try CLI.run(["inspect", "--json", Fixtures.model("training_info_adam")])
        #expect(a.status == 0)
        #expect(a.stdout == b.stdout)
        let object = try JSONSerialization.jsonObject(with: Data(a.stdout.utf8)) as? [String: Any]
        #expect(object?["schemaVersion"] as? String == "1")
        #expect((object?["categories"] as? [Any])?.count == 9)
    }

    struct BadCase: Sendable, CustomTestStringConvertible {
        var file: String
        var status: Int32
        var mentions: String
        var testDescription: String { file }
    }

    static let badCases: [BadCase] = [
        BadCase(file: "does-not-exist.onnx", status: 66, mentions: "does not exist"),
        BadCase(file: "bad", status: 66, mentions: "is a directory"),
        BadCase(file: "bad/empty.onnx", status: 65, mentions: "empty"),
        BadCase(file: "bad/truncated.onnx", status: 65, mentions: "malformed"),
        BadCase(file: "bad/not_a_model.onnx", status: 65, mentions: "not a valid ONNX model"),
        BadCase(file: "bad/graph_proto.onnx", status: 65, mentions: "GraphProto"),
        BadCase(file: "bad/tensor_proto.onnx", status: 65, mentions: "TensorProto"),
        BadCase(file: "bad/no_graph.onnx", status: 65, mentions: "without a graph"),
        BadCase(file: "bad/no_opset.onnx", status: 65, mentions: "opset_import"),
        BadCase(file: "bad/cycle.onnx", status: 65, mentions: "cycle"),
        BadCase(file: "bad/dangling.onnx", status: 65, mentions: "which no node"),
        BadCase(file: "bad/duplicate_output.onnx", status: 65, mentions: "defined twice"),
        BadCase(file: "bad/initializer_shape_mismatch.onnx", status: 65, mentions: "should hold"),
        BadCase(file: "bad/untyped_io.onnx", status: 65, mentions: "has no type"),
        BadCase(file: "bad/external_escape/model.onnx", status: 65, mentions: "'..'"),
        BadCase(file: "bad/external_missing/model.onnx", status: 66, mentions: "does not exist"),
        BadCase(file: "bad/external_absolute/model.onnx", status: 65, mentions: "is an absolute path"),
        BadCase(file: "bad/external_out_of_range/model.onnx", status: 65, mentions: "runs past the end"),
    ]

    @Test(arguments: badCases)
    func badInputGivesAClearErrorAndExitCode(_ c: BadCase) throws {
        let r = try CLI.run(["inspect", Fixtures.path(c.file)])
        #expect(r.status == c.status, "stderr: \(r.stderr)")
        #expect(r.stderr.hasPrefix("freezer: error: "))
        #expect(r.stderr.contains(c.mentions), "stderr: \(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(!r.stderr.contains("Fatal error"))
    }

    @Test func missingArgumentIsAUsageError() throws {
        let r = try CLI.run(["inspect"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("Missing expected argument"))
    }

    @Test func helpTeachesExitCodes() throws {
        let r = try CLI.run(["--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("EXIT CODES"))
        #expect(r.stdout.contains("inspect") && r.stdout.contains("convert"))
    }
}

@Suite("freezer inspect lists parameters")
struct InspectParametersCLITests {
    @Test func everyParameterOfTheTrainingExportIsListed() throws {
        let r = try CLI.run(["inspect", Fixtures.model("torch_cnn_train")])
        #expect(r.status == 0)
        for name in ["conv1.weight", "bn1.running_mean", "bn4.running_var", "fc2.bias"] {
            #expect(r.stdout.contains(name), "\(name) missing")
        }
        let json = try CLI.run(["inspect", "--json", Fixtures.model("external_data_single")])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        let parameters = (object["summary"] as! [String: Any])["parameters"] as! [[String: Any]]
        #expect(parameters.count == 10)
        #expect(parameters.contains { ($0["storage"] as? String) == "external: weights.bin" })
    }
}
