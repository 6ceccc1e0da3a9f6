import FreezerIR
import FreezerKernels
import FreezerPasses
import FreezerVerify

/// The fault-injection suite: evidence that the equivalence check detects wrong conversions and accepts
/// correct ones.
///
/// Each synthetic training export's correct frozen model is built by the suite itself, with its own fold
/// formula and no pass (`SyntheticModel.reference`), and checked (a correct conversion: it must be
/// accepted); then each fault is injected into it and the check runs again under the default criterion (it
/// must refuse), on the samples `convert` checks by default (`SampleRule.automatic` of 8 seeded random ones:
/// all 8 for the classifiers, one for the dense CNN's feature map). Independent of the passes, this evidence names EQ-CRITERION only when the check itself is
/// wrong: a broken pass fails its own requirement's tests, not these. `ratio` is the observed error over the criterion's bound
/// (the largest over the outputs): below 1 is accepted, above 1 refused, so it shows each decision's
/// margin.
public enum FaultInjection {
    public struct Row: Sendable, Codable, Equatable {
        public var architecture: String
        /// nil: the correct conversion.
        public var fault: Fault?
        public var faultDescription: String
        /// Whether the check refused the model.
        public var detected: Bool
        /// Whether that is the expected outcome (faults refused, correct conversions accepted).
        public var asExpected: Bool
        public var ratio: Double
        /// The samples the check evaluated (absent in reports written before it was recorded).
        public var samples: Int?
        /// Wall time of the check.
        public var seconds: Double
    }

    public static func run(subjects: [SyntheticModel] = SyntheticModel.all(), faults: [Fault] = Fault.allCases,
                           samples count: Int = SampleRule.defaultSamples, rule: SampleRule = .automatic, seed: UInt64 = 0) throws -> [Row] {
        let options = EquivalenceChecker.Options(sampleRule: rule)
        var rows: [Row] = []
        for subject in subjects {
            var start = ContinuousClock.now
            let frozen = subject.reference
            let samples = try samplesFor(subject, count: count, seed: seed)
            let correct = try EquivalenceChecker.check(original: subject.model, frozen: frozen, samples: samples, options: options)
            rows.append(row(subject, nil, correct, since: start))
            for fault in faults {
                start = ContinuousClock.now
                let faulty = try fault.inject(into: frozen, original: subject.model, subject: subject)
                rows.append(row(subject, fault, try EquivalenceChecker.check(original: subject.model, frozen: faulty, samples: samples, options: options), since: start))
            }
        }
        return rows
    }

    static func samplesFor(_ subject: SyntheticModel, count: Int, seed: UInt64) throws -> [EquivalenceChecker.Sample] {
        var generator = SeededGenerator(seed: seed)
        return try (0..<count).map { k in
            .init(feeds: try RandomInputs.sample(for: subject.model.graph, shapes: subject.inputShapes, generator: &generator),
                  source: "random, seed \(seed), sample \(k + 1) of \(count)")
        }
    }

    static func row(_ subject: SyntheticModel, _ fault: Fault?, _ report: EquivalenceReport, since start: ContinuousClock.Instant) -> Row {
        let detected = report.verdict == .notEquivalent
        return Row(architecture: subject.name, fault: fault, faultDescription: fault?.description ?? "none (correct conversion)",
                   detected: detected, asExpected: detected == (fault != nil),
                   ratio: report.outputs.compactMap(\.boundRatio).max() ?? (detected ? .infinity : 0), samples: report.samples.count,
                   seconds: (ContinuousClock.now - start).seconds)
    }

    /// The rows as a Markdown table.
    public static func table(_ rows: [Row]) -> String {
        var lines = ["| architecture | fault | samples | detected | error / bound | as expected |", "|---|---|---|---|---|---|"]
        for r in rows {
            lines.append("| \(r.architecture) | \(r.faultDescription) | \(r.samples.map(String.init) ?? "—") | \(r.detected ? "yes" : "no") | \(EquivalenceReport.number(r.ratio)) | \(r.asExpected ? "yes" : "**NO**") |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
