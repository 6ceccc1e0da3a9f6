/// An operator application. Inputs and outputs refer to values of the node's own graph; an absent
/// optional input or output (an empty name in ONNX) is nil.
public struct Node: Sendable, Equatable {
    public let id: NodeID
    public var name: String
    public var opType: String
    /// As the file spells it: the default ONNX domain is "" or `ai.onnx` (see `isDefaultDomain`).
    public var domain: String
    /// The opset version of `domain` in effect for this node, from the model's opset imports.
    public var opsetVersion: Int64?
    public internal(set) var inputs: [ValueID?]
    public internal(set) var outputs: [ValueID?]
    public internal(set) var attributes: [Attribute]
    /// Values of this graph that the node's subgraphs read by name (implicit inputs).
    public internal(set) var captures: [ValueID]
    public var docString: String
    public var residual: Residual

    public func attribute(_ name: String) -> Attribute? { attributes.first { $0.name == name } }

    /// The domain as users write it: `ai.onnx` for the default domain.
    public var domainName: String { Domain.displayName(domain) }

    /// `domain::OpType`, or just `OpType` in the default domain.
    public var qualifiedOpType: String { isDefaultDomain ? opType : "\(domain)::\(opType)" }

    public var hasSubgraphs: Bool { attributes.contains { !$0.subgraphs.isEmpty } }
}

/// A node as described before it joins a graph: inputs and outputs by name, as in a file.
public struct NodeSpec: Sendable {
    public var name: String
    public var opType: String
    public var domain: String
    public var opsetVersion: Int64?
    public var inputs: [String]
    public var outputs: [String]
    public var attributes: [Attribute]
    public var docString: String
    public var residual: Residual

    public init(name: String = "", opType: String, domain: String = "", opsetVersion: Int64? = nil,
                inputs: [String], outputs: [String], attributes: [Attribute] = [],
                docString: String = "", residual: Residual = .none) {
        self.name = name
        self.opType = opType
        self.domain = domain
        self.opsetVersion = opsetVersion
        self.inputs = inputs
        self.outputs = outputs
        self.attributes = attributes
        self.docString = docString
        self.residual = residual
    }
}
