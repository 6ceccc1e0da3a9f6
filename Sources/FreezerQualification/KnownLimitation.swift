import FreezerExport
import FreezerPasses

/// What freezer does not handle, and what it does then: part of the report, so the assessor sees the
/// boundary of the claim.
public struct KnownLimitation: Sendable, Codable, Equatable {
    public var subject: String
    public var behaviour: String
    /// The exit code of `convert` in that case (nil: the conversion goes on and the log records it).
    public var exitCode: Int32?
    /// The requirement that specifies that behaviour, when there is one.
    public var requirement: String?

    /// Generated from where the code states them: the refusal rules of what freezer cannot freeze or
    /// evaluate (exit 3), what each pass does not rewrite (`PassDocumentation.limits`), and the steps of
    /// `freezer export` outside the qualified scope. Only the limits of the method itself
    /// (sampled inputs, shapes to sample) are written here.
    public static func generated() -> [KnownLimitation] {
        let refusals = Specification.refusalRules.filter { $0.owner == "ConversionError" }.flatMap(\.rules).filter { $0.exitCode == 3 }.map {
            KnownLimitation(subject: $0.statement, behaviour: "refused; nothing written", exitCode: $0.exitCode, requirement: $0.id)
        }
        let passes = Pipeline.standard().passes.flatMap { pass in
            let doc = type(of: pass).documentation
            return doc.limits.map { limit in
                KnownLimitation(subject: limit.construct, behaviour: limit.exitCode == nil ? "\(pass.name) keeps it as written; the log's skip names the failed condition"
                                    : "\(pass.name) refuses it, so the conversion is refused, naming it; nothing written",
                                exitCode: limit.exitCode, requirement: doc.id)
            }
        }
        let export = ExportError.outsideQualifiedScope.map { KnownLimitation(subject: $0.subject, behaviour: $0.behaviour, exitCode: $0.exitCode, requirement: nil) }
        return refusals + passes + export + [
            .init(subject: "Equivalence is shown on seeded random inputs (or the given --inputs), not proven for every input",
                  behaviour: "the log records the samples and their digests; conditions of use ask for representative inputs where the input distribution matters", exitCode: nil, requirement: "EQ-CRITERION"),
            .init(subject: "Inputs whose shape is neither declared nor given (--input-shape), and string inputs, cannot be sampled",
                  behaviour: "refused before freezing: give --input-shape or --inputs DIR with representative data", exitCode: 64, requirement: nil),
        ]
    }
}
