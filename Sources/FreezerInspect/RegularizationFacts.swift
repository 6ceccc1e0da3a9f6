/// Facts about an L1/L2 weight penalty.
public struct RegularizationFacts: Codable, Sendable, Equatable {
    /// `L1` or `L2`.
    public var norm: String
    /// The penalized parameter (a loss penalty), when there is one.
    public var parameter: String?
    /// The coefficient λ when it is a constant.
    public var lambda: Double?
    /// The value holding λ (loss penalty) or the attribute name (optimizer weight decay).
    public var lambdaSource: String?
    /// Nodes computing the penalty, from the norm to the Add into the loss.
    public var penaltyNodes: [String]
    /// The loss value the penalty is added into.
    public var lossValue: String?

    public init(norm: String, parameter: String? = nil, lambda: Double? = nil, lambdaSource: String? = nil,
                penaltyNodes: [String] = [], lossValue: String? = nil) {
        self.norm = norm
        self.parameter = parameter
        self.lambda = lambda
        self.lambdaSource = lambdaSource
        self.penaltyNodes = penaltyNodes
        self.lossValue = lossValue
    }
}
