import FreezerConvert
import FreezerExport
import FreezerIntegrity
import FreezerLog
import FreezerONNX
import FreezerPasses
import FreezerVerify

/// freezer's specification: every requirement, collected from where the source states it (the pass
/// documentation, the refusal rules of the error types, the saver, the log, the verifier). Nothing here
/// restates a requirement; a new one is added where it is implemented and listed once below.
public enum Specification {
    /// `commandLine`: the CLI's own refusal rules (`freezer qualify` hands them in).
    public static func requirements(commandLine: [CommandLineRule] = []) -> [Requirement] {
        let passes = Pipeline.standard().passes.map { pass -> Requirement in
            let doc = type(of: pass).documentation
            return Requirement(id: doc.id, area: .passes, title: pass.name, statement: statement(doc), source: "FreezerPasses.\(pass.name).documentation")
        }
        let refusals = refusalRules.flatMap { owner in owner.rules.map { rule(owner.owner, $0) } } + commandLine.map(\.requirement)
        return passes + [
            Requirement(id: TrainingAudit.requirement.id, area: .passes, title: "Training audit of the frozen model",
                        statement: TrainingAudit.requirement.statement, source: "FreezerPasses.TrainingAudit.requirement"),
            Requirement(id: EquivalenceCriterion.requirement.id, area: .equivalence, title: "Equivalence criterion",
                        statement: EquivalenceCriterion.requirement.statement, source: "FreezerVerify.EquivalenceCriterion.requirement"),
        ] + refusals + ModelSaver.requirements.map {
            Requirement(id: $0.id, area: .output, title: $0.id == "SAVE-ATOMIC" ? "Atomic writes and crash safety" : "Deterministic output",
                        statement: $0.statement, source: "FreezerONNX.ModelSaver.requirements")
        } + [
            Requirement(id: ConversionLog.requirement.id, area: .log, title: "Log contents",
                        statement: ConversionLog.requirement.statement, source: "FreezerLog.ConversionLog.requirement"),
            Requirement(id: ArtifactVerifier.requirement.id, area: .log, title: "Log and model integrity",
                        statement: ArtifactVerifier.requirement.statement, source: "FreezerIntegrity.ArtifactVerifier.requirement"),
            Requirement(id: ConversionLog.reviewRequirement.id, area: .review, title: "Review workflow",
                        statement: ConversionLog.reviewRequirement.statement, source: "FreezerLog.ConversionLog.reviewRequirement"),
        ]
    }

    public typealias RefusalRule = (id: String, statement: String, exitCode: Int32)

    /// Every refusal rule, by the error type that states it (the bad input, the message, the exit code).
    static let refusalRules: [(owner: String, rules: [RefusalRule])] = [
        ("ModelLoadError", ModelLoadError.refusalRules), ("ConversionError", ConversionError.refusalRules),
        ("CheckpointError", CheckpointError.refusalRules), ("ExportError", ExportError.refusalRules),
        ("VerifyInputError", VerifyInputError.refusalRules), ("ArtifactVerifier", ArtifactVerifier.refusalRules),
        ("LogFileError", LogFileError.refusalRules), ("WorkflowError", WorkflowError.refusalRules), ("SigningError", SigningError.refusalRules),
    ]

    /// The exit code of each refusal rule, by id.
    static var refusalExitCodes: [String: Int32] {
        Dictionary(uniqueKeysWithValues: refusalRules.flatMap(\.rules).map { ($0.id, $0.exitCode) })
    }

    /// A pass's documentation as one statement: what it rewrites, into what, when, with which arithmetic.
    static func statement(_ doc: PassDocumentation) -> String {
        var parts = [doc.summary, "Before: \(doc.before)", "After: \(doc.after)"]
        parts += doc.conditions.map { "Condition: \($0)" }
        if let formula = doc.formula { parts.append("Formula: \(formula)") }
        return parts.joined(separator: "\n")
    }

    static func rule(_ owner: String, _ r: RefusalRule) -> Requirement {
        let area: Requirement.Area = switch owner {
        case "ExportError": .exportRefusals
        case "VerifyInputError", "ArtifactVerifier", "LogFileError", "WorkflowError", "SigningError": .logRefusals
        default: .refusals
        }
        return Requirement(id: r.id, area: area, title: "Refusal, exit \(r.exitCode)", statement: r.statement,
                    source: "\(owner).refusalRules", exitCode: r.exitCode)
    }
}
