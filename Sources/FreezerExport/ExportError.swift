/// Why `freezer export` stopped. Nothing is written at the frozen model's, the log's or the exported
/// model's path in any of these cases.
public enum ExportError: Error, CustomStringConvertible, Equatable {
    /// The refusal rules of `freezer export` that need no framework, as requirements of `freezer qualify`'s
    /// specification: the bad input, what the message says, and the exit code `freezer` documents for it.
    public static let refusalRules: [(id: String, statement: String, exitCode: Int32)] = [
        ("REF-EXPORT-RECIPE-MISSING", "An export recipe path that does not exist is refused with a message that names it; exit 66; nothing is written.", 66),
        ("REF-EXPORT-RECIPE-INVALID", "An export recipe that is not usable (an unknown key, a required key missing) is refused with a message that names the recipe and the key and points to its schema; exit 65; nothing is written.", 65),
        ("REF-EXPORT-INTERPRETER", "An export recipe whose Python interpreter cannot be found is refused with a message that names it and says to set 'python:' to the training environment's interpreter; exit 69; nothing is written.", 69),
        ("REF-EXPORT-NOT-PYTHON", "An interpreter that runs but leaves no driver result (not a Python 3 that can run the driver) is refused with a message that names it, its exit status and its standard error; exit 69; nothing is written.", 69),
        ("REF-EXPORT-TIMEOUT", "A driver run that does not finish within the recipe's timeout_seconds is stopped and refused with a message that names the run and says to raise timeout_seconds; exit 75; nothing is written and no scratch directory is left.", 75),
    ] + driverRefusalRules

    /// The refusals the driver reports from the training environment (its result's error kind), as freezer
    /// relays them: the driver's message, the exit code, nothing written. Qualification exercises this
    /// relay with a stand-in interpreter that reports each kind; whether the driver detects the condition
    /// in a real framework is outside the qualified scope (`outsideQualifiedScope`).
    public static let driverRefusalRules: [(id: String, statement: String, exitCode: Int32)] = [
        ("REF-EXPORT-PACKAGE-MISSING", "A driver report that a package the export needs (torch, tensorflow, tf2onnx, onnx) is not installed is refused with the driver's message naming it; exit 69; nothing is written.", 69),
        ("REF-EXPORT-FACTORY", "A driver report that the recipe's model factory cannot be imported or called is refused with the driver's message naming it; exit 65; nothing is written.", 65),
        ("REF-EXPORT-CHECKPOINT-MISSING", "A driver report that the recipe's checkpoint file does not exist is refused with the driver's message naming it; exit 66; nothing is written.", 66),
        ("REF-EXPORT-CHECKPOINT-KEYS", "A driver report that the checkpoint does not fit the model (missing or unexpected keys, shapes) is refused with the driver's message naming the keys; exit 65; nothing is written.", 65),
        ("REF-EXPORT-INPUT-REJECTED", "A driver report that the model does not accept the recipe's inputs is refused with the driver's message; exit 65; nothing is written.", 65),
        ("REF-EXPORT-EXPORTER-FAILED", "A driver report that the exporter failed is refused with the exporter's message; exit 3; nothing is written.", 3),
        ("REF-EXPORT-PARAMETER-DIFFERENCES", "A driver report that exported initializers differ from the checkpoint (and the recipe does not accept it) is refused with the driver's message naming the tensors; exit 3; nothing is written.", 3),
    ]

    /// The driver's result error kind (DriverReport.refusal) that each of `driverRefusalRules` specifies.
    public static let driverRefusalKinds: [String: DriverRefusalKind] = [
        "REF-EXPORT-PACKAGE-MISSING": .packageMissing, "REF-EXPORT-FACTORY": .factoryInvalid, "REF-EXPORT-CHECKPOINT-MISSING": .checkpointMissing,
        "REF-EXPORT-CHECKPOINT-KEYS": .checkpointMismatch, "REF-EXPORT-INPUT-REJECTED": .inputRejected,
        "REF-EXPORT-EXPORTER-FAILED": .exporterFailed, "REF-EXPORT-PARAMETER-DIFFERENCES": .parameterDifferences,
    ]

    /// What `freezer qualify` cannot exercise without a framework, stated for the report's known
    /// limitations and conditions of use.
    public static let outsideQualifiedScope: [(subject: String, behaviour: String, exitCode: Int32?)] = [
        ("Detection by the driver in the training environment (PyTorch, Keras): missing or unexpected checkpoint keys, inputs the model rejects, exporter failures, running-statistics drift of a training-mode export",
         "outside the qualified scope: qualify exercises how freezer relays each driver refusal (REF-EXPORT-*) with a stand-in interpreter, not the Python driver itself; scripts/test.sh runs the driver in the training environment", nil),
        ("The framework check of freezer export (the frozen model against the framework's own inference outputs)",
         "outside the qualified scope: it needs the framework; an export log records the framework check's errors per output for the review, and a frozen model that fails it is refused (exit 4)", 4),
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
