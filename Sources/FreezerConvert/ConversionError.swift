import FreezerIR
import FreezerInspect
import FreezerPasses
import FreezerVerify

/// Why a conversion stopped. Nothing is written at `-o` or `--log` in any of these cases.
public enum ConversionError: Error, CustomStringConvertible {
    /// The refusal rules of a conversion, as requirements of `freezer qualify`'s specification: the bad
    /// input, what the message says, and the exit code `freezer` documents for it.
    public static let refusalRules: [(id: String, statement: String, exitCode: Int32)] = [
        ("REF-INVALID-MODEL", "A model whose graph is structurally broken (a node reads a value nothing defines) is refused by the IR validator with a message that names the problem; exit 65; nothing is written.", 65),
        ("REF-OUTPUT-IS-INPUT", "An output path (-o or --log) that names the input model is refused before anything is written, with a message that names the path and says to choose another; exit 73; the input is unchanged.", 73),
        ("REF-BAD-OPTION", "Verification settings under which the equivalence check would prove nothing (zero samples, a declared --rtol or --atol that is negative, not a number or infinite) are refused with a message that names the option; exit 64; nothing is written.", 64),
        ("REF-USAGE-INPUT-SHAPE", "An --input-shape that is not NAME=AxBxC (or NAME=N for a dimension symbol), that gives one name twice, or that names neither an input nor a dimension symbol of the model is refused with a message that quotes it and shows the expected form; exit 64; nothing is written.", 64),
        ("REF-USAGE-CONFLICT", "Options that contradict each other (-o and --log naming the same file) are refused with a message that names both; exit 64; nothing is written.", 64),
        ("REF-USAGE-IDENTITY", "An empty --model-id, --model-version or --responsible (the log must name the model and the person), or an --expect-sha256 that is not 64 hexadecimal digits, is refused with a message that names the option; exit 64; nothing is written.", 64),
        ("REF-DIGEST-MISMATCH", "A model whose SHA-256 differs from --expect-sha256 (not the model that passed verification) is refused with a message that names the file and both digests; exit 65; nothing is written.", 65),
        ("REF-CANNOT-EVALUATE", "A model with an operator the reference evaluator does not run (image decoding, random sampling outside recognized regularizers, an unknown domain) is refused, because its equivalence cannot be checked: the message names the operator; exit 3; nothing is written.", 3),
        ("REF-CANNOT-FREEZE", "A training construct freezer cannot prove it removes correctly (a random draw that is not a recognized regularizer) is refused with a message that names the node; exit 3; nothing is written.", 3),
        ("REF-NOT-EQUIVALENT", "A frozen model that is not equivalent to the original under the criterion is refused: `convert` writes nothing, and `compare A B` prints the failed outputs and says not equivalent; exit 4 (the faults of the fault-injection suite are such models).", 4),
    ]

    case digestMismatch(path: String, expected: String, actual: String)
    case invalidModel(path: String, issues: [ValidationIssue])
    case impossible(PassError)
    /// A tensor a pass made could not be written to the temporary file beside the output (a full disk).
    case cannotStoreFoldedTensor(directory: String, reason: String)
    case trainingConstructsRemain([Finding])
    case invalidFrozenModel([ValidationIssue])
    case outputPathIsInput(String)
    case badOption(String)
    case equivalenceFailed(EquivalenceReport, keptAt: String?)
    case evaluation(String)

    public var description: String {
        switch self {
        case let .digestMismatch(path, expected, actual):
            "'\(path)' has SHA-256 \(actual), but --expect-sha256 says the verified learning model is \(expected). This is not the model that passed verification; find the verified file and convert that."
        case let .invalidModel(path, issues):
            "'\(path)' is not a valid ONNX model:\n" + issues.prefix(10).map { "  - \($0)" }.joined(separator: "\n")
                + (issues.count > 10 ? "\n  … and \(issues.count - 10) more" : "") + "\nFix the exporter or the model; freezer does not convert broken graphs."
        case let .impossible(error):
            "the model cannot be frozen safely: \(error)"
        case let .cannotStoreFoldedTensor(directory, reason):
            "cannot write the folded weights to a temporary file in '\(directory)', the frozen model's directory: \(reason). Free space there, or write the frozen model to a directory with room (-o); nothing was written."
        case let .trainingConstructsRemain(findings):
            "after all passes the model still holds training constructs, so it is not frozen:\n"
                + findings.prefix(10).map { "  - \($0.graphPath) \($0.node ?? $0.value ?? ""): \($0.detail)" }.joined(separator: "\n")
                + "\nThis model needs a rewrite freezer does not implement; nothing was written."
        case let .invalidFrozenModel(issues):
            "internal error: the frozen model fails validation (nothing was written):\n" + issues.prefix(10).map { "  - \($0)" }.joined(separator: "\n")
        case let .outputPathIsInput(path):
            "'\(path)' is the input model or one of its data files; freezer never overwrites its input. Choose another -o path."
        case let .badOption(message):
            message
        case let .equivalenceFailed(report, keptAt):
            "the frozen model does not compute what the original computes at inference.\n"
                + report.text(histograms: false)
                + (keptAt.map { "\nThe failed frozen model was kept for debugging at '\($0)'." } ?? "\nNo frozen model was written (use --keep-failed to keep it for debugging).")
        case let .evaluation(message):
            "the equivalence check could not run: \(message)"
        }
    }
}

extension ConversionError {
    /// A pass's failure as the conversion reports it: a full disk under the folded weights is a write
    /// failure (exit 73), anything else a model freezer cannot freeze safely (exit 3).
    public init(passFailure error: PassError, outputDirectory: String) {
        if let failure = error.storageFailure {
            let reason = switch failure {
            case .write(let reason), .map(let reason), .cannotCreate(_, let reason): reason
            case .overflow, .incomplete: failure.description
            }
            self = .cannotStoreFoldedTensor(directory: outputDirectory, reason: reason)
        } else {
            self = .impossible(error)
        }
    }
}
