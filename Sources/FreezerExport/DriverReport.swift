/// What the driver writes to its result file (JSON, snake_case keys as Python writes them).
struct DriverReport: Decodable {
    struct Failure: Decodable {
        var kind: String
        var message: String
        /// `model_code`: the step, the innermost frame of the model's code, where a library raised it, and
        /// the model's frames.
        var phase: String?
        var file: String?
        var line: Int?
        var function: String?
        var raised_in: String?
        var frames: [String]?
    }

    struct Environment: Decodable {
        var python_version: String
        var python_implementation: String
        var python_executable: String
        var python_build: String
        var platform: String
        var machine: String
        var packages: [String: String?]
        var pip_freeze: String
        var pip_freeze_sha256: String
        var pip_freeze_problem: String?
    }

    struct FileRead: Decodable {
        var role: String
        var path: String
        var sha256: String
        var size: Int
    }

    struct Exporter: Decodable {
        var framework: String
        var framework_version: String
        var exporter: String
        var training: String
        var call: String
        var parameters: [String: JSONText]
        var held_running_statistics: [String]
        var args: [Argument]
        var warnings: [String]?
    }

    struct Argument: Decodable {
        var name: String
        var shape: [Int]
        var dtype: String
    }

    struct ParameterCheck: Decodable {
        struct Difference: Decodable {
            var name: String
            var max_abs_difference: Double?
            var detail: String
        }
        var compared: [String]
        var differences: [Difference]
        var not_in_checkpoint: [String]
        var not_exported: [String]
        var matches: [Match]?
    }

    struct Match: Decodable {
        var tensor: String
        var initializer: String
        var transform: String
    }

    var ok: Bool
    var error: Failure?
    var environment: Environment?
    var files_read: [FileRead]?
    var exporter: Exporter?
    var parameter_check: ParameterCheck?
    var outputs: [[String]]?
    var inference: String?

    /// The refusal the driver reported, as freezer's error.
    func refusal(recipe: Recipe) -> ExportError? {
        guard let error else { return ok ? nil : .driverFailed("it reported no result") }
        guard let kind = DriverRefusalKind(rawValue: error.kind) else { return .driverFailed(error.message) }
        switch kind {
        case .modelCode:
            // Paths inside the recipe's directory are shown as the recipe writes them.
            let recipeDirectory = recipe.resolve(".")
            let shown = { (path: String) in path.hasPrefix(recipeDirectory + "/") ? String(path.dropFirst(recipeDirectory.count + 1)) : path }
            return .modelCodeFailed(ModelCodeFailure(
                phase: error.phase.flatMap(DriverPhase.init(rawValue:)), file: shown(error.file ?? "?"), line: error.line ?? 0,
                function: error.function ?? "?", exception: error.message, raisedIn: error.raised_in, frames: (error.frames ?? []).map(shown)))
        case .packageMissing: return .packageMissing(error.message)
        case .factoryInvalid: return .factoryInvalid(error.message)
        case .checkpointMissing: return .checkpointMissing(error.message)
        case .checkpointMismatch: return .checkpointMismatch(error.message)
        case .inputRejected: return .inputRejected(error.message)
        case .exporterFailed: return .exporterFailed(error.message)
        case .parameterDifferences: return .parameterDifferences(error.message)
        case .badRecipe: return .badRecipe(recipe.path, error.message)
        }
    }
}

/// Any JSON value, kept as its compact JSON text (the exporter's parameters are recorded so).
struct JSONText: Decodable {
    var text: String
    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { text = "null" } else if let b = try? c.decode(Bool.self) { text = b ? "true" : "false" }
        else if let i = try? c.decode(Int.self) { text = String(i) } else if let d = try? c.decode(Double.self) { text = String(d) }
        else if let s = try? c.decode(String.self) { text = Self.quoted(s) }
        else if let a = try? c.decode([JSONText].self) { text = "[" + a.map(\.text).joined(separator: ", ") + "]" }
        else {
            let o = try c.decode([String: JSONText].self)
            text = "{" + o.keys.sorted().map { "\(Self.quoted($0)): \(o[$0]!.text)" }.joined(separator: ", ") + "}"
        }
    }

    static func quoted(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
