import ArgumentParser
import Foundation
import FreezerIR
import FreezerInspect
import FreezerONNX

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Summarize a model and list every training-specific construct it holds.",
        discussion: """
            Prints the model's identity (SHA-256 of the file and of each external data file), its \
            signature and operators, and the training-specific constructs found, grouped by the \
            categories of the Model Conversion Log: Dropout, Batch Normalization, Gradient Clipping, \
            Learning Rate Scheduling, Weight Regularization (L1, L2), plus gradient/optimizer operations, \
            loss computations, training_info and parameters. A category reported as "not present" was \
            searched. Weights in external data files are not read, only hashed.

            The exit code is 0 whether or not training constructs are found; it is non-zero only when \
            the model cannot be read or is invalid (see `freezer --help`).

            Examples:
              freezer inspect model.onnx
              freezer inspect model.onnx --json > model.inspect.json
            """
    )

    @Argument(help: "The ONNX model file (.onnx). External data files are found relative to its directory.")
    var model: String

    @Flag(help: "Print the report as JSON (schema: docs/inspect-json.md) instead of text.")
    var json = false

    func run() throws {
        try runReportingErrors {
            let loaded = try ModelLoader.load(path: model)
            let issues = Validator.validate(loaded.model)
            guard issues.isEmpty else { throw InvalidModelError(path: model, issues: issues) }
            let report = Inspector.inspect(loaded.model, source: InspectSource(loaded.source))
            if json {
                FileHandle.standardOutput.write(try report.jsonData())
                print()
            } else {
                print(InspectTextRenderer.render(report), terminator: "")
            }
        }
    }
}

extension InspectSource {
    init(_ source: ModelSource) {
        self.init(path: source.path, size: source.size, sha256: source.sha256,
                  dataFiles: source.dataFiles.map { .init(location: $0.location, size: $0.size, sha256: $0.sha256) })
    }
}
