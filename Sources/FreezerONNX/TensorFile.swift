import FreezerIR
import Foundation
import OnnxProto
import SwiftProtobuf

/// Reads and writes single tensors stored as serialized ONNX `TensorProto` messages, the format of
/// ONNX test data (`test_data_set_0/input_0.pb`).
public enum TensorFile {
    /// Reads the tensor in `path`. The tensor's name is the one stored in the file (often the graph
    /// input or output it belongs to; may be empty).
    ///
    /// Refuses, naming the file: missing, empty or unreadable files; bytes that are not a TensorProto
    /// (including other ONNX messages such as a model or a SequenceProto); tensors without an element
    /// type; values whose stored size does not match the shape; external-data tensors.
    public static func read(path: String) throws(TensorFileError) -> Tensor {
        let storage: ByteStorage
        switch MappedFile.map(path) {
        case .success(let s): storage = s
        case .failure(let f): throw .from(f, path: path)
        }
        guard storage.count > 0 else { throw .empty(path: path) }
        let bytes = Bytes(storage: storage)
        let proto: Onnx_TensorProto
        do {
            proto = try bytes.withUnsafeBytes { try Onnx_TensorProto(serializedBytes: Array($0)) }
        } catch {
            if let kind = otherMessage(bytes) { throw .notATensor(path: path, looksLike: kind) }
            throw .malformed(path: path, problem: "the protobuf data does not decode as an ONNX TensorProto (\(error))")
        }
        // Protobuf accepts many byte strings as a message of another type, so a file that fails the
        // checks below may be another ONNX message; name it rather than its symptom.
        func refuse(_ error: TensorFileError) -> TensorFileError {
            otherMessage(bytes).map { .notATensor(path: path, looksLike: $0) } ?? error
        }
        guard proto.hasDataType, proto.dataType != 0 else {
            throw refuse(.malformed(path: path, problem: "it decodes as a TensorProto without a data_type, so it is not a tensor"))
        }
        if proto.hasSegment {
            throw refuse(.invalidTensor(path: path, problem: "tensor '\(proto.name)' is one segment of a chunked tensor, which freezer does not reassemble"))
        }
        do { return try imported(proto, path: path) } catch {
            if case .externalData = error { throw error }
            throw refuse(error)
        }
    }

    /// A stored tensor as freezer holds it: inline data only, an element type ONNX defines, and as many
    /// stored values as its shape needs (also the elements of sequences and optionals, `ValueFile`).
    static func imported(_ proto: Onnx_TensorProto, path: String) throws(TensorFileError) -> Tensor {
        if proto.dataLocation == .external || !proto.externalData.isEmpty { throw .externalData(path: path, tensor: proto.name) }
        let tensor: Tensor
        do {
            let importer = ProtoImport(lifted: [], token: PayloadToken(), external: ExternalDataResolver(modelPath: path))
            tensor = try importer.tensor(proto)
        } catch {
            throw .invalidTensor(path: path, problem: error.description)
        }
        guard tensor.elementType.isKnown else {
            throw .invalidTensor(path: path, problem: "tensor '\(tensor.name)' has element type \(tensor.elementType), which this version of ONNX does not define")
        }
        do { try tensor.checkSize() } catch { throw .invalidTensor(path: path, problem: error.description) }
        return tensor
    }

    /// Writes `tensor` to `path` as a serialized TensorProto with its values in `raw_data` (strings in
    /// `string_data`), atomically: readers see the old file or the complete new one. The directory must
    /// exist.
    public static func write(_ tensor: Tensor, to path: String) throws(TensorFileError) {
        var proto = Onnx_TensorProto()
        proto.dims = tensor.dims
        proto.dataType = tensor.elementType.rawValue
        if !tensor.name.isEmpty { proto.name = tensor.name }
        if !tensor.docString.isEmpty { proto.docString = tensor.docString }
        do throws(TensorError) {
            if tensor.elementType == .string {
                guard case .fields(let f) = tensor.payload else {
                    throw TensorError.unsupportedElementType(tensor: tensor.name, elementType: .string, operation: "write from raw bytes")
                }
                try tensor.checkSize()
                proto.stringData = f.stringData.map { Data($0) }
            } else {
                let raw = try tensor.rawBytes()
                proto.rawData = raw.withUnsafeBytes { Data($0) }
            }
        } catch {
            throw .cannotStore(path: path, problem: error.description)
        }
        let encoded: [UInt8]
        do { encoded = try proto.serializedBytes() } catch {
            throw .cannotStore(path: path, problem: "the tensor cannot be encoded: \(error)")
        }
        do {
            try AtomicFile.write(to: path) { sink in try sink.write(encoded) }
        } catch {
            throw .from(error, path: path)
        }
    }

    /// Names the ONNX message a non-tensor protobuf file holds, to make the error specific.
    private static func otherMessage(_ bytes: Bytes) -> String? {
        let array = bytes.array
        if let m = try? Onnx_ModelProto(serializedBytes: array), m.hasGraph || !m.opsetImport.isEmpty {
            return "ModelProto (a whole model: pass it as the MODEL argument, not as a tensor)"
        }
        // Sequence and optional files share field numbers 1 and 2 with TensorProto; require a value.
        if let s = try? Onnx_SequenceProto(serializedBytes: array),
           !s.tensorValues.isEmpty || !s.sequenceValues.isEmpty || !s.mapValues.isEmpty || !s.optionalValues.isEmpty {
            return "SequenceProto (a sequence of tensors, which freezer does not take as an input or expected output file)"
        }
        if let o = try? Onnx_OptionalProto(serializedBytes: array),
           o.hasTensorValue || o.hasSequenceValue || o.hasMapValue || o.hasOptionalValue {
            return "OptionalProto (an optional value, which freezer does not take as an input or expected output file)"
        }
        if let g = try? Onnx_GraphProto(serializedBytes: array), !g.node.isEmpty {
            return "GraphProto (a bare graph)"
        }
        return nil
    }
}
