import Foundation

/// What freezer asks of the driver (JSON; the driver's keys, snake_case).
struct DriverRequest: Encodable {
    struct Input: Encodable {
        var name: String
        var shape: [Int]
        var dtype: String
    }

    var mode: String
    var framework: String
    var factory: String?
    var python_path: [String]
    var imports: [String]
    var checkpoint: String
    var inputs: [Input]
    var export: [String: JSONValue]
    var accept_parameter_differences: Bool
    var result_path: String
    var exported_path: String?
    /// `infer`: per sample, the .npy file of each input by name; the outputs go to `outputs_dir`.
    var feeds: [[String: String]]?
    var outputs_dir: String?
    /// Where the driver appends its phase events (see `DriverEvents`).
    var events_path: String?
    /// freezer's process: the driver ends when it does, so a killed export leaves no driver writing.
    var parent_pid: Int32 = ProcessInfo.processInfo.processIdentifier

    init(mode: String, recipe: Recipe, resultPath: String) {
        self.mode = mode
        framework = recipe.framework.rawValue
        factory = recipe.factory
        python_path = recipe.pythonPath.map(recipe.resolve)
        imports = recipe.imports
        checkpoint = recipe.resolve(recipe.checkpoint)
        inputs = recipe.inputs.map { Input(name: $0.name, shape: $0.shape, dtype: $0.dtype) }
        export = recipe.export
        accept_parameter_differences = recipe.acceptParameterDifferences
        result_path = resultPath
    }
}
