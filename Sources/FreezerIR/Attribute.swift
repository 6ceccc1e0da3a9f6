/// A node attribute. Subgraph attributes (If branches, Loop/Scan bodies) hold full IR graphs.
public struct Attribute: Sendable, Equatable {
    public var name: String
    public var value: Value
    public var docString: String
    /// For attributes inside functions that refer to the function's attributes (`ref_attr_name`).
    public var refAttrName: String
    public var residual: Residual

    public init(name: String, value: Value, docString: String = "", refAttrName: String = "", residual: Residual = .none) {
        self.name = name
        self.value = value
        self.docString = docString
        self.refAttrName = refAttrName
        self.residual = residual
    }

    public enum Value: Sendable, Equatable {
        case float(Float)
        case int(Int64)
        case string([UInt8])
        case tensor(Tensor)
        case graph(Graph)
        case floats([Float])
        case ints([Int64])
        case strings([[UInt8]])
        case tensors([Tensor])
        case graphs([Graph])
        /// Sparse tensors and type protos: kept as encoded, never interpreted.
        case opaque(kind: Int32)
    }

    // Kept out of line: Swift 6.3.1's optimizer miscompiles these when inlined across modules into
    // optional chains (`attribute("min")?.floatValue`), aborting release builds with an ownership error.
    public var intValue: Int64? { @inline(never) get { if case .int(let v) = value { v } else { nil } } }
    public var floatValue: Float? { @inline(never) get { if case .float(let v) = value { v } else { nil } } }
    public var stringValue: String? { @inline(never) get { if case .string(let v) = value { String(decoding: v, as: UTF8.self) } else { nil } } }
    public var intsValue: [Int64]? { @inline(never) get { if case .ints(let v) = value { v } else { nil } } }
    public var tensorValue: Tensor? { @inline(never) get { if case .tensor(let v) = value { v } else { nil } } }

    /// Subgraphs held by this attribute.
    public var subgraphs: [Graph] {
        switch value {
        case .graph(let g): [g]
        case .graphs(let gs): gs
        default: []
        }
    }
}
