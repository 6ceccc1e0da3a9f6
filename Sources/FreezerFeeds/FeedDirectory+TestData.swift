import FreezerIR
import FreezerONNX

extension FeedDirectory {
    /// One `input_K.pb` / `output_K.pb` directory, bound by the rule in `FeedDirectory`'s documentation.
    static func testData(_ directory: String, graph: Graph, required: Set<String>,
                         expectedOutputs: Bool) throws(FeedError) -> FeedSample {
        let data: TestDataSet
        do { data = try TestDataSet.load(directory: directory) } catch { throw .file(error) }
        // A set without input_K.pb files may hold files named after the inputs (test_data_set_0/input.npy).
        if data.inputs.isEmpty && data.outputs.isEmpty { return try namedFiles(directory, graph: graph, required: required) }
        let runtime = graph.runtimeInputs.map { graph.value($0) }
        let parameters = Set(graph.inputs.map { graph.value($0).name }).subtracting(runtime.map(\.name))
        let inputNames = try bind(data.inputs, directory, prefix: "input", role: .input, to: runtime.map(\.name), parameters: parameters)
        var inputs: [FeedFile] = []
        for value in runtime {
            guard let k = inputNames.firstIndex(of: value.name) else { continue }
            let file = "\(directory)/input_\(k).pb"
            let array = try FeedFile.value(of: data.inputs[k], file: file, for: value)
            inputs.append(try FeedFile(name: value.name, path: file, array: array))
        }
        let missing = runtime.filter { required.contains($0.name) && !inputNames.contains($0.name) }
        guard missing.isEmpty else {
            throw .missingInputs(directory: directory, missing: missing.map { .init($0, files: []) })
        }
        var outputs: [FeedFile] = []
        if expectedOutputs {
            let names = try bind(data.outputs, directory, prefix: "output", role: .output,
                                 to: graph.outputs.map { graph.value($0).name }, parameters: [])
            for (k, name) in names.enumerated() {
                let file = "\(directory)/output_\(k).pb"
                let array = try FeedFile.values(of: data.outputs[k], file: file)
                outputs.append(try FeedFile(name: name, path: file, array: array))
            }
        }
        return FeedSample(source: "test data \(directory)", directory: directory, inputs: inputs, outputs: outputs)
    }

    /// The name each `<prefix>_K.pb` tensor gives: its own name where it has one, else `names[K]`.
    private static func bind(_ tensors: [Tensor], _ directory: String, prefix: String, role: FeedError.Role,
                             to names: [String], parameters: Set<String>) throws(FeedError) -> [String] {
        var fileOf: [String: String] = [:]
        var bound: [String] = []
        for (k, tensor) in tensors.enumerated() {
            let file = "\(directory)/\(prefix)_\(k).pb"
            let name: String
            if tensor.name.isEmpty {
                guard k < names.count else { throw .beyondLastPosition(file: file, position: k, role: role, names: names) }
                name = names[k]
            } else if names.contains(tensor.name) {
                name = tensor.name
            } else if parameters.contains(tensor.name) {
                throw .parameter(file: file, name: tensor.name, inputs: names)
            } else {
                throw .unknownName(file: file, tensor: tensor.name, role: role, names: names)
            }
            if let other = fileOf[name] { throw .boundTwice(name: name, role: role, files: [other, file]) }
            fileOf[name] = file
            bound.append(name)
        }
        return bound
    }
}
