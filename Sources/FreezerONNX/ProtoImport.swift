import FreezerIR
import Foundation
import OnnxProto
import SwiftProtobuf

/// Converts decoded protobuf messages into the IR. The only place besides `ProtoExport` that sees
/// the generated ONNX types.
struct ProtoImport {
    /// Payloads lifted out of the file before decoding, indexed by token.
    let lifted: [Bytes]
    let token: PayloadToken
    let external: ExternalDataResolver

    func model(_ proto: Onnx_ModelProto) throws(ModelLoadError) -> Model {
        let opsets = proto.opsetImport.map { OpsetImport(domain: $0.domain, version: $0.version) }
        let versions = Self.versionTable(opsets)
        let graph = try graph(proto.graph, outerScope: [], opsets: versions)
        let mainNames = Self.definedNames(proto.graph)
        var training: [TrainingInfo] = []
        for info in proto.trainingInfo {
            var rest = info
            rest.clearInitialization(); rest.clearAlgorithm()
            rest.initializationBinding = []; rest.updateBinding = []
            training.append(TrainingInfo(
                initialization: info.hasInitialization ? try self.graph(info.initialization, outerScope: mainNames, opsets: versions) : nil,
                algorithm: info.hasAlgorithm ? try self.graph(info.algorithm, outerScope: mainNames, opsets: versions) : nil,
                initializationBinding: info.initializationBinding.map { .init(key: $0.key, value: $0.value) },
                updateBinding: info.updateBinding.map { .init(key: $0.key, value: $0.value) },
                residual: residual(rest)))
        }
        let functions = try proto.functions.map { (f) throws(ModelLoadError) -> Function in
            let fVersions = Self.versionTable(f.opsetImport.map { OpsetImport(domain: $0.domain, version: $0.version) })
            let nodes = try f.node.map { (n) throws(ModelLoadError) in try nodeSpec(n, outerScope: [], opsets: fVersions.isEmpty ? versions : fVersions) }
            return Function(domain: f.domain, name: f.name, overload: f.overload, nodes: nodes,
                            encoding: try encode(f))
        }
        var rest = proto
        rest.clearIrVersion(); rest.opsetImport = []; rest.clearProducerName(); rest.clearProducerVersion()
        rest.clearDomain(); rest.clearModelVersion(); rest.clearDocString(); rest.clearGraph()
        rest.metadataProps = []; rest.trainingInfo = []; rest.functions = []
        return Model(irVersion: proto.irVersion, opsetImports: opsets, producerName: proto.producerName,
                     producerVersion: proto.producerVersion, domain: proto.domain, modelVersion: proto.modelVersion,
                     docString: proto.docString, graph: graph,
                     metadataProps: proto.metadataProps.map { ($0.key, $0.value) }, trainingInfo: training,
                     functions: functions, residual: residual(rest))
    }

    static func versionTable(_ opsets: [OpsetImport]) -> [String: Int64] {
        var table: [String: Int64] = [:]
        for o in opsets { table[Domain.key(o.domain)] = o.version }
        return table
    }

    /// Every name a graph defines: inputs, initializers (dense and sparse) and node outputs.
    static func definedNames(_ g: Onnx_GraphProto) -> Set<String> {
        var names = Set(g.input.map(\.name))
        names.formUnion(g.initializer.map(\.name))
        names.formUnion(g.sparseInitializer.map(\.values.name))
        for n in g.node { names.formUnion(n.output.filter { !$0.isEmpty }) }
        return names
    }

