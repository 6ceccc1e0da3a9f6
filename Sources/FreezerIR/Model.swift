/// An ONNX model: the main graph plus everything the file says about it.
public struct Model: Sendable, Equatable {
    public var irVersion: Int64
    public var opsetImports: [OpsetImport]
    public var producerName: String
    public var producerVersion: String
    public var domain: String
    public var modelVersion: Int64
    public var docString: String
    public var graph: Graph
    public var metadataProps: [(key: String, value: String)]
    public var trainingInfo: [TrainingInfo]
    public var functions: [Function]
    public var residual: Residual

    public init(irVersion: Int64, opsetImports: [OpsetImport], producerName: String = "", producerVersion: String = "",
                domain: String = "", modelVersion: Int64 = 0, docString: String = "", graph: Graph,
                metadataProps: [(key: String, value: String)] = [], trainingInfo: [TrainingInfo] = [],
                functions: [Function] = [], residual: Residual = .none) {
        self.irVersion = irVersion
        self.opsetImports = opsetImports
        self.producerName = producerName
        self.producerVersion = producerVersion
        self.domain = domain
        self.modelVersion = modelVersion
        self.docString = docString
        self.graph = graph
        self.metadataProps = metadataProps
        self.trainingInfo = trainingInfo
        self.functions = functions
        self.residual = residual
    }

    /// The opset version imported for `domain` ("" and "ai.onnx" are the same domain).
    public func opsetVersion(for domain: String) -> Int64? {
        let d = Domain.key(domain)
        return opsetImports.first { Domain.key($0.domain) == d }?.version
    }

    public static func == (a: Model, b: Model) -> Bool {
        a.irVersion == b.irVersion && a.opsetImports == b.opsetImports && a.producerName == b.producerName
            && a.producerVersion == b.producerVersion && a.domain == b.domain && a.modelVersion == b.modelVersion
            && a.docString == b.docString && a.graph == b.graph
            && a.metadataProps.map(\.key) == b.metadataProps.map(\.key)
            && a.metadataProps.map(\.value) == b.metadataProps.map(\.value)
            && a.trainingInfo == b.trainingInfo && a.functions == b.functions && a.residual == b.residual
    }
}

public struct OpsetImport: Sendable, Hashable {
    /// As the file spells it: "" or "ai.onnx" for the default domain (see `isDefaultDomain`).
    public var domain: String
    public var version: Int64
    public init(domain: String, version: Int64) {
        self.domain = domain
        self.version = version
    }
}

/// `ModelProto.training_info`: how the model was (or would be) trained.
public struct TrainingInfo: Sendable, Equatable {
    public var initialization: Graph?
    public var algorithm: Graph?
    public var initializationBinding: [Binding]
    public var updateBinding: [Binding]
    public var residual: Residual

    public struct Binding: Sendable, Hashable {
        public var key: String
        public var value: String
        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    public init(initialization: Graph?, algorithm: Graph?, initializationBinding: [Binding],
                updateBinding: [Binding], residual: Residual = .none) {
        self.initialization = initialization
        self.algorithm = algorithm
        self.initializationBinding = initializationBinding
        self.updateBinding = updateBinding
        self.residual = residual
    }
}

/// A model-local function. Its body is kept as it was read; `nodes` lists its operators for analysis.
public struct Function: Sendable, Equatable {
    public var domain: String
    public var name: String
    public var overload: String
    public var nodes: [NodeSpec]
    /// The function as encoded in the file, written back unchanged.
    public var encoding: [UInt8]

    public init(domain: String, name: String, overload: String, nodes: [NodeSpec], encoding: [UInt8]) {
        self.domain = domain
        self.name = name
        self.overload = overload
        self.nodes = nodes
        self.encoding = encoding
    }

    public static func == (a: Function, b: Function) -> Bool { a.encoding == b.encoding }
}
