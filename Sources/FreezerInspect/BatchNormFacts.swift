/// What a BatchNormalization node does and whether it folds into the operator before it.
public struct BatchNormFacts: Codable, Sendable, Equatable {
    /// The schema version of the operator (1, 6, 7, 9, 14 or 15), derived from the opset.
    public var sinceVersion: Int64?
    /// Whether the node computes batch statistics (training) rather than using the running ones.
    /// Opset 14+: `training_mode` = 1; 7-9: more than one output; 1 and 6: `is_test` = 0.
    public var training: Bool
    /// `training_mode` as stored or defaulted (opset 14+ and BatchNormInternal).
    public var trainingMode: Int64?
    /// `is_test` as stored or defaulted (opset 1 and 6).
    public var isTest: Int64?
    /// `spatial` (opset 7 and earlier): 0 means per-activation statistics.
    public var spatial: Int64?
    /// The legacy `consumed_inputs` attribute (opset 1 and 6).
    public var consumedInputs: [Int64]?
    public var epsilon: Double
    public var momentum: Double?
    /// Non-empty outputs, Y included.
    public var outputCount: Int
    /// The outputs beyond Y (running mean/var, saved mean/var) and who reads them.
    public var extraOutputs: [BatchNormOutput]
    /// scale, bias, mean and var, and whether each is a constant.
    public var parameterInputs: [BatchNormInput]
    /// Whether scale, bias, mean and var are all constants.
    public var parametersConstant: Bool
    /// The node producing X, when a node of the same graph does.
    public var producer: String?
    public var producerOpType: String?
    public var foldable: Bool
    /// The Conv/ConvTranspose/Gemm/MatMul node the BN folds into.
    public var foldTarget: String?
    public var foldTargetOpType: String?
    /// The Add (constant bias) between a MatMul and the BN, when the fold goes through one.
    public var foldBiasAdd: String?
    /// Whether the fold target's weight is read by other nodes too (a fold must then copy it).
    public var foldWeightShared: Bool?
    /// Why it does not fold, when it does not.
    public var notFoldableReason: String?
}

/// An output of a BatchNormalization beyond Y.
public struct BatchNormOutput: Codable, Sendable, Equatable {
    public var slot: Int
    /// `runningMean`, `runningVar`, `savedMean`, `savedVar` (`savedInvStdDev` for BatchNormInternal).
    public var role: String
    public var value: String
    public var used: Bool
    public var consumers: [String]
    public var isGraphOutput: Bool

    public init(slot: Int, role: String, value: String, used: Bool, consumers: [String], isGraphOutput: Bool) {
        self.slot = slot
        self.role = role
        self.value = value
        self.used = used
        self.consumers = consumers
        self.isGraphOutput = isGraphOutput
    }
}

/// A parameter input of a BatchNormalization (scale, bias, mean, var).
public struct BatchNormInput: Codable, Sendable, Equatable {
    public var slot: Int
    public var role: String
    public var value: String
    public var constant: Bool
    /// `initializer`, `Constant`, `overridableInitializer`, `graphInput`, `computed` or `missing`.
    public var source: String

    public init(slot: Int, role: String, value: String, constant: Bool, source: String) {
        self.slot = slot
        self.role = role
        self.value = value
        self.constant = constant
        self.source = source
    }
}
