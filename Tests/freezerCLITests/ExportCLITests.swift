import Foundation
import FreezerExport
import FreezerTestSupport
import Testing
@testable import freezer

/// `freezer export` from the command line: the documented exit code and message for each refusal that
/// needs no training framework, and each export error's code.
@Suite("freezer export CLI")
struct ExportCLITests {
    static let codes: [(ExportError, Int32)] = [
        (.recipeMissing("r"), 66), (.badRecipe("r", "m"), 65), (.interpreterNotFound("p"), 69), (.interpreterFailed(interpreter: "p", status: 1, standardError: ""), 69), (.packageMissing("m"), 69),
        (.factoryInvalid("m"), 65), (.checkpointMissing("m"), 66), (.checkpointMismatch("m"), 65), (.inputRejected("m"), 65),
        (.modelCodeFailed(ModelCodeFailure(phase: .factory, file: "f.py", line: 1, function: "f", exception: "E")), 65),
        (.modelCodeFailed(ModelCodeFailure(phase: .inference, file: "f.py", line: 1, function: "f", exception: "E")), 65),
        (.modelCodeFailed(ModelCodeFailure(phase: .export, file: "f.py", line: 1, function: "f", exception: "E")), 3),
        (.driverStopped(phase: .framework, status: 11, signaled: true, standardError: ""), 69),
        (.driverStopped(phase: .checkpoint, status: 11, signaled: true, standardError: ""), 65),
        (.driverStopped(phase: .export, status: 9, signaled: true, standardError: ""), 3),
        (.exporterFailed("m"), 3), (.parameterDifferences("m"), 3), (.driverFailed("m"), 70),
        (.timedOut(seconds: 1, mode: "export", standardError: ""), 75), (.frameworkNotEquivalent("m"), 4), (.cannotWrite("p", "r"), 73),
    ]

    @Test(arguments: codes)
    func exitCodes(error: ExportError, code: Int32) {
        #expect(ExitStatus.code(for: error) == code, "\(error)")
    }

    @Test func refusesBeforeRunningAnyPython() throws {
        let dir = Fixtures.temporaryDirectory("freezer-export-cli")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let missing = try CLI.run(["export", dir + "/nothing.yaml"])
        #expect(missing.status == 66 && missing.stderr.contains("the recipe '\(dir)/nothing.yaml' does not exist"))

        try "framework: pytorch\nmodel: {checkpoint: c.pt}\n".write(toFile: dir + "/bad.yaml", atomically: true, encoding: .utf8)
        let bad = try CLI.run(["export", dir + "/bad.yaml"])
        #expect(bad.status == 65 && bad.stderr.contains("'model.factory' is missing"))

        let recipe = """
            framework: pytorch
            python: env/bin/python
            model: {factory: m:build, checkpoint: c.pt}
            inputs: [{name: x, shape: [1, 2]}]
            export: {exporter: torchscript}
            model_id: M
            model_version: "1"
            responsible: J
            output: frozen.onnx
            """
        try recipe.write(toFile: dir + "/r.yaml", atomically: true, encoding: .utf8)
        let noPython = try CLI.run(["export", dir + "/r.yaml"])
        #expect(noPython.status == 69 && noPython.stderr.contains("'\(dir)/env/bin/python' was not found"))

        // An executable that is not Python: it runs, but the driver leaves no result.
        try recipe.replacingOccurrences(of: "python: env/bin/python", with: "python: /bin/false").write(toFile: dir + "/r.yaml", atomically: true, encoding: .utf8)
        let notPython = try CLI.run(["export", dir + "/r.yaml"])
        #expect(notPython.status == 69 && notPython.stderr.contains("'/bin/false' exited with status 1 without running freezer's driver"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["bad.yaml", "r.yaml"])
    }
}
