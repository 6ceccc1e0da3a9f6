import Foundation
import FreezerTestSupport
import Testing
@testable import freezer

/// End-to-end tests of `freezer run` on Tests/Fixtures/run_cli (scripts/make_run_fixtures.py): a
/// model of Identity, If and Loop with inputs x float32[2,3], flag bool[], count int64[].
@Suite("freezer run")
struct RunCommandTests {
    static let model = "Tests/Fixtures/run_cli/if_loop/model.onnx"
    static let data = "Tests/Fixtures/run_cli"
    static var goodInputs: [String] {
        ["--input", "x=\(data)/x.npy", "--input", "flag=\(data)/flag.npy", "--input", "count=\(data)/count.npy"]
    }

    @Test func testDataWithinToleranceExitsZero() throws {
        let r = try CLI.run(["run", Self.model, "--test-data", "\(Self.data)/if_loop"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("test_data_set_0"))
        #expect(r.stdout.contains("test_data_set_1"))
        #expect(r.stdout.contains("scan/out:0"))
        #expect(r.stdout.contains("float32[0,2,3]"), "the zero-iteration loop's scan output")
        #expect(r.stdout.contains("PASS: all 6 outputs of 2 data sets within tolerance"))
        #expect(r.stderr.isEmpty)
    }

    @Test func oneDataSetDirectory() throws {
        let r = try CLI.run(["run", Self.model, "--test-data", "\(Self.data)/if_loop/test_data_set_0"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("PASS: all 3 outputs of 1 data set"))
    }

    @Test func outputOutsideToleranceExitsOne() throws {
        let r = try CLI.run(["run", Self.model, "--test-data", "\(Self.data)/bad_expected"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("MISMATCH max abs error 0.5"))
        #expect(r.stdout.contains("FAIL: 1 of 3 outputs outside tolerance"))
        // A looser tolerance accepts it.
        let loose = try CLI.run(["run", Self.model, "--test-data", "\(Self.data)/bad_expected", "--atol", "0.6"])
        #expect(loose.status == 0)
    }

    @Test func jsonReportsPerOutputErrors() throws {
        let r = try CLI.run(["run", Self.model, "--test-data", "\(Self.data)/bad_expected", "--json"])
        #expect(r.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["passed"] as? Bool == false)
        let sets = try #require(object["dataSets"] as? [[String: Any]])
        let outputs = try #require(sets.first?["outputs"] as? [[String: Any]])
        #expect(outputs.map { $0["name"] as? String } == ["y", "loop/final:0", "scan/out:0"])
        #expect(outputs[0]["maxAbsError"] as? Double == 0.5)
        #expect(outputs[0]["passed"] as? Bool == false)
        #expect(outputs[2]["type"] as? String == "float32[3,2,3]")
    }

    @Test func inputsPrintOutputs() throws {
        let r = try CLI.run(["run", Self.model] + Self.goodInputs)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("scan/out:0"))
        #expect(r.stdout.contains("float32[2,2,3]"), "count.npy holds 2")
        #expect(r.stdout.contains("[-0.5, -0.25, 0, 0.25, 0.5, 0.75]"))
    }

    @Test func pbAndBigEndianNpyInputs() throws {
        let r = try CLI.run(["run", Self.model, "--input", "x=\(Self.data)/if_loop/test_data_set_0/input_0.pb",
                             "--input", "flag=\(Self.data)/flag.npy", "--input", "count=\(Self.data)/count.npy"])
        #expect(r.status == 0, "\(r.stderr)")
        let big = try CLI.run(["run", Self.model, "--input", "x=\(Self.data)/x_big_endian.npy",
                               "--input", "flag=\(Self.data)/flag.npy", "--input", "count=\(Self.data)/count.npy"])
        #expect(big.status == 0, "\(big.stderr)")
        #expect(big.stdout == r.stdout)
    }

    @Test func saveOutputsWritesSanitizedNpyFiles() throws {
        let dir = Fixtures.temporaryDirectory("freezer-run")
        let r = try CLI.run(["run", Self.model] + Self.goodInputs + ["--save-outputs", dir])
        #expect(r.status == 0, "\(r.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        #expect(names == ["loop_final_0.npy", "scan_out_0.npy", "y.npy"])
        let scan = try Data(contentsOf: URL(fileURLWithPath: dir + "/scan_out_0.npy"))
        #expect(scan.prefix(6) == Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]))
        #expect(String(decoding: scan.prefix(128), as: UTF8.self).contains("'descr': '<f4', 'fortran_order': False, 'shape': (2, 2, 3), }"))
        #expect(scan.count == 128 + 12 * 4)
    }

    @Test func repeatReportsLatency() throws {
        let r = try CLI.run(["run", Self.model] + Self.goodInputs + ["--repeat", "3", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let latency = try #require(object["latency"] as? [String: Any])
        #expect(latency["runs"] as? Int == 3)
        #expect((latency["medianMs"] as? Double ?? -1) >= 0)
        #expect((latency["minMs"] as? Double ?? .infinity) <= (latency["medianMs"] as? Double ?? 0))
    }

    @Test func profileReportsTimePerOperator() throws {
        let r = try CLI.run(["run", Self.model] + Self.goodInputs + ["--repeat", "2", "--profile", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let profile = try #require(object["profile"] as? [String: Any])
        #expect(profile["runs"] as? Int == 2)
        let operators = try #require(profile["operators"] as? [[String: Any]])
        #expect(!operators.isEmpty)
        #expect(operators.allSatisfy { ($0["nodesPerRun"] as? Double ?? 0) >= 1 && ($0["msPerRun"] as? Double ?? -1) >= 0 })
        let text = try CLI.run(["run", Self.model] + Self.goodInputs + ["--profile"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("profile (1 run,"))
        #expect(!text.stdout.contains("latency"))
    }

    @Test func threadsMustBePositive() throws {
        let r = try CLI.run(["run", Self.model] + Self.goodInputs + ["--threads", "0"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("--threads must be at least 1"))
        let ok = try CLI.run(["run", Self.model] + Self.goodInputs + ["--threads", "2"])
        #expect(ok.status == 0, "\(ok.stderr)")
    }

    @Test func helpTeachesWithExamples() throws {
        let r = try CLI.run(["run", "--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("Examples:"))
        #expect(r.stdout.contains("freezer run model.onnx --test-data"))
        #expect(r.stdout.contains("--save-outputs"))
        let top = try CLI.run(["--help"])
        #expect(top.stdout.contains("1   run: an output is outside the tolerance"))
    }

    // MARK: - Errors: one paragraph on stderr, a documented exit status

    func expectError(_ args: [String], status: Int32, mentions: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let r = try CLI.run(["run"] + args, sourceLocation: sourceLocation)
        #expect(r.status == status, "stderr: \(r.stderr)", sourceLocation: sourceLocation)
        for text in mentions {
            #expect(r.stderr.contains(text), "stderr should mention '\(text)': \(r.stderr)", sourceLocation: sourceLocation)
        }
        #expect(r.stdout.isEmpty, "nothing on stdout when an error stops the run", sourceLocation: sourceLocation)
    }

    @Test func missingInput() throws {
        try expectError([Self.model, "--input", "x=\(Self.data)/x.npy", "--input", "flag=\(Self.data)/flag.npy"],
                        status: 64, mentions: ["'count' (int64[])", "--input count="])
    }

    @Test func unknownInputName() throws {
        try expectError([Self.model, "--input", "image=\(Self.data)/x.npy"], status: 64,
                        mentions: ["no input named 'image'", "'x', 'flag', 'count'"])
    }

    @Test func wrongElementType() throws {
        try expectError([Self.model, "--input", "x=\(Self.data)/x_float64.npy", "--input", "flag=\(Self.data)/flag.npy",
                         "--input", "count=\(Self.data)/count.npy"],
                        status: 65, mentions: ["input 'x'", "x_float64.npy", "float64[2,3]", "float32[2,3]"])
    }

    @Test func wrongShape() throws {
        try expectError([Self.model, "--input", "x=\(Self.data)/x_wrong_shape.npy", "--input", "flag=\(Self.data)/flag.npy",
                         "--input", "count=\(Self.data)/count.npy"],
                        status: 65, mentions: ["input 'x'", "float32[3,2]", "float32[2,3]"])
    }

    @Test func malformedNpy() throws {
        let dir = Fixtures.temporaryDirectory("freezer-run")
        let bad = dir + "/bad.npy"
        try Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, 20, 0] + Array("{'descr': '<f4'".utf8)).write(to: URL(fileURLWithPath: bad))
        try expectError([Self.model, "--input", "x=\(bad)"], status: 65, mentions: [bad, "truncated .npy"])
        let text = dir + "/text.npy"
        try Data("x,y\n1,2\n".utf8).write(to: URL(fileURLWithPath: text))
        try expectError([Self.model, "--input", "x=\(text)"], status: 65, mentions: [text, "magic"])
    }

    @Test func malformedPb() throws {
        let dir = Fixtures.temporaryDirectory("freezer-run")
        let bad = dir + "/input_0.pb"
        try Data([0x0A, 0xFF, 0xFF, 0x01, 0x02]).write(to: URL(fileURLWithPath: bad))
        try expectError([Self.model, "--input", "x=\(bad)"], status: 65, mentions: [bad, "not a valid tensor file"])
        try expectError([Self.model, "--input", "x=\(Self.model)"], status: 65, mentions: ["ModelProto"])
    }

    @Test func missingFiles() throws {
        try expectError([Self.model, "--input", "x=\(Self.data)/absent.npy"], status: 66, mentions: ["absent.npy", "does not exist"])
        try expectError([Self.model, "--test-data", "\(Self.data)/absent"], status: 66, mentions: ["absent' does not exist or is not a directory"])
        try expectError([Self.model, "--test-data", "\(Self.data)/custom_op"], status: 66, mentions: ["holds no data for this model", "(x.npy, x.pb, flag.npy"])
        try expectError(["\(Self.data)/absent.onnx", "--test-data", "\(Self.data)/if_loop"], status: 66, mentions: ["absent.onnx"])
    }

    @Test func modelsTheEvaluatorCannotRunExitFive() throws {
        try expectError(["\(Self.data)/custom_op/model.onnx", "--input", "x=\(Self.data)/x.npy"], status: 5,
                        mentions: ["evaluation failed", "com.example.freezer::Mystery (opset 1)"])
        try expectError(["\(Self.data)/float_if/model.onnx", "--input", "x=\(Self.data)/x.npy"], status: 5,
                        mentions: ["node 'if_on_float' (If)", "must be a bool tensor"])
    }

    @Test func saveDirectoryMustExist() throws {
        try expectError([Self.model] + Self.goodInputs + ["--save-outputs", "\(Self.data)/no-such-dir"], status: 73,
                        mentions: ["no-such-dir", "does not exist"])
    }

    @Test func conflictingOptionsAreUsageErrors() throws {
        let both = try CLI.run(["run", Self.model, "--test-data", "\(Self.data)/if_loop", "--input", "x=\(Self.data)/x.npy"])
        #expect(both.status == 64)
        let tolerance = try CLI.run(["run", Self.model] + Self.goodInputs + ["--rtol", "0.1"])
        #expect(tolerance.status == 64)
        let badInput = try CLI.run(["run", Self.model, "--input", "x.npy"])
        #expect(badInput.status == 64)
        #expect(badInput.stderr.contains("NAME=FILE"))
    }

    // MARK: - Unit level

    @Test(arguments: [
        ("y", "y"), ("scan/out:0", "scan_out_0"), ("a\\b", "a_b"), ("tab\there", "tab_here"),
        ("..", "_.."), (".hidden", "_.hidden"), ("", "_"), ("résumé", "résumé"),
    ])
    func outputFileNames(name: String, file: String) {
        #expect(RunInputs.fileName(forOutput: name) == file)
    }

    @Test func inputAssignmentsMayContainEquals() throws {
        #expect(try RunInputs.parseAssignment("x=a.npy", inputNames: ["x"]) == ("x", "a.npy"))
        #expect(try RunInputs.parseAssignment("a=b=c.npy", inputNames: ["a=b"]) == ("a=b", "c.npy"))
        #expect(try RunInputs.parseAssignment("x=dir/a=b.npy", inputNames: ["x"]) == ("x", "dir/a=b.npy"))
        #expect(throws: RunError.self) { try RunInputs.parseAssignment("x", inputNames: ["x"]) }
        #expect(throws: RunError.self) { try RunInputs.parseAssignment("=a.npy", inputNames: ["x"]) }
    }
}
