import FreezerIR
import Foundation
import OnnxProto
import SwiftProtobuf

/// Converts the IR back into protobuf messages. Large payloads become tokens (spliced back when the
/// file is streamed out) or external-data references, as `placement` decides per tensor.
struct ProtoExport {
    enum Placement { case inline, external }

    let token: PayloadToken
    /// Tensors with at least this many payload bytes are tokens rather than copied into the message.
    let tokenThreshold = 64
    let placement: (Tensor) -> Placement
    /// Payloads referenced by tokens, by token index.
    private(set) var payloads: [Bytes] = []
    /// Tensors to write to the external data file, in order, with their assigned location; `inPlace`:
    /// already there (see `inPlace`), not to be written.
    private(set) var externalTensors: [(name: String, bytes: Bytes, offset: Int, inPlace: Bool)] = []
    let dataLocation: String
    private var externalSize = 0
    /// Offsets in the data file are aligned so that mapped tensors start on a 64-byte boundary.
    static let externalAlignment = 64
    /// Where a payload already lies in the data file (written there before the save), nil when it does
    /// not: such payloads keep their place, the others follow after `inPlaceEnd`.
    let inPlace: ((Bytes) -> Int?)?

    init(token: PayloadToken, dataLocation: String, inPlace: ((Bytes) -> Int?)? = nil, inPlaceEnd: Int = 0,
         placement: @escaping (Tensor) -> Placement) {
        self.token = token
        self.dataLocation = dataLocation
        self.placement = placement
        self.inPlace = inPlace
        externalSize = inPlaceEnd
    }

    mutating func model(_ m: Model) throws(ModelSaveError) -> Onnx_ModelProto {
        var p = Onnx_ModelProto()
        p.irVersion = m.irVersion
        p.opsetImport = m.opsetImports.map { o in var x = Onnx_OperatorSetIdProto(); if !o.domain.isEmpty { x.domain = o.domain }; x.version = o.version; return x }
        if !m.producerName.isEmpty { p.producerName = m.producerName }
        if !m.producerVersion.isEmpty { p.producerVersion = m.producerVersion }
        if !m.domain.isEmpty { p.domain = m.domain }
        if m.modelVersion != 0 { p.modelVersion = m.modelVersion }
        if !m.docString.isEmpty { p.docString = m.docString }
        p.graph = try graph(m.graph)
        p.metadataProps = m.metadataProps.map { Self.entry($0.key, $0.value) }
        for info in m.trainingInfo {
            var t = Onnx_TrainingInfoProto()
            if let g = info.initialization { t.initialization = try graph(g) }
            if let g = info.algorithm { t.algorithm = try graph(g) }
            t.initializationBinding = info.initializationBinding.map { Self.entry($0.key, $0.value) }
            t.updateBinding = info.updateBinding.map { Self.entry($0.key, $0.value) }
            try merge(&t, info.residual)
            p.trainingInfo.append(t)
        }
        for f in m.functions {
            do { p.functions.append(try Onnx_FunctionProto(serializedBytes: f.encoding)) }
            catch { throw .invalidTensor("function \(f.domain)::\(f.name) cannot be re-encoded: \(error)") }
        }
        try merge(&p, m.residual)
        return p
    }

    static func entry(_ key: String, _ value: String) -> Onnx_StringStringEntryProto {
        var e = Onnx_StringStringEntryProto()
        e.key = key
        e.value = value
        return e
    }

    mutating func graph(_ g: Graph) throws(ModelSaveError) -> Onnx_GraphProto {
        var p = Onnx_GraphProto()
        if !g.name.isEmpty { p.name = g.name }
        if !g.docString.isEmpty { p.docString = g.docString }
        for node in g.nodes { p.node.append(try self.node(node, in: g)) }
        for (_, t) in g.initializers { p.initializer.append(try tensor(t)) }
        p.input = try g.inputs.map { (id) throws(ModelSaveError) in try valueInfo(g.value(id)) }
        p.output = try g.outputs.map { (id) throws(ModelSaveError) in try valueInfo(g.value(id)) }
        for v in g.values where v.declaredInValueInfo && v.producer != .missing {
            p.valueInfo.append(try valueInfo(v))
        }
        for info in g.orphanValueInfo { p.valueInfo.append(try valueInfo(name: info.name, type: info.type, doc: info.docString, residual: info.residual)) }
        try merge(&p, g.residual)
        return p
    }

    mutating func node(_ n: Node, in g: Graph) throws(ModelSaveError) -> Onnx_NodeProto {
        var p = Onnx_NodeProto()
        p.input = n.inputs.map { $0.map { g.value($0).name } ?? "" }
        p.output = n.outputs.map { $0.map { g.value($0).name } ?? "" }
        if !n.name.isEmpty { p.name = n.name }
        p.opType = n.opType
        if !n.domain.isEmpty { p.domain = n.domain }
        if !n.docString.isEmpty { p.docString = n.docString }
        for a in n.attributes { p.attribute.append(try attribute(a)) }
        try merge(&p, n.residual)
        return p
    }

