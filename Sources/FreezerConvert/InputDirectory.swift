import Foundation
import FreezerIR
import FreezerKernels
import FreezerONNX
import FreezerVerify

/// Reads user-provided equivalence inputs from a directory.
///
/// Layouts: `<input name>.npy` / `<input name>.pb` files (one sample), or ONNX test-data directories
/// `test_data_set_N/input_K.pb` (one sample each), or the directory itself holding `input_K.pb`.
enum InputDirectory {
    static func samples(from directory: String, for graph: Graph) throws -> [EquivalenceChecker.Sample] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ConversionError.badOption("--inputs '\(directory)' is not a directory")
        }
        let entries = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        let sets = entries.filter { $0.hasPrefix("test_data_set_") }
        if !sets.isEmpty {
            return try sets.map { try testDataSet("\(directory)/\($0)", graph: graph) }
        }
        if entries.contains(where: { $0.hasPrefix("input_") && $0.hasSuffix(".pb") }) {
            return [try testDataSet(directory, graph: graph)]
        }
        var feeds: [String: NDArray] = [:]
        var digests: [String: String] = [:]
        for id in graph.runtimeInputs {
            let name = graph.value(id).name
            let safe = TensorFileName.make(name)
            guard let file = [".npy", ".pb"].map({ "\(directory)/\(safe)\($0)" }).first(where: FileManager.default.fileExists) else {
                throw ConversionError.badOption("--inputs '\(directory)' has no file for input '\(name)' (expected \(safe).npy or \(safe).pb)")
            }
            feeds[name] = try read(file, for: name)
            digests[name] = try FileDigest.sha256(ofFile: file).sha256
        }
        return [.init(feeds: feeds, source: "files in \(directory)", digests: digests)]
    }

    /// An ONNX test-data directory: input_K.pb fed by position, or by the tensor's own name.
    static func testDataSet(_ path: String, graph: Graph) throws -> EquivalenceChecker.Sample {
        let names = graph.runtimeInputs.map { graph.value($0).name }
        var feeds: [String: NDArray] = [:]
        var digests: [String: String] = [:]
        let files = try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasPrefix("input_") && $0.hasSuffix(".pb") }
            .sorted { (Int($0.dropFirst(6).dropLast(3)) ?? 0) < (Int($1.dropFirst(6).dropLast(3)) ?? 0) }
        for (k, file) in files.enumerated() {
            let tensor = try TensorFile.read(path: "\(path)/\(file)")
            let name = names.contains(tensor.name) ? tensor.name : (k < names.count ? names[k] : tensor.name)
            guard names.contains(name) else {
                throw ConversionError.badOption("'\(path)/\(file)' holds tensor '\(tensor.name)', which is not an input of the model (inputs: \(names.joined(separator: ", ")))")
            }
            feeds[name] = try NDArray(tensor)
            digests[name] = try FileDigest.sha256(ofFile: "\(path)/\(file)").sha256
        }
        return .init(feeds: feeds, source: "test data \(path)", digests: digests)
    }

    static func read(_ file: String, for name: String) throws -> NDArray {
        let tensor = file.hasSuffix(".npy") ? try NumpyFile.read(path: file) : try TensorFile.read(path: file)
        return try NDArray(tensor)
    }
}
