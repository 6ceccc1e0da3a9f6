import ArgumentParser
import Foundation
import FreezerConvert
import FreezerLog
import FreezerONNX

struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Freeze a verified learning model for inference, prove equivalence, and write the Model Conversion Log.",
        discussion: """
            Removes every training-specific operation (Dropout, training-mode BatchNormalization, gradient, \
            optimizer, loss, regularization, clipping and learning-rate computations, training_info), removes \
            random-draw regularizers it proves are the identity at inference (drop path, dropout masks, \
            DropBlock, Gaussian noise; an unproven random draw is refused, naming the node), folds \
            BatchNormalization into the preceding Conv/ConvTranspose/Gemm/MatMul, and makes parameters \
            constants. Then it runs the original (in inference mode) and the frozen model on the same inputs \
            with freezer's own evaluator and compares every output. Nothing is written unless every check \
            passes; the input is never modified.

            Equivalence criterion (default: "as exact as the original"): the original is also evaluated in \
            float64, with weights and inputs widened exactly (the exact reference). Per floating-point output, \
            the frozen model's error against it, max and rms, may be at most k = 4 times the original's own \
            error plus a floor of 4 units in the last place at the output's scale. Integer and boolean \
            outputs must equal the original's (except within rounding of a tie). --rtol/--atol declare a fixed \
            elementwise tolerance instead. The log records which criterion decided, the statistics and a \
            histogram of the errors. See docs/equivalence-criterion.md.

            Writes the frozen model to -o and the conversion log (JSON) to --log, by default \
            FROZEN.conversion-log.json beside the frozen model. The same input and options always give a \
            byte-identical frozen model.

            Examples:
              freezer convert resnet_train.onnx -o resnet_frozen.onnx \\
                  --model-id RESNET18 --model-version 3 --responsible "Jane Doe"
              freezer convert model.onnx -o frozen.onnx --model-id M --model-version 1 --responsible "J. Doe" \\
                  --input-shape input=1x3x224x224 --samples 16 --expect-sha256 <hex>
              freezer convert model.onnx -o frozen.onnx ... --inputs calibration_inputs/   (npy or pb files)

            Exit codes: 0 converted and equivalent; 3 conversion impossible (e.g. a running statistic is \
            read at inference, an --output that exists only in training such as a Dropout mask, parameters \
            without values, training ops left); 4 equivalence failed; \
            64 usage; 65 invalid model; 66 missing input; 73 cannot write. See `freezer --help`.
            """
    )

    @Argument(help: "The verified learning model (.onnx); external data files are read from its directory.")
    var model: String

    @Option(name: [.customShort("o"), .customLong("frozen-model")], help: "Where to write the frozen model (its directory must exist).")
    var output: String

    @Option(help: "Where to write the conversion log (default: FROZEN.conversion-log.json beside the frozen model).")
    var log: String?

    @Option(name: .customLong("model-id"), help: "Model ID of the verified learning model (the log's <Model_ID>).")
    var modelID: String

    @Option(name: .customLong("model-version"), help: "Version of the verified learning model (the log's <Model_ID_version>).")
    var modelVersion: String

    @Option(help: "The person who converts the model, recorded as Responsible.")
    var responsible: String

    @Option(name: .customLong("output"), parsing: .singleValue,
            help: ArgumentHelp("Keep exactly these graph outputs (repeatable). Default: every output that is not training-only.", valueName: "name"))
    var outputNames: [String] = []

    @Flag(name: .customLong("external-data"), help: "Store tensors of 1 KiB or more in FROZEN.onnx.data (default: only when the model would exceed 2 GiB).")
    var externalData = false

    @Option(help: ArgumentHelp("onnxruntime-training checkpoint holding the parameter values of training_model.onnx or eval_model.onnx (generate_artifacts declares the parameters as inputs without values). Recorded, with its SHA-256, as a data file of the verified learning model.", valueName: "path"))
    var checkpoint: String?

    @Option(name: .customLong("expect-sha256"), help: "Refuse to convert unless the input's SHA-256 is this (the digest of the verified model).")
    var expectSHA256: String?

    @Flag(name: .customLong("no-verify"), help: "Skip the equivalence check (the log then says so).")
    var noVerify = false

    @Flag(name: .customLong("keep-failed"), help: "When equivalence fails, keep the frozen model as FROZEN.failed.onnx for debugging.")
    var keepFailed = false

    @Flag(name: .customLong("record-host"), help: "Record the host name in the log's environment information.")
    var recordHost = false

    @OptionGroup(title: "Equivalence check")
    var check: EquivalenceCheckOptions

    @Flag(help: "Print the conversion summary as JSON; a refusal too (refused, exitCode, error and, for a model that is not equivalent, the check as the log records it).")
    var json = false

    @Flag(help: "Show progress on stderr even when it is not a terminal.")
    var progress = false

    func run() throws {
        try runReportingErrors {
            do { try convert() } catch where json && !(error is ExitCode) {
                // A program reading --json learns of a refusal from standard output too.
                try JSONOutput.print(ConversionRefusal(error))
                throw error
            }
        }
    }

    private func convert() throws {
            let storage: ModelSaver.Options.ExternalData = externalData ? .always : ConversionOptions.defaultExternalData
            let options = ConversionOptions(
                input: model, output: output, log: log, modelID: modelID, modelVersion: modelVersion, responsible: responsible,
                outputs: outputNames, inputShapes: try check.shapes(), inputsDirectory: check.inputs, samples: check.samples, seed: check.seed,
                rtol: check.rtol, atol: check.atol, externalData: storage, expectSHA256: expectSHA256,
                verify: !noVerify, keepFailed: keepFailed, threads: check.threads, recordHost: recordHost, checkpoint: checkpoint)
            // Erased before the summary or an error message is written.
            let display = ProgressDisplay.standardError(requested: progress)
            defer { display?.finish() }
            let outcome = try Conversion.run(options, commandLine: CommandLine.arguments, progress: display?.report)
            display?.finish()
            if json {
                try JSONOutput.print(ConversionSummary(outcome))
            } else {
                print(ConversionSummary(outcome).text, terminator: "")
            }
    }
}
