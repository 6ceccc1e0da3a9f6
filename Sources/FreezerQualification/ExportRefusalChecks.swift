import Foundation
import FreezerExport

/// Qualification tests of `freezer export`'s refusals. No framework is needed: a missing or unusable
/// recipe and a missing interpreter are refused before any runs, and for the rest a stand-in interpreter
/// made here (a shell script in the test directory) does what the training environment's Python would:
/// reports each refusal kind of freezer's driver as the driver writes it, exits without a result, or
/// never finishes. Each must end with the rule's exit code, relay the message, and leave nothing beside
/// the output (no frozen model, log, exported model or scratch directory).
enum ExportRefusalChecks {
    static func all() -> [QualificationCheck] {
        [
            check("REF-EXPORT-RECIPE-MISSING", "a recipe path that does not exist", recipe: nil, mentions: { "\($0)/recipe.yaml" }),
            check("REF-EXPORT-RECIPE-INVALID", "a recipe with an unknown key", recipe: recipe("python3", "learning_rate: 0.1"), mentions: { _ in "learning_rate" }),
            check("REF-EXPORT-INTERPRETER", "a recipe whose interpreter does not exist", recipe: recipe("./no-such-python", ""), mentions: { _ in "no-such-python" }),
            check("REF-EXPORT-NOT-PYTHON", "an interpreter that exits with status 3 and no driver result", recipe: recipe("./stand-in-python", ""),
                  interpreter: "echo 'not a Python' >&2\nexit 3", mentions: { "\($0)/stand-in-python" }),
            check("REF-EXPORT-TIMEOUT", "a driver run that does not finish within timeout_seconds 0.3", recipe: recipe("./stand-in-python", "timeout_seconds: 0.3"),
                  interpreter: "exec sleep 30", mentions: { _ in "timeout_seconds" }),
        ] + ExportError.driverRefusalKinds.sorted { $0.key < $1.key }.map { id, kind in
            let message = "stand-in driver reports \(kind.rawValue) (freezer qualify)"
            // What the driver does: write {"ok": false, "error": {kind, message}} to the request's result_path.
            let script = """
                result=$(sed -e 's/.*"result_path":"\\([^"]*\\)".*/\\1/' -e 's/\\\\\\//\\//g' "$2")
                printf '%s' '{"ok": false, "error": {"kind": "\(kind.rawValue)", "message": "\(message)"}}' > "$result"
                """
            return check(id, "the driver reporting \(kind.rawValue)", recipe: recipe("./stand-in-python", ""), interpreter: script, mentions: { _ in message })
        }
    }

    static func recipe(_ python: String, _ extra: String) -> String {
        """
        framework: pytorch
        python: \(python)
        model: {factory: nets:build, checkpoint: checkpoint.pt}
        inputs:
          - {name: input, shape: [1, 3, 8, 8], dtype: float32}
        export: {exporter: torchscript, opset: 17, training: train}
        model_id: QUALIFY
        model_version: "1"
        responsible: freezer qualify
        \(extra)
        """
    }

    /// `recipe` (nil: none) in a directory of its own, with `interpreter` as the body of the stand-in
    /// Python beside it; the export writes to `out/` there, which must stay empty.
    static func check(_ id: String, _ input: String, recipe: String?, interpreter: String? = nil,
                      mentions: @escaping @Sendable (String) -> String) -> QualificationCheck {
        let exit = Specification.refusalExitCodes[id] ?? -1
        return QualificationCheck(id: "QT-\(id)", requirements: [id],
                                  expected: "\(input): refused with exit \(exit), the message names the culprit, nothing written beside the output") { context in
            let directory = context.path(id.lowercased()), out = directory + "/out"
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let path = directory + "/recipe.yaml"
            if let recipe { try Data(recipe.utf8).write(to: URL(fileURLWithPath: path)) }
            if let interpreter {
                let script = directory + "/stand-in-python"
                try Data("#!/bin/sh\n# A stand-in for the training environment's Python (freezer qualify).\n\(interpreter)\n".utf8).write(to: URL(fileURLWithPath: script))
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
            }
            do {
                _ = try Export.run(recipePath: path, output: out + "/frozen.onnx", commandLine: ["freezer", "export"])
            } catch {
                let code = context.exitCode(error), message = String(describing: error), culprit = mentions(directory)
                try require(code == exit, "exit \(code), expected \(exit): \(message)")
                try require(message.contains(culprit), "the message does not name '\(culprit)': \(message)")
                let left = try FileManager.default.contentsOfDirectory(atPath: out)
                try require(left.isEmpty, "left beside the output: \(left.joined(separator: ", "))")
                return "exit \(code): \(CLIRefusalChecks.firstLine(message))"
            }
            throw CheckFailure("the export succeeded")
        }
    }
}
