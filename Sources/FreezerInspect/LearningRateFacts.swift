/// Facts about the learning rate an optimizer uses.
public struct LearningRateFacts: Codable, Sendable, Equatable {
    /// The optimizer node.
    public var optimizer: String
    /// Its learning-rate input R.
    public var learningRateInput: String
    /// Its iteration-count input T.
    public var iterationCountInput: String?
    /// R as far as it can be read, e.g. `R = 0.1 * Pow(0.99, T)`.
    public var formula: String?
    /// R when it is a constant.
    public var value: Double?
    /// Whether R depends on T.
    public var dependsOnIterationCount: Bool
    /// Nodes computing R, in node order.
    public var nodes: [String]
    /// Adagrad's `decay_factor` when it decays R itself.
    public var decayFactor: Double?

    public init(optimizer: String, learningRateInput: String, iterationCountInput: String?, formula: String?,
                value: Double?, dependsOnIterationCount: Bool, nodes: [String], decayFactor: Double? = nil) {
        self.optimizer = optimizer
        self.learningRateInput = learningRateInput
        self.iterationCountInput = iterationCountInput
        self.formula = formula
        self.value = value
        self.dependsOnIterationCount = dependsOnIterationCount
        self.nodes = nodes
        self.decayFactor = decayFactor
    }
}