    func graph(_ g: Onnx_GraphProto, outerScope: Set<String>, opsets: [String: Int64]) throws(ModelLoadError) -> Graph {
        let visible = outerScope.union(Self.definedNames(g))
        // Sparse initializers stay in the residual; their names are visible so reads of them resolve.
        let sparseNames = Set(g.sparseInitializer.map(\.values.name))
        var nodes: [NodeSpec] = []
        nodes.reserveCapacity(g.node.count)
        for n in g.node { nodes.append(try nodeSpec(n, outerScope: visible, opsets: opsets)) }
        var initializers: [Tensor] = []
        initializers.reserveCapacity(g.initializer.count)
        for t in g.initializer { initializers.append(try tensor(t)) }
        var rest = g
        rest.node = []; rest.clearName(); rest.initializer = []; rest.clearDocString()
        rest.input = []; rest.output = []; rest.valueInfo = []
        return Graph(name: g.name, inputs: g.input.map(valueInfo), outputs: g.output.map(valueInfo),
                     valueInfo: g.valueInfo.map(valueInfo), initializers: initializers, nodes: nodes,
                     outerScope: outerScope.union(sparseNames), docString: g.docString, residual: residual(rest))
    }

    func nodeSpec(_ n: Onnx_NodeProto, outerScope: Set<String>, opsets: [String: Int64]) throws(ModelLoadError) -> NodeSpec {
        var attributes: [Attribute] = []
        for a in n.attribute { attributes.append(try attribute(a, outerScope: outerScope, opsets: opsets)) }
        var rest = n
        rest.input = []; rest.output = []; rest.clearName(); rest.clearOpType(); rest.clearDomain()
        rest.attribute = []; rest.clearDocString()
        return NodeSpec(name: n.name, opType: n.opType, domain: n.domain, opsetVersion: opsets[Domain.key(n.domain)],
                        inputs: n.input, outputs: n.output, attributes: attributes,
                        docString: n.docString, residual: residual(rest))
    }

    func attribute(_ a: Onnx_AttributeProto, outerScope: Set<String>, opsets: [String: Int64]) throws(ModelLoadError) -> Attribute {
        var rest = a
        rest.clearName(); rest.clearRefAttrName(); rest.clearDocString()
        var kind = a.type
        if kind == .undefined { kind = Self.inferType(a) }
        let value: Attribute.Value
        switch kind {
        case .float: value = .float(a.f); rest.clearF()
        case .int: value = .int(a.i); rest.clearI()
        case .string: value = .string(Array(a.s)); rest.clearS()
        case .tensor: value = .tensor(try tensor(a.t)); rest.clearT()
        case .graph: value = .graph(try graph(a.g, outerScope: outerScope, opsets: opsets)); rest.clearG()
        case .floats: value = .floats(a.floats); rest.floats = []
        case .ints: value = .ints(a.ints); rest.ints = []
        case .strings: value = .strings(a.strings.map { Array($0) }); rest.strings = []
        case .tensors:
            var ts: [Tensor] = []
            for t in a.tensors { ts.append(try tensor(t)) }
            value = .tensors(ts); rest.tensors = []
        case .graphs:
            var gs: [Graph] = []
            for g in a.graphs { gs.append(try graph(g, outerScope: outerScope, opsets: opsets)) }
            value = .graphs(gs); rest.graphs = []
        default:
            // Sparse tensors and type protos stay encoded in the residual, type included.
            return Attribute(name: a.name, value: .opaque(kind: Int32(kind.rawValue)), docString: a.docString,
                             refAttrName: a.refAttrName, residual: residual(rest))
        }
        if a.type != .undefined { rest.clearType() }
        return Attribute(name: a.name, value: value, docString: a.docString, refAttrName: a.refAttrName,
                         residual: residual(rest))
    }

    /// IR 1-era attributes may lack `type`; the set field tells.
    static func inferType(_ a: Onnx_AttributeProto) -> Onnx_AttributeProto.AttributeType {
        if a.hasF { return .float }
        if a.hasI { return .int }
        if a.hasS { return .string }
        if a.hasT { return .tensor }
        if a.hasG { return .graph }
        if !a.floats.isEmpty { return .floats }
        if !a.ints.isEmpty { return .ints }
        if !a.strings.isEmpty { return .strings }
        if !a.tensors.isEmpty { return .tensors }
        if !a.graphs.isEmpty { return .graphs }
        return .undefined
    }

