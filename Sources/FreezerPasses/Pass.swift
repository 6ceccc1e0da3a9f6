import FreezerIR
import FreezerInspect

/// A rewrite of the model that removes or converts training-specific content.
///
/// A pass changes the model in place and records, in the `PassContext`, every change it made and every
/// place it looked at but left alone, with the reason. It never changes what the model computes at
/// inference: the equivalence check proves that afterwards, independently.
public protocol Pass: Sendable {
    /// Verb-object name, as in the log and `freezer passes` (e.g. `RemoveDropout`).
    static var name: String { get }
    static var documentation: PassDocumentation { get }
    func run(on model: inout Model, context: inout PassContext) throws(PassError)
}

extension Pass {
    public var name: String { Self.name }
}

/// A pass's reference documentation: what it rewrites, into what, when, and with which arithmetic.
public struct PassDocumentation: Sendable, Codable, Equatable {
    public var summary: String
    public var before: String
    public var after: String
    public var conditions: [String]
    public var formula: String?

    public init(summary: String, before: String, after: String, conditions: [String], formula: String? = nil) {
        self.summary = summary
        self.before = before
        self.after = after
        self.conditions = conditions
        self.formula = formula
    }
}
