import FreezerLog
import FreezerVerify

/// The equivalence check as the log records it: the same record for `convert`'s log, `freezer compare
/// --json` and `verify --reverify`.
public enum EquivalenceRecord {
    /// `names`: what the sentences call the two models (the frozen model and the verified learning model,
    /// or B and A for `compare`).
    public static func make(_ report: EquivalenceReport, names: EquivalenceReport.Names = .conversion) -> EquivalenceResult {
        let outputs = report.outputs.map { o in
            var c = OutputComparison(name: o.name, type: "\(o.elementType)\(o.shape)", rtol: o.rtol, atol: o.atol, elementsCompared: o.elementsCompared,
                                     maxAbsError: o.maxAbsError, maxRelError: o.maxRelError, meanAbsError: o.meanAbsError,
                                     outsideTolerance: o.outsideTolerance)
            c.rule = o.rule.rawValue
            c.passed = o.passed
            c.reason = o.reason
            c.frozenVsExact = o.frozenVsExact.map(record)
            c.originalVsExact = o.originalVsExact.map(record)
            c.frozenVsOriginal = record(o.frozenVsOriginal)
            c.boundMaxAbs = o.bound?.maxAbs
            c.boundRMS = o.bound?.rms
            c.boundRatio = o.boundRatio
            c.roundingTies = o.rule == .exactMatch ? o.roundingTies : nil
            return c
        }
        let samples = report.samples.map { s in
            EquivalenceSample(source: s.source, inputs: s.inputs.map { "\($0.name): \($0.elementType)\($0.shape)" + ($0.sha256.map { " sha256 \($0)" } ?? "") })
        }
        return EquivalenceResult(verdict: report.verdict.rawValue, statement: statement(report, names), method: method(report, names),
                                 samples: samples, outputs: outputs, defaults: report.defaults, criterion: criterion(report.criterion),
                                 inputShapes: report.randomInputShapes, inputRanges: report.randomIntegerRanges)
    }

    static func statement(_ report: EquivalenceReport, _ names: EquivalenceReport.Names = .conversion) -> String {
        let n = report.samples.count
        let failed = report.outputs.filter { !$0.passed }
        let conversion = names == .conversion
        let (candidate, reference) = conversion ? ("the frozen model", "the verified learning model") : (names.candidate, names.reference)
        let referenceOwn = conversion ? "the original's" : "\(names.reference)'s"
        guard report.verdict == .equivalent else {
            return (conversion ? "The frozen model" : candidate) + " is NOT equivalent: " + failed.map { "output '\($0.name)': \($0.reason)" }.joined(separator: "; ") + "."
        }
        if report.criterion.name == .declaredTolerance {
            let worst = report.outputs.map(\.maxAbsError).max() ?? 0
            return "On \(n) input sample(s) every output of \(candidate) is within the declared tolerance of \(reference) evaluated in inference mode (largest absolute error \(worst))."
        }
        let ratio = report.outputs.compactMap(\.boundRatio).max()
        return "On \(n) input sample(s) every output of \(candidate) is as exact as \(reference) evaluated in inference mode"
            + (ratio.map { ": its error against the float64 exact reference is at most \(percent($0)) of the bound k × \(referenceOwn) own error + floor" } ?? "")
            + (report.outputs.contains { $0.rule == .exactMatch } ? "; integer and boolean outputs equal \(referenceOwn)" : "") + "."
    }

    static func method(_ report: EquivalenceReport, _ names: EquivalenceReport.Names = .conversion) -> String {
        let (candidate, reference) = names == .conversion ? ("the frozen model", "the verified learning model") : (names.candidate, names.reference)
        return "freezer's reference evaluator runs \(reference) with \(report.originalSemantics) twice, in float64 (the exact reference: weights, inputs and every float value widened exactly) and in its own precision, and \(candidate) as written, on the same inputs, node by node for all samples"
    }

    static func criterion(_ c: EquivalenceReport.CriterionDescription) -> EquivalenceCriterionInfo {
        let rule = c.name == .declaredTolerance
            ? "per element |frozen − original| ≤ atol + rtol·|original| for floating-point outputs; integer and boolean outputs equal"
            : "per floating-point output: max |frozen − exact| ≤ k·max |original − exact| + floor and rms |frozen − exact| ≤ k·rms |original − exact| + floor, floor = \(EquivalenceReport.number(c.floorULPs)) units in the last place of the output's type at its largest |exact| value; non-finite values equal the original's; integer and boolean outputs equal the original's except within rounding of a tie; float64 outputs computed without narrower rounding: the per-type tolerance"
        return EquivalenceCriterionInfo(name: c.name.rawValue, reason: c.reason, rule: rule, errorFactor: c.errorFactor, floorULPs: c.floorULPs,
                                        rtol: c.rtol, atol: c.atol, evaluations: c.exactReference)
    }

    static func record(_ s: ErrorStatistics) -> ErrorStatisticsRecord {
        ErrorStatisticsRecord(count: s.count, maxAbs: s.maxAbs, maxRel: s.maxRel, meanAbs: s.meanAbs, rms: s.rms, p999: s.p999, nonFinite: s.nonFinite,
                              histogram: ErrorHistogramRecord(firstDecade: s.histogram.firstDecade, counts: s.histogram.counts,
                                                              zeros: s.histogram.zeros, nonFinite: s.histogram.nonFinite))
    }

    static func percent(_ ratio: Double) -> String {
        let p = ratio * 100
        return p < 1 ? "<1%" : "\(Int(p.rounded()))%"
    }
}
