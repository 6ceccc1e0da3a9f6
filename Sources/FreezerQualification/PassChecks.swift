import FreezerConvert
import FreezerIR
import FreezerPasses
import FreezerVerify

/// Qualification tests of the passes: each pass, in the standard pipeline, on a subject that holds what
/// it rewrites, must record its change and must not change what the model computes.
///
/// The check isolates the pass: the model just before it (as the pipeline leaves it) is the original and
/// the model just after it the frozen model of the equivalence check, so a wrong rewrite names its pass.
enum PassChecks {
    /// `pipeline` is the standard one; the project's tests give one with a broken pass to see only its
    /// requirement named.
    static func all(pipeline: Pipeline = .standard()) -> [QualificationCheck] {
        let synthetic = SyntheticModel.all().map(PassSubject.init)
        let cases: [(pass: String, subjects: [PassSubject])] = [
            (StripTrainingInfo.name, [.trainingInfo()]),
            (SelectInferenceOutputs.name, [.lossAndRegularization()]),
            (RemoveTrainingComputations.name, [.lossAndRegularization()]),
            (FreezeParameters.name, [.parametersAsInputs()]),
            (RemoveStochasticRegularizers.name, [.dropPath()]),
            (DisableTrainingSwitches.name, [.trainingSwitch()]),
            (RemoveDropout.name, synthetic + [.trainingSwitch(), .legacyOpset()]),
            (MakeBatchNormInference.name, synthetic),
            (FoldBatchNorm.name, synthetic),
            (UpgradeLegacyOpset.name, [.legacyOpset()]),
            (RemoveIdentities.name, [.identities()]),
            (RemoveUnusedDefinitions.name, synthetic),
        ]
        let ids = Dictionary(uniqueKeysWithValues: Pipeline.standard().passes.map { ($0.name, type(of: $0).documentation.id) })
        return cases.flatMap { c in c.subjects.map { isolated(pass: c.pass, id: ids[c.pass] ?? c.pass, subject: $0, pipeline: pipeline) } }
            + (synthetic + [.lossAndRegularization(), .dropPath(), .trainingSwitch(), .legacyOpset(), .trainingInfo()]).map { audit($0, pipeline: pipeline) }
            + SyntheticModel.all().map { FoldFormulaCheck.check($0, pipeline: pipeline) }
    }

    static func isolated(pass: String, id: String, subject: PassSubject, pipeline: Pipeline = .standard()) -> QualificationCheck {
        QualificationCheck(id: "QT-\(id)-\(slug(subject.name))", requirements: [id],
                           expected: "on the \(subject.name) subject, \(pass) records at least one change and the model after it is equivalent to the model before it") { _ in
            guard let (before, after) = try pipeline.run(subject.model, through: pass) else {
                throw CheckFailure("\(pass) is not in the standard pipeline")
            }
            let changes = after.context.changes.filter { $0.pass == pass }
            try require(!changes.isEmpty, "\(pass) recorded no change (skips: \(after.context.skips.filter { $0.pass == pass }.map(\.reason)))")
            // Both sides are half-frozen models: passes after this one still rewrite training forms, so both are
            // evaluated with inference semantics; the audit tests check the frozen model as written.
            let report = try EquivalenceChecker.checkRecognizingRegularizers(original: before, frozen: after.model, samples: samples(subject),
                                                                             frozenInInferenceSemantics: true)
            try require(report.verdict == .equivalent, "\(pass) changed what the model computes: \(bound(report)) of the criterion's bound")
            let actions = Set(changes.map(\.action)).sorted().joined(separator: ", ")
            return "\(changes.count) change(s) (\(actions)); equivalent, largest error \(bound(report)) of the bound"
        }
    }

    /// The whole pipeline leaves no training construct, a valid model and none of the subject's removed
    /// operators. (Equivalence is each pass's test, so a wrong rewrite names its pass, not the audit.)
    static func audit(_ subject: PassSubject, pipeline: Pipeline = .standard()) -> QualificationCheck {
        QualificationCheck(id: "QT-FREEZE-AUDIT-\(slug(subject.name))", requirements: [TrainingAudit.requirement.id],
                           expected: "after the standard pipeline: no training construct found by inspect, no validation issue, no \(subject.removedOperators.isEmpty ? "training operator" : subject.removedOperators.joined(separator: " or "))") { _ in
            let frozen = try pipeline.run(subject.model).model
            let violations = TrainingAudit.violations(in: frozen)
            try require(violations.isEmpty, "inspect still finds: \(violations.map { "\($0.category) \($0.node ?? "")" }.joined(separator: "; "))")
            let issues = Validator.validate(frozen, derivedFrom: subject.model)
            try require(issues.isEmpty, "the frozen model is invalid: \(issues.map(\.description).joined(separator: "; "))")
            let left = frozen.graph.nodes.map(\.opType).filter(subject.removedOperators.contains)
            try require(left.isEmpty, "the frozen model still holds \(left.joined(separator: ", "))")
            return "audit clean, valid, \(frozen.graph.nodes.count) nodes (the export had \(subject.model.graph.nodes.count))"
        }
    }

    static func samples(_ subject: PassSubject, count: Int = 3) throws -> [EquivalenceChecker.Sample] {
        var generator = SeededGenerator(seed: 7)
        return try (0..<count).map { k in
            .init(feeds: try RandomInputs.sample(for: subject.model.graph, shapes: subject.inputShapes, generator: &generator),
                  source: "random, seed 7, sample \(k + 1) of \(count)")
        }
    }

    static func bound(_ report: EquivalenceReport) -> String {
        EquivalenceReport.number(report.outputs.compactMap(\.boundRatio).max() ?? 0)
    }

    /// `CNN (Conv+BN ×6)` → `CNN`: the first word, for test ids.
    static func slug(_ name: String) -> String {
        String(name.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == " " }).uppercased()
            .split(separator: " ").prefix(2).joined(separator: "-").replacingOccurrences(of: "_", with: "-")
    }
}
