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
///
/// It is also the pass's requirement in `freezer qualify`'s specification, under `id`: the qualification
/// tests that check the pass name that id.
public struct PassDocumentation: Sendable, Codable, Equatable {
    /// Stable requirement id (`PASS-FOLD-BN`): never reused for another rewrite, kept when the text changes.
    public var id: String
    public var summary: String
    public var before: String
    public var after: String
    public var conditions: [String]
    public var formula: String?

    public init(id: String, summary: String, before: String, after: String, conditions: [String], formula: String? = nil) {
        self.id = id
        self.summary = summary
        self.before = before
        self.after = after
        self.conditions = conditions
        self.formula = formula
    }
}
