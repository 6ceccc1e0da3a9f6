import Foundation
import FreezerIR
import FreezerONNX

/// Binds a directory of data files to a graph's inputs (and, for test data, its outputs): the one rule
/// for `freezer run --test-data`, `freezer convert --inputs` and every other command that reads a
/// directory of values.
///
/// Layouts, tried in this order:
/// - DIR holds `input_K.pb` / `output_K.pb` files (serialized TensorProtos, numbered from 0 without
///   gaps): one sample.
/// - DIR holds `test_data_set_N` directories of such files, or of files named after inputs (below): one
///   sample each, in the order of N.
/// - DIR holds files named after inputs, `<input>.npy` or `<input>.pb` (the name made a file name by
///   `TensorFileName`): one sample, without expected outputs. Other files are ignored.
///
/// Binding, the same in every layout. The inputs to give are the graph's inputs without an initializer
/// (runtime inputs); an input with an initializer is a parameter, and no data file may give it.
/// - By name where the file carries one: `input_K.pb` whose tensor is named after a runtime input gives
///   that input, and so does the file `<input>.npy` or `<input>.pb`.
/// - By position otherwise: `input_K.pb` whose tensor has no name gives the K-th runtime input (the
///   order onnxruntime feeds test data in). `output_K.pb` likewise gives the output its tensor names,
///   else the K-th graph output.
/// - Refused, naming the file: a tensor named after no input (output) of the graph; a value for a
///   parameter; two files for one input (output); an unnamed tensor past the last position; a required
///   input no file gives. Every runtime input is required unless the caller names fewer (`convert`
///   requires the inputs the frozen model keeps, so a training model's labels may be left out).
///
/// Every input file is checked against the input's declared element type and fixed dimensions by the
/// evaluator's own check, and each file read is recorded with its SHA-256.
public enum FeedDirectory {
    /// The samples in `directory` for `graph`. `required` names the inputs every sample must give
    /// (default: every runtime input). Expected outputs are read only when asked for, so a caller that
    /// does not compare outputs is not refused for them.
    public static func samples(in directory: String, for graph: Graph, requiring required: Set<String>? = nil,
                               expectedOutputs: Bool = false) throws(FeedError) -> [FeedSample] {
        let required = required ?? Set(graph.runtimeInputs.map { graph.value($0).name })
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .notADirectory(directory)
        }
        let sets = TestDataSet.directories(in: directory)
        if !sets.isEmpty {
            var samples: [FeedSample] = []
            for set in sets { samples.append(try testData(set, graph: graph, required: required, expectedOutputs: expectedOutputs)) }
            return samples
        }
        return [try namedFiles(directory, graph: graph, required: required)]
    }

    /// The layout of `<input>.npy` / `<input>.pb` files.
    static func namedFiles(_ directory: String, graph: Graph, required: Set<String>) throws(FeedError) -> FeedSample {
        let runtime = graph.runtimeInputs.map { graph.value($0) }
        var inputByStem: [String: String] = [:]
        for value in runtime {
            let stem = TensorFileName.make(value.name)
            if let other = inputByStem[stem] { throw .sharedFileName(file: stem, inputs: [other, value.name]) }
            inputByStem[stem] = value.name
        }
        for id in graph.inputs where graph.initializer(id) != nil {
            let name = graph.value(id).name
            if inputByStem[TensorFileName.make(name)] == nil, let file = existing(name, in: directory).first {
                throw .parameter(file: file, name: name, inputs: runtime.map(\.name))
            }
        }
        var inputs: [FeedFile] = []
        var missing: [FeedError.MissingInput] = []
        for value in runtime {
            let files = existing(value.name, in: directory)
            guard files.count < 2 else { throw .boundTwice(name: value.name, role: .input, files: files) }
            if let file = files.first {
                let array = try FeedFile.value(of: try FeedFile.tensor(at: file), file: file, for: value)
                inputs.append(try FeedFile(name: value.name, path: file, array: array))
            } else if required.contains(value.name) {
                missing.append(.init(value, files: fileNames(value.name)))
            }
        }
        if inputs.isEmpty { throw .noData(directory: directory, expectedFiles: runtime.flatMap { fileNames($0.name) }) }
        if !missing.isEmpty { throw .missingInputs(directory: directory, missing: missing) }
        return FeedSample(source: "files in \(directory)", directory: directory, inputs: inputs, outputs: [])
    }

    /// The names of the files that may give input `name`.
    private static func fileNames(_ name: String) -> [String] {
        let stem = TensorFileName.make(name)
        return [stem + ".npy", stem + ".pb"]
    }

    /// Those of the files that may give input `name` that exist in `directory`.
    private static func existing(_ name: String, in directory: String) -> [String] {
        fileNames(name).map { "\(directory)/\($0)" }.filter { FileManager.default.fileExists(atPath: $0) }
    }
}
