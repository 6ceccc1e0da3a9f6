/// What a Dropout node does and how its training switch is set.
public struct DropoutFacts: Codable, Sendable, Equatable {
    /// The schema version of the operator (1, 6, 7, 10, 12, 13 or 22), derived from the opset.
    public var sinceVersion: Int64?
    public var trainingMode: DropoutTrainingMode
    /// The value feeding `training_mode` (opset 12+), when there is one.
    public var trainingModeInput: String?
    /// Where the training switch comes from: `isTestAttribute`, `initializer`, `Constant`,
    /// `overridableInitializer`, `graphInput`, `computed`, `missing`; nil when absent.
    public var trainingModeSource: String?
    /// The node computing `training_mode` when it is computed.
    public var trainingModeProducer: String?
    /// `is_test` as stored or defaulted (opset 1 and 6 only).
    public var isTest: Int64?
    /// The drop ratio when it is a constant (the default 0.5 when absent).
    public var ratio: Double?
    /// The value feeding `ratio` (opset 12+), when there is one.
    public var ratioInput: String?
    public var seed: Int64?
    /// The mask output's value name, when the node declares one.
    public var maskOutput: String?
    /// Whether the mask is read by a node or is a graph output.
    public var maskUsed: Bool
    /// Nodes reading the mask, in node order.
    public var maskConsumers: [String]
    public var maskIsGraphOutput: Bool
}

/// The state of a Dropout's training switch.
public enum DropoutTrainingMode: String, Codable, Sendable {
    /// Opset 1/6 with `is_test` = 0 (the default): drops at run time.
    case on
    /// Opset 1/6 with `is_test` = 1.
    case off
    /// `training_mode` is a constant true (initializer or Constant node).
    case constantTrue
    /// `training_mode` is a constant false.
    case constantFalse
    /// `training_mode` comes from a graph input (or an initializer a caller may override).
    case graphInput
    /// No switch: opset 7-11, or opset 12+ without a `training_mode` input. Inference semantics.
    case absent
    /// `training_mode` is computed by other nodes.
    case unknown
}
