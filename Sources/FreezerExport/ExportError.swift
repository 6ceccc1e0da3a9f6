/// Why `freezer export` stopped. Nothing is written at the frozen model's, the log's or the exported
/// model's path in any of these cases.
public enum ExportError: Error, CustomStringConvertible, Equatable {
    /// The refusal rules of `freezer export` that need no framework, as requirements of `freezer qualify`'s
    /// specification: the bad input, what the message says, and the exit code `freezer` documents for it.
    public static let refusalRules: [(id: String, statement: String, exitCode: Int32)] = [
        ("REF-EXPORT-RECIPE-MISSING", "An export recipe path that does not exist is refused with a message that names it; exit 66; nothing is written.", 66),
        ("REF-EXPORT-RECIPE-INVALID", "An export recipe that is not usable (an unknown key, a required key missing) is refused with a message that names the recipe and the key and points to its schema; exit 65; nothing is written.", 65),
        ("REF-EXPORT-INTERPRETER", "An export recipe whose Python interpreter cannot be found is refused with a message that names it and says to set 'python:' to the training environment's interpreter; exit 69; nothing is written.", 69),
    ]

    case recipeMissing(String)
    case badRecipe(String, String)
    case interpreterNotFound(String)
    /// The interpreter ran but the driver left no result: not a Python 3 that can run it.
    case interpreterFailed(interpreter: String, status: Int32, standardError: String)
    /// The driver ended without a result in one of its steps: killed by a signal (a crash in native code,
    /// the system out of memory) or exited (`os._exit` in the model's code).
    case driverStopped(phase: DriverPhase, status: Int32, signaled: Bool, standardError: String)
    /// The driver's refusals, by kind (see the driver): the message is the driver's.
    case packageMissing(String)
    case factoryInvalid(String)
    case checkpointMissing(String)
    case checkpointMismatch(String)
    case inputRejected(String)
    /// The model's own code raised an exception (in the factory's module, the model's forward, a custom layer).
    case modelCodeFailed(ModelCodeFailure)
    case exporterFailed(String)
    case parameterDifferences(String)
    case driverFailed(String)
    case timedOut(seconds: Double, mode: String, standardError: String)
    /// The frozen model does not compute what the framework computes.
    case frameworkNotEquivalent(String)
    case cannotWrite(String, String)

    public var description: String {
        switch self {
        case .recipeMissing(let path):
            "the recipe '\(path)' does not exist or cannot be read"
        case let .badRecipe(path, message):
            "the recipe '\(path)' is not usable: \(message) (see docs/export-recipe.schema.json)"
        case .interpreterNotFound(let python):
            "the Python interpreter '\(python)' was not found or is not executable; set 'python:' in the recipe to the training environment's interpreter (e.g. .venv/bin/python)"
        case let .interpreterFailed(interpreter, status, standardError):
            "'\(interpreter)' exited with status \(status) without running freezer's driver to the end; set 'python:' to a Python 3 interpreter of the training environment. Its standard error:\n"
                + String(standardError.suffix(3000))
        case .packageMissing(let m), .factoryInvalid(let m), .checkpointMissing(let m), .checkpointMismatch(let m), .inputRejected(let m),
             .parameterDifferences(let m), .frameworkNotEquivalent(let m):
            m
        case .modelCodeFailed(let failure):
            failure.description
        case let .driverStopped(phase, status, signaled, standardError):
            "the export driver \(signaled ? "was killed by signal \(status)" : "exited with status \(status)") while \(phase), without a result: "
                + "a crash in the native code of the framework or of the model, the system ending it (out of memory), or the model's code "
                + "exiting the interpreter (os._exit); nothing was written"
                + (standardError.isEmpty ? "." : ". Its last standard error:\n" + String(standardError.suffix(2000)))
        case .exporterFailed(let m):
            "the exporter failed, nothing was written: \(m)"
        case .driverFailed(let m):
            "freezer's export driver failed: \(m)"
        case let .timedOut(seconds, mode, standardError):
            "the export driver (\(mode)) did not finish within \(seconds) s and was stopped; raise 'timeout_seconds' in the recipe if the model needs longer"
                + (standardError.isEmpty ? "" : ". Its last standard error:\n" + String(standardError.suffix(2000)))
        case let .cannotWrite(path, reason):
            "cannot write '\(path)': \(reason)"
        }
    }
}
