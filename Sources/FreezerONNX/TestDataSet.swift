import Foundation
import FreezerIR

/// One ONNX test data set: a `test_data_set_N` directory holding `input_K.pb` and `output_K.pb`, the
/// layout of ONNX's backend tests and of the model zoo. `input_K` belongs to the K-th graph input and
/// `output_K` to the K-th graph output, as onnx.backend.test.runner reads them.
public struct TestDataSet: Sendable {
    public var directory: String
    /// Tensors by position K, as stored (their `name` may be empty).
    public var inputs: [Tensor]
    public var outputs: [Tensor]

    /// Reads `directory`. Numbering must be contiguous from 0 (input_0, input_1, ...).
    public static func load(directory: String) throws(TensorFileError) -> TestDataSet {
        let inputs = try numbered(directory, prefix: "input")
        let outputs = try numbered(directory, prefix: "output")
        return TestDataSet(directory: directory, inputs: inputs, outputs: outputs)
    }

    /// `dir` itself when it holds input_/output_ files, else its `test_data_set_N` subdirectories in
    /// numeric order. Empty when there are none.
    public static func directories(in dir: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        if names.contains(where: { ($0.hasPrefix("input_") || $0.hasPrefix("output_")) && $0.hasSuffix(".pb") }) {
            return [dir]
        }
        let sets = names.compactMap { name -> (Int, String)? in
            guard name.hasPrefix("test_data_set_"), let n = Int(name.dropFirst("test_data_set_".count)) else { return nil }
            var isDir: ObjCBool = false
            let path = dir + "/" + name
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else { return nil }
            return (n, path)
        }
        return sets.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// Reads `directory` with values of any kind: `inputKinds[K]` / `outputKinds[K]` is the kind the
    /// graph declares for input or output K (`sequence`, `optional`, or nil for a tensor; see
    /// `ValueFile.read`). Files beyond the given kinds are read as tensors.
    public static func loadValues(directory: String, inputKinds: [String?], outputKinds: [String?]) throws(TensorFileError)
        -> (inputs: [StoredValue], outputs: [StoredValue]) {
        func read(_ prefix: String, _ kinds: [String?]) throws(TensorFileError) -> [StoredValue] {
            var values: [StoredValue] = []
            for (k, path) in try numberedPaths(directory, prefix: prefix).enumerated() {
                values.append(try ValueFile.read(path: path, kind: k < kinds.count ? kinds[k] : nil))
            }
            return values
        }
        return (try read("input", inputKinds), try read("output", outputKinds))
    }

    static func numbered(_ dir: String, prefix: String) throws(TensorFileError) -> [Tensor] {
        var tensors: [Tensor] = []
        for path in try numberedPaths(dir, prefix: prefix) { tensors.append(try TensorFile.read(path: path)) }
        return tensors
    }

    /// The paths of `prefix_0.pb`, `prefix_1.pb`, ... in `dir`, refusing gaps in the numbering.
    static func numberedPaths(_ dir: String, prefix: String) throws(TensorFileError) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        let indices = names.compactMap { name -> Int? in
            guard name.hasPrefix(prefix + "_"), name.hasSuffix(".pb") else { return nil }
            return Int(name.dropFirst(prefix.count + 1).dropLast(3))
        }.sorted()
        var paths: [String] = []
        for (expected, k) in indices.enumerated() {
            guard k == expected else {
                throw .malformed(path: "\(dir)/\(prefix)_\(expected).pb", problem: "the file is missing, but \(prefix)_\(k).pb exists; test data files are numbered from 0 without gaps")
            }
            paths.append("\(dir)/\(prefix)_\(k).pb")
        }
        return paths
    }
}
