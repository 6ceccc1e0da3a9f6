/// Why a model file cannot be loaded. Each message names the file, the problem and what to do.
public enum ModelLoadError: Error, Equatable, CustomStringConvertible {
    /// The refusal rules of loading, as requirements of `freezer qualify`'s specification: the bad input,
    /// what the message says, and the exit code `freezer` documents for it.
    public static let refusalRules: [(id: String, statement: String, exitCode: Int32)] = [
        ("REF-NOT-ONNX", "A model file that is not ONNX (not protobuf, truncated, or another protobuf message) is refused with a message that names the file, says what is wrong and to export the model again; exit 65; nothing is written.", 65),
        ("REF-MISSING-INPUT", "A model path that does not exist is refused with a message that names the path and says to check it; exit 66; nothing is written.", 66),
    ]

    case notFound(path: String)
    case isDirectory(path: String)
    case notRegularFile(path: String)
    case unreadable(path: String, reason: String)
    case empty(path: String)
    case malformed(path: String, offset: Int, problem: String)
    case notAModel(path: String, looksLike: String?)
    case missingGraph(path: String)
    case missingOpsetImport(path: String)
    case externalData(path: String, tensor: String, location: String, problem: ExternalDataProblem)

    public var description: String {
        switch self {
        case let .notFound(p):
            "model file '\(p)' does not exist. Check the path; relative paths are taken from the current directory."
        case let .isDirectory(p):
            "'\(p)' is a directory, not a model file. Give the path of the .onnx file inside it."
        case let .notRegularFile(p):
            "'\(p)' is not a regular file (a device, socket or pipe). Give the path of an .onnx file."
        case let .unreadable(p, why):
            "cannot read model file '\(p)': \(why). Check the file's permissions."
        case let .empty(p):
            "model file '\(p)' is empty (0 bytes). The export that wrote it probably failed; export the model again."
        case let .malformed(p, offset, problem):
            "'\(p)' is not a valid ONNX model: the protobuf data is malformed at byte \(offset) (\(problem)). The file is truncated, corrupted, or not an ONNX file; export the model again or check the download."
        case let .notAModel(p, looksLike):
            "'\(p)' is a protobuf file but not an ONNX model (ModelProto)" + (looksLike.map { ": it decodes as an ONNX \($0)" } ?? "")
                + ". Give the .onnx file that torch.onnx.export or tf2onnx wrote."
        case let .missingGraph(p):
            "'\(p)' is an ONNX ModelProto without a graph, so there is nothing to inspect or convert. Export the model again."
        case let .missingOpsetImport(p):
            "'\(p)' has no opset_import, so the version of every operator is unknown. ONNX requires at least one opset import; export the model again with a current exporter."
        case let .externalData(p, tensor, location, problem):
            "tensor '\(tensor)' of model '\(p)' stores its data externally at location '\(location)', but \(problem). \(problem.advice)"
        }
    }
}

/// Why a model cannot be saved. Nothing is written in any of these cases.
public enum ModelSaveError: Error, Equatable, CustomStringConvertible {
    case missingDirectory(String)
    case wouldOverwriteInput(path: String, input: String)
    case cannotWrite(path: String, reason: String)
    case tooLargeForInline(bytes: Int)
    case invalidTensor(String)

    public var description: String {
        switch self {
        case let .missingDirectory(d):
            "output directory '\(d)' does not exist. Create it first (freezer does not create directories)."
        case let .wouldOverwriteInput(p, input):
            "refusing to write '\(p)': it is \(input). freezer never overwrites its input; choose another output path."
        case let .cannotWrite(p, why):
            "cannot write '\(p)': \(why). Nothing was written."
        case let .tooLargeForInline(n):
            "the model would be \(n) bytes with all tensors inline, over protobuf's 2 GiB limit. Save it with external data."
        case let .invalidTensor(why):
            "cannot save: \(why)"
        }
    }
}
