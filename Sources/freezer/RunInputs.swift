import Foundation
import FreezerIR
import FreezerKernels
import FreezerONNX

/// Reading, matching and checking the data `freezer run` feeds to a model, and naming output files.
enum RunInputs {
    /// Reads a tensor file: `.npy` by its magic bytes or extension, otherwise a serialized TensorProto.
    static func readTensor(_ path: String) throws -> Tensor {
        if path.hasSuffix(".npy") || startsWithNumpyMagic(path) { return try NumpyFile.read(path: path) }
        return try TensorFile.read(path: path)
    }

    private static func startsWithNumpyMagic(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 6)) ?? Data()
        return head == Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59])
    }

    /// Splits `NAME=FILE`. Input names may themselves contain '=': the longest prefix that names a
    /// model input wins, else the text before the first '='.
    static func parseAssignment(_ argument: String, inputNames: Set<String>) throws(RunError) -> (name: String, file: String) {
        let parts = argument.split(separator: "=", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2 else { throw .badInputArgument(argument) }
        for k in stride(from: parts.count - 1, through: 1, by: -1) {
            let name = parts[..<k].joined(separator: "=")
            if inputNames.contains(name) { return (name, parts[k...].joined(separator: "=")) }
        }
        let (name, file) = (parts[0], parts[1...].joined(separator: "="))
        guard !name.isEmpty, !file.isEmpty else { throw .badInputArgument(argument) }
        return (name, file)
    }

    /// `element type[dims]` of an array, as the model's declarations are printed.
    static func describe(_ array: NDArray) -> String {
        "\(array.elementType)[\(array.shape.map(String.init).joined(separator: ","))]"
    }

    /// Checks a value for graph input `value` against the declared element type and fixed dimensions.
    static func check(_ array: NDArray, against value: Value, file: String) throws(RunError) {
        guard let declared = value.type?.tensor else { return }
        var fits = declared.elementType == array.elementType
        if let shape = declared.shape {
            fits = fits && shape.count == array.rank
            for (d, n) in zip(shape, array.shape) {
                if case .value(let v) = d, v != Int64(n) { fits = false }
            }
        }
        if !fits { throw .inputMismatch(name: value.name, file: file, expected: declared.description, actual: describe(array)) }
    }

    /// Converts a tensor read from `file` to the evaluator's array.
    static func array(_ tensor: Tensor, file: String) throws(RunError) -> NDArray {
        do { return try NDArray(tensor) } catch { throw .unreadableValues(file: file, reason: error.description) }
    }

    /// A file name for an output (the rule `convert --inputs` reads back with).
    static func fileName(forOutput name: String) -> String { TensorFileName.make(name) }
}