    mutating func attribute(_ a: Attribute) throws(ModelSaveError) -> Onnx_AttributeProto {
        var p = Onnx_AttributeProto()
        p.name = a.name
        if !a.refAttrName.isEmpty { p.refAttrName = a.refAttrName }
        if !a.docString.isEmpty { p.docString = a.docString }
        switch a.value {
        case .float(let v): p.type = .float; p.f = v
        case .int(let v): p.type = .int; p.i = v
        case .string(let v): p.type = .string; p.s = Data(v)
        case .tensor(let t): p.type = .tensor; p.t = try tensor(t)
        case .graph(let g): p.type = .graph; p.g = try graph(g)
        case .floats(let v): p.type = .floats; p.floats = v
        case .ints(let v): p.type = .ints; p.ints = v
        case .strings(let v): p.type = .strings; p.strings = v.map { Data($0) }
        case .tensors(let ts): p.type = .tensors; for t in ts { p.tensors.append(try tensor(t)) }
        case .graphs(let gs): p.type = .graphs; for g in gs { p.graphs.append(try graph(g)) }
        case .opaque: break // type and value are in the residual
        }
        try merge(&p, a.residual)
        return p
    }

    mutating func tensor(_ t: Tensor) throws(ModelSaveError) -> Onnx_TensorProto {
        var p = Onnx_TensorProto()
        p.dims = t.dims
        p.dataType = t.elementType.rawValue
        if !t.name.isEmpty { p.name = t.name }
        if !t.docString.isEmpty { p.docString = t.docString }
        switch t.payload {
        case .raw(let bytes):
            if placement(t) == .external {
                let offset: Int
                if let at = inPlace?(bytes) {
                    offset = at
                    externalTensors.append((t.name, bytes, offset, true))
                } else {
                    offset = (externalSize + Self.externalAlignment - 1) / Self.externalAlignment * Self.externalAlignment
                    externalTensors.append((t.name, bytes, offset, false))
                    externalSize = offset + bytes.count
                }
                p.dataLocation = .external
                p.externalData = [Self.entry("location", dataLocation), Self.entry("offset", String(offset)),
                                  Self.entry("length", String(bytes.count))]
            } else if bytes.count >= tokenThreshold {
                p.rawData = Data(token.encode(payloads.count))
                payloads.append(bytes)
            } else {
                p.rawData = bytes.withUnsafeBytes { Data($0) }
            }
        case .fields(let f):
            p.floatData = f.floatData; p.int32Data = f.int32Data; p.stringData = f.stringData.map { Data($0) }
            p.int64Data = f.int64Data; p.doubleData = f.doubleData; p.uint64Data = f.uint64Data
        }
        try merge(&p, t.residual)
        return p
    }

    func valueInfo(_ v: Value) throws(ModelSaveError) -> Onnx_ValueInfoProto {
        try valueInfo(name: v.name, type: v.type, doc: v.docString, residual: v.residual)
    }

    func valueInfo(name: String, type: ValueType?, doc: String, residual: Residual) throws(ModelSaveError) -> Onnx_ValueInfoProto {
        var p = Onnx_ValueInfoProto()
        p.name = name
        if let type { p.type = try Self.typeProto(type) }
        if !doc.isEmpty { p.docString = doc }
        try merge(&p, residual)
        return p
    }

    static func typeProto(_ type: ValueType) throws(ModelSaveError) -> Onnx_TypeProto {
        if let bytes = type.reusableEncoding, let p = try? Onnx_TypeProto(serializedBytes: bytes) { return p }
        var p = Onnx_TypeProto()
        guard let tensor = type.tensor else { return p }
        var t = Onnx_TypeProto.Tensor()
        t.elemType = tensor.elementType.rawValue
        if let shape = tensor.shape {
            var s = Onnx_TensorShapeProto()
            s.dim = shape.map { d in
                var x = Onnx_TensorShapeProto.Dimension()
                switch d {
                case .value(let v): x.dimValue = v
                case .symbol(let n): x.dimParam = n
                case .unknown: break
                }
                return x
            }
            t.shape = s
        }
        p.tensorType = t
        return p
    }

    private func merge<M: SwiftProtobuf.Message>(_ message: inout M, _ residual: Residual) throws(ModelSaveError) {
        guard !residual.isEmpty else { return }
        do { try message.merge(serializedBytes: residual.bytes) }
        catch { throw .invalidTensor("internal: residual fields of \(M.protoMessageName) do not decode: \(error)") }
    }
}
