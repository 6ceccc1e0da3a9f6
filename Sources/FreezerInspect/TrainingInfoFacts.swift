/// What one `TrainingInfoProto` holds: the training step, the initialization, and how they bind.
public struct TrainingInfoFacts: Codable, Sendable, Equatable {
    public var index: Int
    /// Path of the algorithm graph (`training_info[0].algorithm`), nil when there is none.
    public var algorithmGraphPath: String?
    public var algorithmNodeCount: Int
    /// Findings inside this entry's graphs, by category raw value.
    public var findingCounts: [String: Int]
    /// Optimizers with their hyperparameters, e.g. `Adam optimizer_adam (alpha=0.9, ...)`.
    public var optimizers: [String]
    /// Learning-rate formulas, one per optimizer.
    public var learningRates: [String]
    /// Clipping methods found (`value`, `globalNorm`, `operator`).
    public var clipping: [String]
    /// Regularization found, e.g. `L1 on W1 (λ=0.001)`.
    public var regularization: [String]
    /// Loss operators in the algorithm.
    public var losses: [String]
    public var initializationGraphPath: String?
    public var initializationNodeCount: Int?
    /// What the initialization graph computes for each bound key.
    public var initializes: [InitializedValue]
    public var initializationBinding: [BindingFact]
    public var updateBinding: [BindingFact]
}

/// A parameter the initialization graph sets, and the operator that produces its value.
public struct InitializedValue: Codable, Sendable, Equatable {
    public var key: String
    public var value: String
    /// The op type producing the value (`RandomNormal`, `Constant`), nil if not produced by a node.
    public var producerOpType: String?

    public init(key: String, value: String, producerOpType: String?) {
        self.key = key
        self.value = value
        self.producerOpType = producerOpType
    }
}

/// One `key → value` entry of an initialization or update binding.
public struct BindingFact: Codable, Sendable, Equatable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}
