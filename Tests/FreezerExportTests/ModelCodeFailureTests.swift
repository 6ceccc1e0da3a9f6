import Foundation
import FreezerTestSupport
import Testing
@testable import FreezerExport

/// An exception the model's own code raises in the driver is the user's input refused, named by the
/// driver's step and the model's file and line; it is not freezer's internal error.
@Suite("Export: the model's own code fails", .enabled(if: TrainingEnvironment.hasTorch, "python3 with torch and onnx is needed: pip install torch onnx"))
struct ModelCodeFailureTests {
    let example = ExampleProject(name: "pytorch-cnn", package: "cnn")

    /// The example's model as a subclass of nn.Sequential (the checkpoint's keys stay), with `forward` as given.
    static func model(forward: String, helpers: String = "") -> String {
        """
        import torch
        from cnn.nets import build as base


        class Model(torch.nn.Sequential):
            def forward(self, x):
        \(forward)
        \(helpers)

        def build():
            return Model(*base())

        """
    }

    func expectFailure(_ module: String, _ check: (ModelCodeFailure) -> Bool) throws {
        try example.expectRefusal(example.recipe(replacing: "cnn.nets:build", with: "cnn.user:build"), modules: ["user": module]) { e in
            guard case .modelCodeFailed(let failure) = e else { Issue.record("not the model's code failing: \(e)"); return false }
            return check(failure)
        }
    }

    @Test func namesAnExceptionRaisedWhileImportingTheFactorysModule() throws {
        try expectFailure("import torch\nlimit = 1 / 0\n") { f in
            f.phase == .factory && f.file == "src/cnn/user.py" && f.line == 2 && f.function == "<module>"
                && f.exception == "ZeroDivisionError: division by zero" && f.raisedIn == nil
                && f.description.contains("while loading the factory: ZeroDivisionError: division by zero\nraised at src/cnn/user.py:2")
        }
    }

    @Test func namesAnExceptionRaisedInTheModelsForward() throws {
        let model = Self.model(forward: "        return check(super().forward(x))",
                               helpers: "\ndef check(y):\n    raise ValueError(\"logits out of range\")\n")
        try expectFailure(model) { f in
            f.phase == .inference && f.file == "src/cnn/user.py" && f.line == 10 && f.function == "check"
                && f.exception == "ValueError: logits out of range"
                && f.frames == ["src/cnn/user.py:7 in forward", "src/cnn/user.py:10 in check"]
        }
    }

    /// A forward that works in inference mode but raises when the exporter traces it in training mode: the
    /// model cannot be exported so (exit 3, as for the exporter failing), not a bad input.
    @Test func namesAnExceptionRaisedWhileTheExporterTraces() throws {
        let model = Self.model(forward: "        if self.training:\n            raise RuntimeError(\"no training mode\")\n        return super().forward(x)")
        try expectFailure(model) { f in
            f.phase == .export && f.line == 8 && f.exception == "RuntimeError: no training mode"
                && f.description.contains("export in another mode (export.training, export.exporter)")
        }
    }

    /// Raised in a library the model's code called (here argparse exiting because the module parses the
    /// command line at import): the model's innermost frame is named, and where the library raised it.
    @Test func namesTheModelsCallIntoALibraryThatRaised() throws {
        try expectFailure("import argparse\nparser = argparse.ArgumentParser()\nparser.add_argument('--data', required=True)\nargs = parser.parse_args()\n") { f in
            f.phase == .factory && f.file == "src/cnn/user.py" && f.line == 4 && f.exception == "SystemExit: 2"
                && (f.raisedIn?.hasPrefix("argparse.py:") ?? false)
        }
    }

    /// A module the model's code imports that the environment lacks is a missing package (exit 69).
    @Test func namesAModuleTheModelImportsThatIsNotInstalled() throws {
        try example.expectRefusal(example.recipe(replacing: "cnn.nets:build", with: "cnn.user:build"),
                                  modules: ["user": "import torch\nimport freezer_no_such_module\n"]) { e in
            guard case .packageMissing(let m) = e else { return false }
            return m.contains("the module 'freezer_no_such_module', imported by the model's code at ") && m.contains("src/cnn/user.py:2")
                && m.contains("pip install freezer_no_such_module")
        }
    }

    /// A driver that dies without a result (a crash in native code, os._exit) after it reported a step is
    /// named with that step, not taken for an interpreter that cannot run the driver.
    @Test func namesTheStepADriverDiedIn() throws {
        let crash = "import os\nimport signal\n\n\ndef build():\n    os.kill(os.getpid(), signal.SIGSEGV)\n"
        try example.expectRefusal(example.recipe(replacing: "cnn.nets:build", with: "cnn.user:build"), modules: ["user": crash]) { e in
            guard case let .driverStopped(phase, status, signaled, _) = e else { return false }
            return phase == .factory && status == SIGSEGV && signaled
                && e.description.hasPrefix("the export driver was killed by signal 11 while loading the factory, without a result")
        }
        try example.expectRefusal(example.recipe(replacing: "cnn.nets:build", with: "cnn.user:build"),
                                  modules: ["user": "import os\n\n\ndef build():\n    os._exit(7)\n"]) { e in
            guard case let .driverStopped(phase, status, signaled, _) = e else { return false }
            return phase == .factory && status == 7 && !signaled
        }
    }
}
