import FreezerLog

/// Equivalence sections that record the criterion, as `freezer convert` writes them: a float output
/// decided by the default criterion (numbers from the bundled example model) and an integer output
/// decided by exact match with rounding ties.
enum SampleEquivalence {
    static func statistics(_ maxAbs: Double, rms: Double, histogram: ErrorHistogramRecord) -> ErrorStatisticsRecord {
        ErrorStatisticsRecord(count: 80, maxAbs: maxAbs, maxRel: 6.997505015703976e-07, meanAbs: 1.3211591941503579e-08, rms: rms,
                              p999: maxAbs, nonFinite: histogram.nonFinite, histogram: histogram)
    }

    static let criterion = EquivalenceCriterionInfo(
        name: "asExactAsOriginal", reason: "the default: no --rtol/--atol given",
        rule: "per floating-point output: max |frozen − exact| ≤ k·max |original − exact| + floor and rms |frozen − exact| ≤ k·rms |original − exact| + floor",
        errorFactor: 4, floorULPs: 4,
        evaluations: "exact reference: the original with inference semantics, every float value widened to float64; original and frozen model in their own precision")

    static var logits: OutputComparison {
        var o = OutputComparison(name: "logits", type: "float32[2, 5]", rtol: 1e-4, atol: 1e-5, elementsCompared: 80, maxAbsError: 5.960464477539063e-08,
                                 maxRelError: 6.671665078143212e-07, meanAbsError: 1.5529803931713105e-08, outsideTolerance: 0)
        o.rule = "asExactAsOriginal"
        o.passed = true
        o.reason = "as exact as the original: max |frozen − exact| 5.91e-08 (bound 2.34e-07)"
        o.frozenVsExact = statistics(5.908937544818471e-08, rms: 1.7305585652913195e-08,
                                     histogram: ErrorHistogramRecord(firstDecade: -11, counts: [1, 2, 37, 40], zeros: 0, nonFinite: 0))
        o.originalVsExact = statistics(2.872223886507541e-08, rms: 1.2830479498412858e-08,
                                       histogram: ErrorHistogramRecord(firstDecade: -11, counts: [0, 6, 39, 35], zeros: 0, nonFinite: 0))
        o.frozenVsOriginal = statistics(5.960464477539063e-08, rms: 2.106622019351755e-08,
                                        histogram: ErrorHistogramRecord(firstDecade: -11, counts: [0, 0, 14, 48], zeros: 18, nonFinite: 0))
        o.boundMaxAbs = 2.340982450110829e-07
        o.boundRMS = 1.7053120754443267e-07
        o.boundRatio = 0.25241272289498473
        return o
    }

    static var classes: OutputComparison {
        var o = OutputComparison(name: "class", type: "int64[2]", rtol: 0, atol: 0, elementsCompared: 16, maxAbsError: 1, maxRelError: 1,
                                 meanAbsError: 0.1875, outsideTolerance: 0)
        o.rule = "exactMatch"
        o.passed = true
        o.reason = "every element equals the original's except 3 within rounding of a tie"
        o.frozenVsOriginal = ErrorStatisticsRecord(count: 16, maxAbs: 1, maxRel: 1, meanAbs: 0.1875, rms: 0.4330127018922193, p999: 1, nonFinite: 0,
                                                   histogram: ErrorHistogramRecord(firstDecade: 0, counts: [3], zeros: 13, nonFinite: 0))
        o.roundingTies = 3
        return o
    }

    /// `SampleLog.make()` with an equivalence section that records the criterion; `declared` gives
    /// the criterion of `--rtol 0.001` (atol not given).
    static func log(declared: Bool = false, findings: Int = 2) -> ConversionLog {
        var log = SampleLog.make(findings: findings)
        var c = criterion
        var logits = logits
        if declared {
            c.name = "declaredTolerance"
            c.reason = "--rtol/--atol were given"
            c.rtol = 1e-3
            logits.rule = "declaredTolerance"
            logits.boundMaxAbs = nil
            logits.boundRMS = nil
            logits.boundRatio = nil
        }
        log.equivalence = EquivalenceResult(verdict: "equivalent", statement: "On 8 input sample(s) every output of the frozen model is as exact as the original.",
                                            method: "freezer's reference evaluator runs the verified learning model three times",
                                            samples: [EquivalenceSample(source: "random, seed 0, sample 1 of 8", inputs: ["input: float32[2, 3, 16, 16]"])],
                                            outputs: [logits, classes], defaults: [], criterion: c)
        return log
    }
}
