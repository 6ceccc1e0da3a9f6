/// The categories of training-specific constructs, shared with the passes and the conversion log.
///
/// The raw values are the JSON vocabulary; `allCases` is the order of the log template, which is also
/// the order in which the report lists categories.
public enum FindingCategory: String, Codable, Sendable, CaseIterable, Comparable {
    case dropout
    case batchNormalization
    case gradientClipping
    case learningRateScheduling
    case weightRegularization
    case gradientAndOptimizer
    case loss
    case trainingInfo
    case parameters

    /// The row name in the conversion log template (or a plain name beyond the template).
    public var displayName: String {
        switch self {
        case .dropout: "Dropout"
        case .batchNormalization: "Batch Normalization"
        case .gradientClipping: "Gradient Clipping"
        case .learningRateScheduling: "Learning Rate Scheduling"
        case .weightRegularization: "Weight Regularization (L1, L2)"
        case .gradientAndOptimizer: "Gradient and optimizer operations"
        case .loss: "Loss computations"
        case .trainingInfo: "training_info"
        case .parameters: "Parameters"
        }
    }

    /// Position in the template order.
    public var order: Int { Self.allCases.firstIndex(of: self)! }

    public static func < (a: FindingCategory, b: FindingCategory) -> Bool { a.order < b.order }
}
