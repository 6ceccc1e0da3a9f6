import Foundation
import FreezerIR
import FreezerKernels
import FreezerONNX

extension FeedFile {
    /// Reads `path` as the value of graph input `input` and checks it against the input's declared
    /// element type and fixed dimensions with the evaluator's own check, naming the file when it fails.
    /// The file is a `.npy` file (known by its extension or magic bytes) or a serialized TensorProto.
    public static func value(at path: String, for input: Value) throws(FeedError) -> NDArray {
        try value(of: try tensor(at: path), file: path, for: input)
    }

    /// Reads a tensor file: `.npy` by its extension or magic bytes, otherwise a serialized TensorProto.
    static func tensor(at path: String) throws(FeedError) -> Tensor {
        do {
            if path.hasSuffix(".npy") || startsWithNumpyMagic(path) { return try NumpyFile.read(path: path) }
            return try TensorFile.read(path: path)
        } catch {
            throw .file(error)
        }
    }

    private static func startsWithNumpyMagic(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 6)) ?? Data()
        return head == Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59])
    }

    /// The values of `tensor`, read from `file`, checked as a value of `input` (`Interpreter.checkFeed`).
    static func value(of tensor: Tensor, file: String, for input: Value) throws(FeedError) -> NDArray {
        let array = try values(of: tensor, file: file)
        do {
            try Interpreter.checkFeed(array, against: input)
        } catch {
            guard case let .inputMismatch(name, expected, actual) = error else {
                throw .unusableValues(file: file, reason: error.description)
            }
            throw .inputMismatch(name: name, file: file, expected: expected, actual: actual)
        }
        return array
    }

    /// The values of `tensor`, read from `file`, as the evaluator holds them.
    static func values(of tensor: Tensor, file: String) throws(FeedError) -> NDArray {
        do { return try NDArray(tensor) } catch { throw .unusableValues(file: file, reason: error.description) }
    }

    /// The file at `path` bound to `name` with the values read from it, and the SHA-256 of its bytes.
    init(name: String, path: String, array: NDArray) throws(FeedError) {
        let digest: String
        do { digest = try FileDigest.sha256(ofFile: path).sha256 } catch {
            throw .file(.unreadable(path: path, reason: error.reason))
        }
        self.init(name: name, path: path, sha256: digest, array: array)
    }
}
