import FreezerIR
import FreezerONNX

/// `--checkpoint`: the values of an onnxruntime-training model's parameters, which its training_model.onnx
/// and eval_model.onnx declare as graph inputs without values.
enum CheckpointBinding {
    /// Gives each value-less graph input that the checkpoint names the checkpoint's value, as a default
    /// (FreezeParameters then makes it a constant and records it). Returns the checkpoint as a data file of
    /// the verified learning model, for its digest in the log and the conversion ID.
    static func apply(_ path: String, to model: inout Model) throws -> ModelSource.DataFile {
        let checkpoint = try OnnxRuntimeCheckpoint.load(path: path)
        var graph = model.graph
        var problems: [String] = []
        var bound = 0
        for tensor in checkpoint.parameters {
            guard let id = graph.value(named: tensor.name) else { continue }
            if graph.initializer(id) != nil {
                problems.append("parameter '\(tensor.name)' already has a value in the model (give the model without embedded parameters, or no --checkpoint)")
                continue
            }
            guard graph.inputs.contains(id) else { continue }
            if let declared = graph.value(id).type?.tensor {
                if declared.elementType != tensor.elementType {
                    problems.append("'\(tensor.name)' is \(tensor.elementType) in the checkpoint but \(declared.elementType) in the model")
                    continue
                }
                if let shape = declared.shape, shape.count != tensor.dims.count || zip(shape, tensor.dims).contains(where: { d, n in
                    if case .value(let v) = d { v != n } else { false }
                }) {
                    problems.append("'\(tensor.name)' has dims \(tensor.dims) in the checkpoint but \(declared) in the model")
                    continue
                }
            }
            do { try graph.setDefault(ofInput: id, tensor) } catch {
                problems.append("'\(tensor.name)': \(error)")
                continue
            }
            bound += 1
        }
        if bound == 0 && problems.isEmpty {
            problems.append("none of its \(checkpoint.parameters.count) tensors (\(checkpoint.parameters.prefix(5).map(\.name).joined(separator: ", "))\(checkpoint.parameters.count > 5 ? ", …" : "")) names an input of the model")
        }
        guard problems.isEmpty else { throw CheckpointError.parameterMismatch(path: path, problems: problems) }
        model.graph = graph
        return ModelSource.DataFile(location: path, canonicalPath: Paths.canonical(path) ?? path, size: checkpoint.size, sha256: checkpoint.sha256)
    }
}