    func tensor(_ t: Onnx_TensorProto) throws(ModelLoadError) -> Tensor {
        var rest = t
        rest.dims = []; rest.clearDataType(); rest.clearName(); rest.clearDocString(); rest.clearRawData()
        rest.floatData = []; rest.int32Data = []; rest.stringData = []; rest.int64Data = []
        rest.doubleData = []; rest.uint64Data = []; rest.externalData = []; rest.clearDataLocation()
        var result = Tensor(name: t.name, elementType: ElementType(rawValue: t.dataType), dims: t.dims,
                            payload: .fields(TypedFields()), docString: t.docString, residual: residual(rest))
        if t.dataLocation == .external {
            let (bytes, source) = try external.resolve(tensor: t.name, entries: t.externalData.map { ($0.key, $0.value) })
            result.payload = .raw(bytes)
            result.externalSource = source
        } else if t.hasRawData {
            result.payload = .raw(t.rawData.withUnsafeBytes { raw in
                token.decode(raw).flatMap { $0 < lifted.count ? lifted[$0] : nil } ?? Bytes(storage: ByteStorage(copying: raw))
            })
        } else {
            var f = TypedFields()
            f.floatData = t.floatData; f.int32Data = t.int32Data; f.stringData = t.stringData.map { Array($0) }
            f.int64Data = t.int64Data; f.doubleData = t.doubleData; f.uint64Data = t.uint64Data
            result.payload = .fields(f)
        }
        return result
    }

    func valueInfo(_ v: Onnx_ValueInfoProto) -> ValueInfo {
        var rest = v
        rest.clearName(); rest.clearType(); rest.clearDocString()
        return ValueInfo(name: v.name, type: v.hasType ? Self.valueType(v.type) : nil, docString: v.docString,
                         residual: residual(rest))
    }

    static func valueType(_ t: Onnx_TypeProto) -> ValueType {
        let encoding = (try? t.serializedBytes() as [UInt8]) ?? []
        switch t.value {
        case .tensorType(let tt):
            let view = TensorType(elementType: ElementType(rawValue: tt.elemType),
                                  shape: tt.hasShape ? tt.shape.dim.map(dimension) : nil)
            return ValueType(tensor: view, otherKind: nil, encoding: .init(bytes: encoding, tensorAsRead: view))
        case .sparseTensorType: return ValueType(tensor: nil, otherKind: "sparse_tensor", encoding: .init(bytes: encoding, tensorAsRead: nil))
        case .sequenceType: return ValueType(tensor: nil, otherKind: "sequence", encoding: .init(bytes: encoding, tensorAsRead: nil))
        case .mapType: return ValueType(tensor: nil, otherKind: "map", encoding: .init(bytes: encoding, tensorAsRead: nil))
        case .optionalType: return ValueType(tensor: nil, otherKind: "optional", encoding: .init(bytes: encoding, tensorAsRead: nil))
        case .opaqueType: return ValueType(tensor: nil, otherKind: "opaque", encoding: .init(bytes: encoding, tensorAsRead: nil))
        case nil: return ValueType(tensor: nil, otherKind: "unspecified", encoding: .init(bytes: encoding, tensorAsRead: nil))
        }
    }

    static func dimension(_ d: Onnx_TensorShapeProto.Dimension) -> FreezerIR.Dimension {
        switch d.value {
        case .dimValue(let v): .value(v)
        case .dimParam(let s): .symbol(s)
        case nil: .unknown
        }
    }

    private func residual<M: SwiftProtobuf.Message>(_ message: M) -> Residual {
        Residual((try? message.serializedBytes() as [UInt8]) ?? [])
    }

    private func encode<M: SwiftProtobuf.Message>(_ message: M) throws(ModelLoadError) -> [UInt8] {
        (try? message.serializedBytes() as [UInt8]) ?? []
    }
}
