import FreezerIR

/// onnxruntime-training's checkpoint file (`checkpoint` from `generate_artifacts`, FlatBuffers with file
/// identifier `ODTC`): the parameter values that training_model.onnx and eval_model.onnx declare as
/// graph inputs without values. Read by freezer itself, schema `ort_training_checkpoint.fbs`: Checkpoint
/// { version, module_state: ModuleState { requires_grad_params, frozen_params: [Tensor], is_nominal_state,
/// has_external_data }, … } with ort.fbs's Tensor { name, doc_string, dims, data_type, raw_data,
/// string_data, external_data_offset }.
public struct OnnxRuntimeCheckpoint: Sendable {
    public var path: String
    public var sha256: String
    /// The file's size in bytes.
    public var size: Int
    public var version: Int32
    /// Trainable parameters, then frozen ones (running statistics, parameters not trained), in file order.
    public var trainable: [Tensor]
    public var frozen: [Tensor]

    public var parameters: [Tensor] { trainable + frozen }

    public static let fileIdentifier = "ODTC"

    public static func load(path: String) throws(CheckpointError) -> OnnxRuntimeCheckpoint {
        let storage: ByteStorage
        switch MappedFile.map(path) {
        case .success(let s): storage = s
        case .failure(.notFound): throw .unreadable(path: path, reason: "it does not exist")
        case .failure(.isDirectory): throw .unreadable(path: path, reason: "it is a directory (give the checkpoint file inside it)")
        case .failure(.notRegular): throw .unreadable(path: path, reason: "it is not a regular file")
        case .failure(.unreadable(let why)): throw .unreadable(path: path, reason: why)
        }
        let bytes = Bytes(storage: storage)
        let digest = bytes.withUnsafeBytes { FileDigest.sha256(of: $0) }
        do {
            return try read(bytes, path: path, sha256: digest)
        } catch let error as CheckpointError {
            throw error
        } catch let error as FlatBufferTable.Malformed {
            throw .malformed(path: path, offset: error.offset, problem: error.problem)
        } catch {
            throw .unreadable(path: path, reason: "\(error)")
        }
    }

    private static func read(_ bytes: Bytes, path: String, sha256: String) throws -> OnnxRuntimeCheckpoint {
        let root = try FlatBufferTable.root(of: bytes, identifier: fileIdentifier)
        let version = try root.scalar(0, Int32.self, default: 0)
        guard let state = try root.table(1) else { throw CheckpointError.noModuleState(path: path) }
        if try state.scalar(2, UInt8.self, default: 0) != 0 { throw CheckpointError.nominal(path: path) }
        let external = try state.scalar(3, UInt8.self, default: 0) != 0
        let data = external ? try externalData(for: path) : nil
        func tensors(_ field: Int) throws -> [Tensor] {
            try state.tables(field).map { try tensor($0, externalData: data, path: path) }
        }
        return OnnxRuntimeCheckpoint(path: path, sha256: sha256, size: bytes.count, version: version, trainable: try tensors(0), frozen: try tensors(1))
    }

    /// `<checkpoint>.data`, where a checkpoint with external data keeps its tensors' bytes.
    private static func externalData(for path: String) throws(CheckpointError) -> Bytes {
        let dataPath = path + ".data"
        switch MappedFile.map(dataPath) {
        case .success(let s): return Bytes(storage: s)
        case .failure: throw .unreadable(path: dataPath, reason: "the checkpoint keeps its tensors in this external data file, which cannot be read")
        }
    }

    private static func tensor(_ t: FlatBufferTable, externalData: Bytes?, path: String) throws -> Tensor {
        guard let name = try t.string(0) else { throw CheckpointError.malformed(path: path, offset: t.position, problem: "a tensor without a name") }
        let dims = try t.scalars(2, Int64.self)
        let type = ElementType(rawValue: try t.scalar(3, Int32.self, default: 0))
        guard let width = type.byteWidth, type != .string, dims.allSatisfy({ $0 >= 0 }) else {
            throw CheckpointError.unsupportedTensor(path: path, name: name, reason: "element type \(type) with dims \(dims)")
        }
        let (count, overflow) = dims.reduce((Int64(1), false)) { acc, d in
            let (p, o) = acc.0.multipliedReportingOverflow(by: d); return (p, acc.1 || o)
        }
        guard !overflow, count <= Int64(Int.max / width) else {
            throw CheckpointError.unsupportedTensor(path: path, name: name, reason: "dims \(dims) overflow")
        }
        let length = Int(count) * width
        let offset = try t.scalar(6, Int64.self, default: -1)
        let payload: Bytes
        if offset >= 0 {
            guard let externalData, offset <= Int64(externalData.count - length) else {
                throw CheckpointError.malformed(path: path, offset: t.position, problem: "tensor '\(name)' lies outside its external data file")
            }
            payload = externalData.slice(Int(offset), length)
        } else {
            guard let raw = try t.byteVector(4), raw.count == length else {
                throw CheckpointError.malformed(path: path, offset: t.position, problem: "tensor '\(name)' holds a different number of bytes than its dims \(dims) need (\(length))")
            }
            payload = raw
        }
        return Tensor(name: name, elementType: type, dims: dims, payload: .raw(payload))
    }
}

/// Why a checkpoint cannot be used. Each message names the file and what to do.
public enum CheckpointError: Error, Equatable, CustomStringConvertible {
    /// The refusal rule of `--checkpoint`, as a requirement of `freezer qualify`'s specification.
    public static let refusalRules: [(id: String, statement: String, exitCode: Int32)] = [
        ("REF-CHECKPOINT", "A --checkpoint that is not an onnxruntime-training checkpoint (another file, a truncated one, a nominal one) or whose tensors do not fit the model's value-less parameters is refused with a message that names the file and what does not fit; exit 65; nothing is written.", 65),
    ]

    case unreadable(path: String, reason: String)
    case malformed(path: String, offset: Int, problem: String)
    case noModuleState(path: String)
    case nominal(path: String)
    case unsupportedTensor(path: String, name: String, reason: String)
    case parameterMismatch(path: String, problems: [String])

    public var description: String {
        switch self {
        case let .unreadable(p, why): "cannot read checkpoint '\(p)': \(why)."
        case let .malformed(p, offset, problem):
            "'\(p)' is not a valid onnxruntime-training checkpoint: \(problem) (byte \(offset)). Give the `checkpoint` file that generate_artifacts or CheckpointState.save_checkpoint wrote."
        case let .noModuleState(p): "checkpoint '\(p)' holds no module state (no parameters)."
        case let .nominal(p):
            "checkpoint '\(p)' is a nominal checkpoint: it names the parameters but holds no values. Use the checkpoint saved after training."
        case let .unsupportedTensor(p, name, why): "checkpoint '\(p)': tensor '\(name)' cannot be read (\(why))."
        case let .parameterMismatch(p, problems):
            "checkpoint '\(p)' does not fit the model: \(problems.joined(separator: "; ")). Give the checkpoint of the same artifacts."
        }
    }
}
