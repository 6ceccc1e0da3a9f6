import ArgumentParser
import Foundation
import FreezerExport

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a PyTorch or Keras model with freezer's driver, freeze it, and check it against the framework itself.",
        discussion: """
            RECIPE (YAML, docs/export-recipe.schema.json) names the framework, the training environment's \
            interpreter, the model's factory and checkpoint, the inputs, the exporter's parameters, and the \
            log's model ID, version and person. PyTorch: a factory (module:function) and a state_dict; \
            exporter torchscript or dynamo. Keras: a .keras or .h5 file; exporter tf2onnx. freezer runs its built-in Python driver (its SHA-256 is \
            logged) in that interpreter, without a shell and with the recipe's timeout: it records the Python, \
            package versions and `pip freeze`, loads the checkpoint (SHA-256 recorded), exports from a copy of \
            the model and compares every exported initializer with the checkpoint (a difference is refused \
            unless the recipe accepts it; a training-mode export holds BatchNorm running statistics), and \
            runs the model in inference mode on the equivalence check's inputs. freezer then converts the \
            exported model exactly as `convert` does and also compares the frozen model with the framework's \
            outputs. Nothing is written unless everything passes; then FROZEN, its log, and the exported \
            model as FROZEN.exported.onnx.

            Example:
              freezer export examples/pytorch-cnn/recipe.yaml

            An exception raised by the model's own code (any Python file that is neither freezer's driver nor \
            installed in the environment: the factory's module and what it imports, the model's forward, a \
            custom layer) is named with the driver's step, the model's file and line, and the exception; a driver \
            that dies in a step without a result (a crash in native code, out of memory) is named with that step.

            Exit codes: 0 exported, frozen and equivalent; 3 the exporter failed (or the model's code raised \
            while it traced the model) or the exported parameters differ from the checkpoint, or the model \
            cannot be frozen; 4 not equivalent (to the exported model or to the framework); 65 invalid recipe, \
            factory, checkpoint keys or input shapes, or the model's code raised (or the driver died) while loading \
            or running; \
            66 recipe or checkpoint missing; 69 interpreter or package missing (also a module the model's code \
            imports); 70 a failure inside freezer's driver; 73 cannot write; 75 timeout.
            """
    )

    @Argument(help: "The export recipe (YAML).")
    var recipe: String

    @Option(name: [.customShort("o"), .customLong("frozen-model")], help: "Where to write the frozen model (default: the recipe's output).")
    var output: String?

    @Option(help: "Where to write the conversion log (default: FROZEN.conversion-log.json beside the frozen model).")
    var log: String?

    @Flag(help: "Show progress on stderr even when it is not a terminal (the driver's step and its time, then the conversion's).")
    var progress = false

    func run() throws {
        try runReportingErrors {
            let display = ProgressDisplay.standardError(requested: progress)
            defer { display?.finish() }
            let outcome = try Export.run(recipePath: recipe, output: output, log: log, commandLine: CommandLine.arguments,
                                         progress: display?.report)
            display?.finish()
            print(ConversionSummary(outcome.conversion).text, terminator: "")
            print("exported model: \(outcome.exportedModel)")
            let worst = outcome.framework.outputs.map { "\($0.name) max |frozen − framework| \($0.maxAbsError)" }.joined(separator: ", ")
            print("framework check: equivalent on \(outcome.framework.samples) samples (\(worst))")
        }
    }
}
