/// One training-specific construct: where it is, what it is, and the facts a pass or an auditor needs.
///
/// Exactly one of the facts fields is set, the one matching `category` (none for a few kinds that need
/// no more than the common fields).
public struct Finding: Codable, Sendable, Equatable {
    public var category: FindingCategory
    public var kind: FindingKind
    public var state: FindingState
    /// The node's name (or `#N OpType` when unnamed); nil for findings about a value.
    public var node: String?
    /// The value the finding is about, when it is a value (a graph input, an output, a parameter).
    public var value: String?
    /// `OpType`, or `domain::OpType` outside the default domain.
    public var opType: String?
    /// The opset version imported for the node's domain.
    public var opsetVersion: Int64?
    /// `main`, `main/If_0.then_branch`, `training_info[0].algorithm`, ...
    public var graphPath: String
    /// One short plain-English sentence.
    public var detail: String

    public var dropout: DropoutFacts?
    public var stochasticRegularizer: StochasticRegularizerFacts?
    public var batchNormalization: BatchNormFacts?
    public var trainingOperator: TrainingOperatorFacts?
    public var loss: LossFacts?
    public var regularization: RegularizationFacts?
    public var clipping: ClippingFacts?
    public var learningRate: LearningRateFacts?
    public var trainingInfo: TrainingInfoFacts?
    public var parameter: ParameterFacts?

    public init(category: FindingCategory, kind: FindingKind, state: FindingState, node: String? = nil,
                value: String? = nil, opType: String? = nil, opsetVersion: Int64? = nil, graphPath: String,
                detail: String) {
        self.category = category
        self.kind = kind
        self.state = state
        self.node = node
        self.value = value
        self.opType = opType
        self.opsetVersion = opsetVersion
        self.graphPath = graphPath
        self.detail = detail
    }
}
