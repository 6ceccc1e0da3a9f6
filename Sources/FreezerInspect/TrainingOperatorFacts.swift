/// Facts about a gradient, optimizer or other training-only operator.
public struct TrainingOperatorFacts: Codable, Sendable, Equatable {
    /// The node's attributes in stored order (hyperparameters such as alpha, beta, epsilon).
    public var attributes: [AttributeFact]
    /// The learning-rate input R of Adam/Momentum/Adagrad.
    public var learningRateInput: String?
    /// The iteration-count input T of Adam/Momentum/Adagrad.
    public var iterationCountInput: String?
    /// The parameters an optimizer updates (its X inputs).
    public var updatedParameters: [String]
    /// Gradient: the differentiated value (`y`).
    public var gradientOf: String?
    /// Gradient: the values it differentiates with respect to (`xs`).
    public var withRespectTo: [String]

    public init(attributes: [AttributeFact], learningRateInput: String? = nil, iterationCountInput: String? = nil,
                updatedParameters: [String] = [], gradientOf: String? = nil, withRespectTo: [String] = []) {
        self.attributes = attributes
        self.learningRateInput = learningRateInput
        self.iterationCountInput = iterationCountInput
        self.updatedParameters = updatedParameters
        self.gradientOf = gradientOf
        self.withRespectTo = withRespectTo
    }
}
