/// What the model is, at a glance: identity, signature, size. Part 1 of the report.
public struct ModelSummary: Codable, Sendable, Equatable {
    /// The model file and its data files, when the caller supplied them.
    public var source: InspectSource?
    public var irVersion: Int64
    /// Opset imports in file order; the default domain is written `ai.onnx`.
    public var opsetImports: [OpsetEntry]
    public var producerName: String
    public var producerVersion: String
    public var modelVersion: Int64
    public var modelDomain: String
    public var graphName: String
    /// Graph inputs that need a value at run time (no initializer).
    public var inputs: [TensorSignature]
    /// Graph inputs that also have an initializer: parameters a caller may override.
    public var initializerInputs: [TensorSignature]
    public var outputs: [TensorSignature]
    /// Main-graph nodes by op type (`domain::OpType` outside the default domain).
    public var nodeCounts: [String: Int]
    /// Nodes of graphs nested in main-graph nodes (If/Loop/Scan bodies), by op type.
    public var subgraphNodeCounts: [String: Int]
    public var mainGraphNodeCount: Int
    /// Main graph plus every nested subgraph.
    public var totalNodeCount: Int
    /// Number of graphs nested in the main graph.
    public var subgraphCount: Int
    public var initializerCount: Int
    /// Elements in the main graph's initializers.
    public var parameterCount: Int
    /// Bytes the main graph's initializers occupy as stored.
    public var parameterBytes: Int
    /// Every main-graph initializer (parameter) in file order: name, type and shape, element count,
    /// and where its values are stored. Values are not read.
    public var parameters: [ParameterEntry]
    public var trainingInfoCount: Int
    /// Nodes in all training_info graphs (initialization and algorithm, with their subgraphs).
    public var trainingInfoNodeCount: Int
    public var functionCount: Int

    public struct ParameterEntry: Codable, Sendable, Equatable {
        public var name: String
        /// `float32[64,3,7,7]`.
        public var type: String
        public var elements: Int
        public var bytes: Int
        /// `inline`, or the external data file's location.
        public var storage: String
        /// Whether the initializer is also a graph input (overridable at run time).
        public var isGraphInput: Bool
    }

    public struct OpsetEntry: Codable, Sendable, Equatable {
        public var domain: String
        public var version: Int64
        public init(domain: String, version: Int64) {
            self.domain = domain
            self.version = version
        }
    }
}

/// Name, element type and shape of a graph input or output.
public struct TensorSignature: Codable, Sendable, Equatable {
    public var name: String
    /// numpy-style element type (`float32`), or nil when the type is not a tensor or not declared.
    public var elementType: String?
    /// Dimensions as text: a number, a symbol, or `?`; nil when the rank is unknown.
    public var shape: [String]?
    /// The whole type as text (`float32[2,3]`, `sequence`, `unknown type`).
    public var type: String

    public init(name: String, elementType: String?, shape: [String]?, type: String) {
        self.name = name
        self.elementType = elementType
        self.shape = shape
        self.type = type
    }
}
