/// The frozen model, beyond the template: what was written and how the graph changed.
public struct FrozenModelInfo: Codable, Sendable, Equatable {
    public var file: ModelFileInfo
    /// Node counts by operator before and after, and the totals.
    public var nodeCountsBefore: [String: Int]
    public var nodeCountsAfter: [String: Int]
    /// Whether tensors were written inline or to an external data file.
    public var storage: String
    /// The frozen model's `metadata_props` entries that link it to this log.
    public var metadata: [String: String]
    public init(file: ModelFileInfo, nodeCountsBefore: [String: Int], nodeCountsAfter: [String: Int], storage: String,
                metadata: [String: String]) {
        self.file = file
        self.nodeCountsBefore = nodeCountsBefore
        self.nodeCountsAfter = nodeCountsAfter
        self.storage = storage
        self.metadata = metadata
    }
}

/// The equivalence check: inputs, tolerances, per-output statistics, verdict — or why it was skipped.
public struct EquivalenceResult: Codable, Sendable, Equatable {
    /// `equivalent`, `notEquivalent`, or `skipped`.
    public var verdict: String
    public var statement: String
    public var method: String
    public var samples: [EquivalenceSample]
    public var outputs: [OutputComparison]
    public var defaults: [String]
    public init(verdict: String, statement: String, method: String, samples: [EquivalenceSample], outputs: [OutputComparison], defaults: [String]) {
        self.verdict = verdict
        self.statement = statement
        self.method = method
        self.samples = samples
        self.outputs = outputs
        self.defaults = defaults
    }
}

public struct EquivalenceSample: Codable, Sendable, Equatable {
    public var source: String
    public var inputs: [String]
    public init(source: String, inputs: [String]) {
        self.source = source
        self.inputs = inputs
    }
}

public struct OutputComparison: Codable, Sendable, Equatable {
    public var name: String
    public var type: String
    public var rtol: Double
    public var atol: Double
    public var elementsCompared: Int
    public var maxAbsError: Double
    public var maxRelError: Double
    public var meanAbsError: Double
    public var outsideTolerance: Int
    public init(name: String, type: String, rtol: Double, atol: Double, elementsCompared: Int, maxAbsError: Double,
                maxRelError: Double, meanAbsError: Double, outsideTolerance: Int) {
        self.name = name
        self.type = type
        self.rtol = rtol
        self.atol = atol
        self.elementsCompared = elementsCompared
        self.maxAbsError = maxAbsError
        self.maxRelError = maxRelError
        self.meanAbsError = meanAbsError
        self.outsideTolerance = outsideTolerance
    }
}
