import FreezerIR
import FreezerONNX

/// Why data files cannot be bound to a model's inputs or expected outputs. Every message names the
/// file or directory at fault and says what would be accepted; the CLI picks exit codes by case.
public enum FeedError: Error, Equatable, CustomStringConvertible {
    /// Whether a file was to give a value of a model input or an expected value of an output.
    public enum Role: String, Sendable {
        case input, output
    }

    /// A runtime input no file gives, with the file names that would give it (empty for test data,
    /// where any `input_K.pb` can).
    public struct MissingInput: Sendable, Equatable {
        public var name: String
        public var type: String
        public var files: [String]

        public init(name: String, type: String, files: [String]) {
            self.name = name
            self.type = type
            self.files = files
        }

        init(_ input: Value, files: [String]) {
            self.init(name: input.name, type: input.type?.description ?? "type not declared", files: files)
        }
    }

    /// The file cannot be read: missing, unreadable or malformed.
    case file(TensorFileError)
    /// The file reads, but the evaluator cannot hold its values.
    case unusableValues(file: String, reason: String)
    /// The element type or a fixed dimension differs from the input's declaration.
    case inputMismatch(name: String, file: String, expected: String, actual: String)
    case notADirectory(String)
    /// None of the accepted layouts: `expectedFiles` are the file names that would give the inputs.
    case noData(directory: String, expectedFiles: [String])
    /// A tensor's stored name is not an input (output) of the model.
    case unknownName(file: String, tensor: String, role: Role, names: [String])
    /// A file gives a value to an input that has an initializer: a parameter, not data.
    case parameter(file: String, name: String, inputs: [String])
    /// An unnamed tensor at a position past the model's last runtime input (output).
    case beyondLastPosition(file: String, position: Int, role: Role, names: [String])
    case boundTwice(name: String, role: Role, files: [String])
    case missingInputs(directory: String, missing: [MissingInput])
    /// Inputs whose names give the same file name, so no file can tell them apart.
    case sharedFileName(file: String, inputs: [String])

    public var description: String {
        switch self {
        case let .file(error):
            error.description
        case let .unusableValues(file, reason):
            "the values in '\(file)' cannot be used: \(reason)."
        case let .inputMismatch(name, file, expected, actual):
            "input '\(name)' from '\(file)' is \(actual), but the model declares '\(name)' as \(expected). Convert the data to the declared element type and shape (for NumPy: array.astype(...).reshape(...)) and save it again."
        case let .notADirectory(path):
            "'\(path)' does not exist or is not a directory. Give a directory of test data: test_data_set_N directories, input_K.pb files, or files named after the model's inputs (<input>.npy or <input>.pb)."
        case let .noData(dir, expected):
            "'\(dir)' holds no data for this model: no test_data_set_N directories, no input_K.pb or output_K.pb files, and no file named after an input" + (expected.isEmpty ? "" : " (\(expected.joined(separator: ", ")))") + "."
        case let .unknownName(file, tensor, role, names):
            "'\(file)' holds tensor '\(tensor)', which is not an \(role) of the model (\(role)s: \(Self.list(names))). Name the tensor after the \(role) it gives, or leave its name empty to bind \(role)_K.pb to the K-th \(Self.positional(role, plural: false))."
        case let .parameter(file, name, inputs):
            "'\(file)' gives a value for '\(name)', which has an initializer: it is a parameter of the model, not data. Data files give only the inputs without an initializer (\(Self.list(inputs)))."
        case let .beyondLastPosition(file, position, role, names):
            "'\(file)' holds a tensor without a name, so it gives the \(role) at position \(position) (from 0), but the model has only \(names.count) \(Self.positional(role, plural: names.count != 1)) (\(Self.list(names))). Name the tensor after the \(role) it gives."
        case let .boundTwice(name, role, files):
            "\(files.map { "'\($0)'" }.joined(separator: " and ")) both give \(role) '\(name)'; give each \(role) once."
        case let .missingInputs(dir, missing):
            "'\(dir)' gives no value for \(missing.count == 1 ? "input" : "inputs") "
                + missing.map { "'\($0.name)' (\($0.type)\($0.files.isEmpty ? "" : "; expected \($0.files.joined(separator: " or "))"))" }.joined(separator: ", ")
                + ". Every input without an initializer needs a value."
        case let .sharedFileName(file, inputs):
            "inputs \(inputs.map { "'\($0)'" }.joined(separator: " and ")) would both be read from '\(file)' (characters a file name cannot hold become '_'). Give this model's inputs as test_data_set_N/input_K.pb files, whose tensors name their input."
        }
    }

    private static func list(_ names: [String]) -> String {
        names.isEmpty ? "none" : names.map { "'\($0)'" }.joined(separator: ", ")
    }

    /// What positions count: inputs without an initializer, or graph outputs.
    private static func positional(_ role: Role, plural: Bool) -> String {
        (role == .input ? "input" : "output") + (plural ? "s" : "") + (role == .input ? " without an initializer" : "")
    }
}
