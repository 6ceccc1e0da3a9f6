/// Facts about a loss operator, a loss output or a label input.
public struct LossFacts: Codable, Sendable, Equatable {
    /// The labels input of a loss operator, or the label value itself for `labelInput`.
    public var labelInput: String?
    /// Where the labels come from: `graphInput`, `initializer`, `computed`, ...
    public var labelSource: String?
    /// The optional class-weight input of a loss operator.
    public var weightInput: String?
    public var reduction: String?
    public var ignoreIndex: Int64?
    /// Loss operators a loss output is computed from, or that read a label input.
    public var lossOperators: [String]
    /// Why a value counts as a loss output: `name` (contains "loss"), `computed` (from a loss operator), or both.
    public var reasons: [String]

    public init(labelInput: String? = nil, labelSource: String? = nil, weightInput: String? = nil,
                reduction: String? = nil, ignoreIndex: Int64? = nil, lossOperators: [String] = [], reasons: [String] = []) {
        self.labelInput = labelInput
        self.labelSource = labelSource
        self.weightInput = weightInput
        self.reduction = reduction
        self.ignoreIndex = ignoreIndex
        self.lossOperators = lossOperators
        self.reasons = reasons
    }
}
