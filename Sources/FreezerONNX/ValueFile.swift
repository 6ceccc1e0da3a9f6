import FreezerIR
import OnnxProto
import SwiftProtobuf

/// A value stored in an ONNX test data file: a tensor (`TensorProto`), a sequence of tensors
/// (`SequenceProto`) or an optional (`OptionalProto`, empty or holding a tensor or a sequence).
public enum StoredValue: Sendable {
    case tensor(Tensor)
    case sequence([Tensor])
    indirect case optional(StoredValue?)
}

/// Reads test data files of any value kind. The bytes alone do not say which message a file holds
/// (protobuf decodes many byte strings as any message), so the caller names the kind the graph
/// declares for the value: `sequence`, `optional`, or nil for a tensor.
public enum ValueFile {
    public static func read(path: String, kind: String?) throws(TensorFileError) -> StoredValue {
        switch kind {
        case "sequence":
            return .sequence(try sequence(try decode(path, as: Onnx_SequenceProto.self), path))
        case "optional":
            return try optional(try decode(path, as: Onnx_OptionalProto.self), path)
        default:
            return .tensor(try TensorFile.read(path: path))
        }
    }

    private static func decode<M: SwiftProtobuf.Message>(_ path: String, as: M.Type) throws(TensorFileError) -> M {
        let storage: ByteStorage
        switch MappedFile.map(path) {
        case .success(let s): storage = s
        case .failure(let f): throw .from(f, path: path)
        }
        let bytes = Bytes(storage: storage)
        do {
            return try bytes.withUnsafeBytes { try M(serializedBytes: Array($0)) }
        } catch {
            throw .malformed(path: path, problem: "the protobuf data does not decode as an ONNX \(M.protoMessageName) (\(error))")
        }
    }

    private static func tensor(_ proto: Onnx_TensorProto, _ path: String) throws(TensorFileError) -> Tensor {
        try TensorFile.imported(proto, path: path)
    }

    private static func sequence(_ proto: Onnx_SequenceProto, _ path: String) throws(TensorFileError) -> [Tensor] {
        guard proto.sequenceValues.isEmpty, proto.mapValues.isEmpty, proto.optionalValues.isEmpty, proto.sparseTensorValues.isEmpty else {
            throw .invalidTensor(path: path, problem: "the sequence holds sequences, maps, optionals or sparse tensors; freezer reads sequences of tensors")
        }
        var tensors: [Tensor] = []
        for t in proto.tensorValues { tensors.append(try tensor(t, path)) }
        return tensors
    }

    private static func optional(_ proto: Onnx_OptionalProto, _ path: String) throws(TensorFileError) -> StoredValue {
        if proto.hasTensorValue { return .optional(.tensor(try tensor(proto.tensorValue, path))) }
        if proto.hasSequenceValue { return .optional(.sequence(try sequence(proto.sequenceValue, path))) }
        if proto.hasMapValue || proto.hasOptionalValue || proto.hasSparseTensorValue {
            throw .invalidTensor(path: path, problem: "the optional holds a map, optional or sparse tensor; freezer reads optionals of tensors and sequences")
        }
        return .optional(nil)
    }
}
