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
    /// What the pass does not rewrite, and what freezer does then: the known limitations of `freezer qualify`'s report.
    public var limits: [PassLimit]

    public init(id: String, summary: String, before: String, after: String, conditions: [String], formula: String? = nil, limits: [PassLimit] = []) {
        self.id = id
        self.summary = summary
        self.before = before
        self.after = after
        self.conditions = conditions
        self.formula = formula
        self.limits = limits
    }
}

/// A construct a pass does not rewrite (one of its conditions failed), and what happens then.
public struct PassLimit: Sendable, Codable, Equatable {
    public var construct: String
    /// 3: the pass refuses, so the conversion is refused (exit 3), naming it; nil: the construct is kept
    /// as written and the log's skip names the failed condition.
    public var exitCode: Int32?

    public init(_ construct: String, exitCode: Int32?) {
        self.construct = construct
        self.exitCode = exitCode
    }
}
