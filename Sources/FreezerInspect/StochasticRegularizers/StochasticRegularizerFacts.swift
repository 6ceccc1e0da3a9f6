/// A random draw in a graph: the regularizer freezer recognized it as, or why it could not.
public struct StochasticRegularizerFacts: Codable, Sendable, Equatable {
    /// The recognized variant (`stochastic depth (drop path)`, `DropBlock`, ...); nil when unproven.
    public var variant: StochasticRegularizer.Variant?
    /// Every node of the regularizer, in graph order.
    public var nodes: [String]
    /// The value the noise is applied to, and the value that equals it at inference.
    public var data: String?
    public var output: String?
    public var dropProbability: Double?
    /// The distribution of the applied factor or term, e.g. `{0, 1.25} with P(1.25) = 0.8`.
    public var noise: String?
    /// The expectation the recognition proved (1 for a factor, 0 for a term).
    public var expectation: Double?
    /// DropBlock: how far its renormalization with nothing dropped is from one.
    public var renormalizationDeviation: Double?
    /// The structural argument, step by step.
    public var argument: String?
    /// Unproven: the node where the proof stopped, and why.
    public var stoppedAt: String?
    public var reason: String?
}
