import FreezerIR

/// A training-time regularizer that draws random numbers in the inference path, recognized from the
/// graph's structure, with the argument that its inference output equals its input.
///
/// Multiplicative noise is replaced at inference by its expectation, additive noise by its mean: a
/// regularizer is recognized only when that expectation is exactly one (or the mean exactly zero), so
/// the inference output is the data itself. DropBlock is renormalized by the count of kept elements
/// instead; with nothing dropped that count is the mask's size.
public struct StochasticRegularizer: Sendable, Equatable {
    public enum Variant: String, Sendable, Codable, CaseIterable {
        /// A Bernoulli mask with one draw per sample (torchvision StochasticDepth "row", timm DropPath).
        case dropPath = "stochastic depth (drop path)"
        /// A Bernoulli mask drawn per element, per channel or once per batch.
        case dropoutMask = "dropout mask"
        /// timm's DropBlock: a seed mask grown into blocks by MaxPool and renormalized by the kept count.
        case dropBlock = "DropBlock"
        /// `x · (1 + σ·N(0, 1))`.
        case gaussianDropout = "Gaussian dropout (multiplicative unit-mean noise)"
        /// `x + σ·N(0, 1)`.
        case gaussianNoise = "Gaussian noise (additive zero-mean noise)"
        /// Any other multiplicative noise of expectation one (e.g. uniform).
        case multiplicativeNoise = "multiplicative unit-mean noise"
        /// Any other additive noise of mean zero.
        case additiveNoise = "additive zero-mean noise"
    }

    /// Where the draw's shape comes from: a value it copies the shape of, or a fixed shape.
    public enum NoiseShape: Sendable, Equatable {
        case like(ValueID)
        case fixed([Int64])
    }

    public var variant: Variant
    /// The random node(s).
    public var randomNodes: [NodeID]
    /// Every node of the regularizer: the random computation and the nodes that apply it to the data.
    public var nodes: [NodeID]
    /// The value the noise is applied to.
    public var data: ValueID
    /// The value that equals `data` at inference.
    public var output: ValueID
    /// The node producing `output`.
    public var application: NodeID
    public var noiseShape: NoiseShape
    /// Probability that an element (sample, channel, block seed) is dropped, for masks.
    public var dropProbability: Double?
    /// The distribution of the factor (multiplicative) or the term (additive), as applied.
    public var noise: Noise?
    /// The expectation of the factor (1) or of the term (0) that the recognition proved.
    public var expectation: Double
    /// For DropBlock: the relative amount by which its `count / (count + ε)` renormalization with nothing
    /// dropped differs from one (what replacing it by the identity changes).
    public var renormalizationDeviation: Double?
    /// The structural argument, step by step, in plain words.
    public var argument: String
}

/// A random node freezer cannot prove to be a regularizer whose inference output is its input.
public struct UnprovenRandomNode: Sendable, Equatable {
    public var node: NodeID
    /// The node where the proof stopped (the random node itself when its draw cannot be described).
    public var stoppedAt: NodeID
    /// What could not be proven there.
    public var reason: String
}

/// The stochastic regularizers of one graph (not its subgraphs) and the random nodes left unproven.
public struct StochasticRegularizerRecognition: Sendable {
    public var regularizers: [StochasticRegularizer] = []
    public var unproven: [UnprovenRandomNode] = []
}
