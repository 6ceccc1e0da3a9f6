/// Why a tensor file (`.pb` TensorProto or `.npy`) cannot be read or written. Every message names the
/// file, what is wrong with it and, where it helps, what to do.
public enum TensorFileError: Error, Equatable, CustomStringConvertible {
    case notFound(path: String)
    case isDirectory(path: String)
    case unreadable(path: String, reason: String)
    case empty(path: String)
    /// The bytes do not decode as the format the file should have.
    case malformed(path: String, problem: String)
    /// A valid protobuf file that is some other ONNX message.
    case notATensor(path: String, looksLike: String)
    case externalData(path: String, tensor: String)
    /// A TensorProto whose fields contradict each other (data size, element type).
    case invalidTensor(path: String, problem: String)
    // .npy
    case badMagic(path: String)
    case unsupportedVersion(path: String, major: UInt8, minor: UInt8)
    case truncatedHeader(path: String, problem: String)
    case badHeader(path: String, problem: String)
    case unsupportedDtype(path: String, descr: String)
    case fortranOrder(path: String)
    case dataSizeMismatch(path: String, shape: [Int], descr: String, expected: Int, actual: Int)
    // writing
    case cannotStore(path: String, problem: String)
    case missingDirectory(path: String, directory: String)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case let .notFound(p):
            "tensor file '\(p)' does not exist. Check the path; relative paths are taken from the current directory."
        case let .isDirectory(p):
            "'\(p)' is a directory, not a tensor file."
        case let .unreadable(p, why):
            "cannot read tensor file '\(p)': \(why)."
        case let .empty(p):
            "tensor file '\(p)' is empty (0 bytes); the program that wrote it probably failed."
        case let .malformed(p, problem):
            "'\(p)' is not a valid tensor file: \(problem)."
        case let .notATensor(p, kind):
            "'\(p)' is not a serialized ONNX TensorProto: it decodes as an ONNX \(kind). Give a tensor file such as test_data_set_0/input_0.pb."
        case let .externalData(p, tensor):
            "tensor '\(tensor)' in '\(p)' keeps its values in an external data file (data_location = EXTERNAL), which a stand-alone tensor file cannot resolve. Save the tensor with its values inline (onnx.numpy_helper.from_array)."
        case let .invalidTensor(p, problem):
            "'\(p)' holds an invalid tensor: \(problem)."
        case let .badMagic(p):
            "'\(p)' is not a NumPy .npy file: it does not start with the magic bytes \\x93NUMPY. Save arrays with numpy.save."
        case let .unsupportedVersion(p, major, minor):
            "'\(p)' is a .npy file of format version \(major).\(minor); freezer reads versions 1.0, 2.0 and 3.0."
        case let .truncatedHeader(p, problem):
            "'\(p)' is a truncated .npy file: \(problem)."
        case let .badHeader(p, problem):
            "'\(p)' has a malformed .npy header: \(problem)."
        case let .unsupportedDtype(p, descr):
            "'\(p)' holds dtype '\(descr)', which freezer does not read. Supported: float16/32/64 (f2 f4 f8), int8/16/32/64 (i1 i2 i4 i8), uint8/16/32/64 (u1 u2 u4 u8) and bool (b1), little- or big-endian; convert with array.astype(...)."
        case let .fortranOrder(p):
            "'\(p)' stores its array in Fortran (column-major) order; freezer reads C order only. Save numpy.ascontiguousarray(array) instead."
        case let .dataSizeMismatch(p, shape, descr, expected, actual):
            "'\(p)' declares shape \(Self.shapeText(shape)) of dtype '\(descr)', which takes \(expected) bytes, but the file holds \(actual) bytes of data after its header; it is truncated or corrupt."
        case let .cannotStore(p, problem):
            "cannot write '\(p)': \(problem)."
        case let .missingDirectory(p, dir):
            "cannot write '\(p)': directory '\(dir)' does not exist. Create it first (freezer does not create directories)."
        case let .cannotWrite(p, why):
            "cannot write '\(p)': \(why). Nothing was written."
        }
    }

    /// A shape as numpy prints it: `()`, `(3,)`, `(2, 3)`.
    static func shapeText(_ shape: [Int]) -> String {
        shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }
}

extension TensorFileError {
    /// Maps a failure to map a file for reading.
    static func from(_ failure: MappedFile.Failure, path: String) -> TensorFileError {
        switch failure {
        case .notFound: .notFound(path: path)
        case .isDirectory: .isDirectory(path: path)
        case .notRegular: .unreadable(path: path, reason: "not a regular file")
        case .unreadable(let why): .unreadable(path: path, reason: why)
        }
    }

    /// Maps an atomic-write failure.
    static func from(_ error: ModelSaveError, path: String) -> TensorFileError {
        switch error {
        case .missingDirectory(let dir): .missingDirectory(path: path, directory: dir)
        case .cannotWrite(_, let why): .cannotWrite(path: path, reason: why)
        default: .cannotWrite(path: path, reason: error.description)
        }
    }
}
