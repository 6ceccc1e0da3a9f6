import ArgumentParser
import Foundation
import FreezerConvert

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Check that model B computes what model A computes at inference, with convert's equivalence criterion.",
        discussion: """
            For any two models with the same inputs and outputs: a model frozen by freezer or by another tool, \
            two versions of an export. A plays the verified learning model's part: it is evaluated with \
            inference semantics (Dropout as identity, BatchNormalization on running statistics; no change for \
            a model already in inference form), in float64 (the exact reference) and in its own precision. B \
            plays the frozen model's part and is evaluated as written.

            By default B must be as exact as A: per floating-point output, B's error against the exact \
            reference may be at most k times A's own error plus a floor of a few units in the last place \
            (k and the floor are printed; see docs/equivalence-criterion.md). Integer and boolean outputs \
            must be equal, except within rounding of a tie. --rtol/--atol declare a fixed elementwise \
            tolerance |B − A| ≤ atol + rtol·|A| instead. Prints the statistics of B and A against the exact \
            reference and of B against A, and a histogram of the errors per decade.

            Examples:
              freezer compare model_train.onnx frozen.onnx
              freezer compare model_eval.onnx other_tool_frozen.onnx --input-shape batch=4 --samples 16
              freezer compare a.onnx b.onnx --inputs calibration_inputs/ --json

            Exit codes: 0 equivalent; 4 not equivalent; 5 cannot evaluate a model; 64 usage; 65 invalid \
            model or the models' inputs/outputs differ; 66 missing input.
            """
    )

    @Argument(help: "Model A, the reference (evaluated with inference semantics).")
    var a: String

    @Argument(help: "Model B, the candidate (evaluated as written).")
    var b: String

    @OptionGroup(title: "Equivalence check")
    var check: EquivalenceCheckOptions

    @Flag(help: "Print the result as JSON (the equivalence record of the conversion log, with both models' digests).")
    var json = false

    @Flag(help: "Show progress on stderr even when it is not a terminal.")
    var progress = false

    func run() throws {
        try runReportingErrors {
            let options = Comparison.Options(a: a, b: b, inputsDirectory: check.inputs, inputShapes: try check.shapes(),
                                             samples: check.samples, seed: check.seed, rtol: check.rtol, atol: check.atol, threads: check.threads)
            // Erased before the result or an error message is written.
            let display = ProgressDisplay.standardError(requested: progress)
            defer { display?.finish() }
            let outcome = try Comparison.run(options, progress: display?.report)
            display?.finish()
            if json {
                try JSONOutput.print(outcome)
            } else {
                print("A  \(outcome.a.path)  sha256 \(outcome.a.sha256)")
                print("B  \(outcome.b.path)  sha256 \(outcome.b.sha256)")
                for warning in outcome.warnings { print("warning: \(warning)") }
                print(outcome.report.text(names: .comparison), terminator: "")
            }
            if outcome.report.verdict != .equivalent { throw ExitCode(ExitStatus.notEquivalent) }
        }
    }
}
