/// Facts about gradient clipping.
public struct ClippingFacts: Codable, Sendable, Equatable {
    /// `value` (Clip/Min/Max on a gradient), `globalNorm` (scaling by a norm of the gradients) or
    /// `operator` (InplaceClipGradNorm).
    public var method: String
    /// The clipped gradient value.
    public var gradient: String?
    /// The node producing the gradient.
    public var gradientProducer: String?
    public var min: Double?
    public var max: Double?
    /// The norm bound of global-norm clipping, when it is a constant.
    public var maxNorm: Double?
    /// The value the gradient is scaled by (global-norm clipping).
    public var scale: String?
    /// Nodes computing the norm and the scale, in node order.
    public var normNodes: [String]

    public init(method: String, gradient: String? = nil, gradientProducer: String? = nil, min: Double? = nil,
                max: Double? = nil, maxNorm: Double? = nil, scale: String? = nil, normNodes: [String] = []) {
        self.method = method
        self.gradient = gradient
        self.gradientProducer = gradientProducer
        self.min = min
        self.max = max
        self.maxNorm = maxNorm
        self.scale = scale
        self.normNodes = normNodes
    }
}
