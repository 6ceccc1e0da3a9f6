/// Table 1 of the template: "Model conversion information".
public struct ModelConversion: Codable, Sendable, Equatable {
    /// `MC-` and the first 16 hex digits of SHA-256 over the conversion's inputs and options (`ConversionIdentity.id`).
    public var modelConversionID: String
    /// ISO 8601 date-time of the conversion (UTC).
    public var date: String
    public var responsible: String
    public var phaseOfTheLifecycle: String
    public var verifiedLearningModel: ModelFileInfo
    /// `<Model_ID>_<Model_ID_version>`.
    public var verifiedLearningModelID: String
    public var modelID: String
    public var modelIDVersion: String
    public var eliminationOfTrainingSpecificOperations: [EliminationEntry]
    public var loadingAndConverting: LoadingAndConverting

    public init(modelConversionID: String, date: String, responsible: String, phaseOfTheLifecycle: String = "Inference Management",
                verifiedLearningModel: ModelFileInfo, modelID: String, modelIDVersion: String,
                eliminationOfTrainingSpecificOperations: [EliminationEntry], loadingAndConverting: LoadingAndConverting) {
        self.modelConversionID = modelConversionID
        self.date = date
        self.responsible = responsible
        self.phaseOfTheLifecycle = phaseOfTheLifecycle
        self.verifiedLearningModel = verifiedLearningModel
        verifiedLearningModelID = "\(modelID)_\(modelIDVersion)"
        self.modelID = modelID
        self.modelIDVersion = modelIDVersion
        self.eliminationOfTrainingSpecificOperations = eliminationOfTrainingSpecificOperations
        self.loadingAndConverting = loadingAndConverting
    }
}

/// A model file and what it declares.
public struct ModelFileInfo: Codable, Sendable, Equatable {
    public var fileName: String
    public var path: String
    public var sha256: String
    public var size: Int
    public var dataFiles: [DataFileInfo]
    public var producerName: String
    public var producerVersion: String
    public var irVersion: Int64
    public var opsets: [OpsetInfo]
    public var inputs: [TensorSignature]
    public var outputs: [TensorSignature]
    public var nodeCounts: [String: Int]
    public var nodeCount: Int
    public var parameterCount: Int

    public init(fileName: String, path: String, sha256: String, size: Int, dataFiles: [DataFileInfo], producerName: String,
                producerVersion: String, irVersion: Int64, opsets: [OpsetInfo], inputs: [TensorSignature],
                outputs: [TensorSignature], nodeCounts: [String: Int], nodeCount: Int, parameterCount: Int) {
        self.fileName = fileName
        self.path = path
        self.sha256 = sha256
        self.size = size
        self.dataFiles = dataFiles
        self.producerName = producerName
        self.producerVersion = producerVersion
        self.irVersion = irVersion
        self.opsets = opsets
        self.inputs = inputs
        self.outputs = outputs
        self.nodeCounts = nodeCounts
        self.nodeCount = nodeCount
        self.parameterCount = parameterCount
    }
}

public struct DataFileInfo: Codable, Sendable, Equatable {
    public var location: String
    public var sha256: String
    public var size: Int
    public init(location: String, sha256: String, size: Int) {
        self.location = location
        self.sha256 = sha256
        self.size = size
    }
}

public struct OpsetInfo: Codable, Sendable, Equatable {
    public var domain: String
    public var version: Int64
    public init(domain: String, version: Int64) {
        self.domain = domain
        self.version = version
    }
}

public struct TensorSignature: Codable, Sendable, Equatable {
    public var name: String
    /// `float32[1,3,224,224]`, `float32[batch,10]`.
    public var type: String
    public init(name: String, type: String) {
        self.name = name
        self.type = type
    }
}

/// One row of "Elimination of Training-Specific Operations": a template category (or one beyond it).
public struct EliminationEntry: Codable, Sendable, Equatable {
    /// Category key: dropout, batchNormalization, gradientClipping, learningRateScheduling,
    /// weightRegularization, gradientAndOptimizer, loss, trainingInfo, parameters.
    public var category: String
    /// The template's row name (`Dropout`, `Batch Normalization`, …).
    public var name: String
    public var inTemplate: Bool
    /// `eliminated`, `converted`, `partially kept`, or `not present`.
    public var status: String
    /// One sentence for the document's table.
    public var summary: String
    /// How far the search went: nodes and graphs examined (so "not present" is a measured fact).
    public var nodesSearched: Int
    public var graphsSearched: Int
    /// What was found in the verified learning model.
    public var found: [FoundItem]
    public var changes: [ChangeItem]
    public var skips: [SkipItem]

    public init(category: String, name: String, inTemplate: Bool, status: String, summary: String, nodesSearched: Int,
                graphsSearched: Int, found: [FoundItem], changes: [ChangeItem], skips: [SkipItem]) {
        self.category = category
        self.name = name
        self.inTemplate = inTemplate
        self.status = status
        self.summary = summary
        self.nodesSearched = nodesSearched
        self.graphsSearched = graphsSearched
        self.found = found
        self.changes = changes
        self.skips = skips
    }
}

public struct FoundItem: Codable, Sendable, Equatable {
    public var graph: String
    public var node: String?
    public var opType: String?
    public var state: String
    public var detail: String
    public init(graph: String, node: String?, opType: String?, state: String, detail: String) {
        self.graph = graph
        self.node = node
        self.opType = opType
        self.state = state
        self.detail = detail
    }
}

public struct ChangeItem: Codable, Sendable, Equatable {
    public var pass: String
    public var graph: String
    public var nodes: [String]
    public var action: String
    public var detail: String
    public var evidence: [String: String]
    public init(pass: String, graph: String, nodes: [String], action: String, detail: String, evidence: [String: String]) {
        self.pass = pass
        self.graph = graph
        self.nodes = nodes
        self.action = action
        self.detail = detail
        self.evidence = evidence
    }
}

public struct SkipItem: Codable, Sendable, Equatable {
    public var pass: String
    public var graph: String
    public var node: String
    public var reason: String
    public init(pass: String, graph: String, node: String, reason: String) {
        self.pass = pass
        self.graph = graph
        self.node = node
        self.reason = reason
    }
}
