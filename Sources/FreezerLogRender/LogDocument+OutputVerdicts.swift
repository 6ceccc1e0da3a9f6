import FreezerLog

/// 4.3 for logs that record the criterion: one row per output with its rule, verdict, bound and the
/// observed error's ratio to it, then per output the reason, the error statistics and the error chart.
extension DocumentBuilder {
    mutating func outputVerdicts(_ e: EquivalenceResult) {
        guard !e.outputs.isEmpty else {
            add(.paragraph("No outputs were compared."))
            return
        }
        table("Per-output verdicts against the criterion",
              [.init("Output and type", weight: 1.4), .init("Rule", weight: 1.3), .init("Verdict", weight: 0.7), .init("Bound", weight: 2.9),
               .init("Observed / bound (≤ 1 passes)", weight: 1.8)],
              e.outputs.map { o in
                  .cells(["\(o.name)\n\(o.type)", o.rule.map(Self.ruleName) ?? "not recorded", Self.verdict(o), Self.bound(o),
                          o.boundRatio.map { "\(TextFormat.number($0))\n(\(TextFormat.oneDecimal($0 * 100))% of the bound)" } ?? "-"])
              })
        for (i, o) in e.outputs.enumerated() {
            add(.heading(level: 3, text: "4.3.\(i + 1) Output \(o.name)"))
            add(.paragraph("Verdict: \(Self.verdict(o))" + (o.rule.map { " (rule: \(Self.ruleName($0)))" } ?? "") + "."
                + (o.reason.map { " Reason: \($0)." } ?? "")))
            if let ties = o.roundingTies {
                add(.paragraph("Rounding ties: \(TextFormat.grouped(ties)) of \(TextFormat.grouped(o.elementsCompared)) elements differ from the original "
                    + "where the original itself is within rounding of a tie (it differs from the exact reference there, or the frozen value equals it); "
                    + "they do not count against the output."))
            }
            statistics(o)
            if let chart = Self.errorChart(o) {
                figure("Output \(o.name): absolute errors per decade against the exact reference, frozen model next to the original", chart)
            }
        }
    }

    static func verdict(_ o: OutputComparison) -> String {
        o.passed.map { $0 ? "passed" : "FAILED" } ?? "not recorded"
    }

    /// The bound the rule sets: on max and RMS error for the default criterion, the elementwise
    /// tolerance for the tolerance rules, equality for integer outputs.
    static func bound(_ o: OutputComparison) -> String {
        if o.boundMaxAbs != nil || o.boundRMS != nil {
            return ["max abs ≤ \(o.boundMaxAbs.map(TextFormat.number) ?? "-")", "RMS ≤ \(o.boundRMS.map(TextFormat.number) ?? "-")"]
                .joined(separator: "\n")
        }
        if o.rule == "exactMatch" {
            return "equal to the original" + (o.roundingTies.map { "\nrounding ties: \(TextFormat.grouped($0))" } ?? "")
        }
        return "|frozen − original| ≤ atol + rtol·|original|\nrtol \(TextFormat.number(o.rtol)), atol \(TextFormat.number(o.atol))\n"
            + "outside: \(TextFormat.grouped(o.outsideTolerance)) of \(TextFormat.grouped(o.elementsCompared))"
    }

    /// One column per recorded comparison, one row per statistic (full precision: the numbers fit side
    /// by side only this way round).
    private mutating func statistics(_ o: OutputComparison) {
        let comparisons = [("frozen − exact", o.frozenVsExact), ("original − exact", o.originalVsExact), ("frozen − original", o.frozenVsOriginal)]
            .compactMap { name, s in s.map { (name, $0) } }
        guard !comparisons.isEmpty else { return }
        let rows: [(String, (ErrorStatisticsRecord) -> String)] = [
            ("Elements", { TextFormat.grouped($0.count) }),
            ("Max abs", { TextFormat.number($0.maxAbs) }),
            ("Max rel", { TextFormat.number($0.maxRel) }),
            ("Mean abs", { TextFormat.number($0.meanAbs) }),
            ("RMS", { TextFormat.number($0.rms) }),
            ("p99.9 (99.9th percentile)", { TextFormat.number($0.p999) }),
            ("Non-finite (infinite error)", { TextFormat.grouped($0.nonFinite) }),
        ]
        table("Output \(o.name): absolute errors over all samples, of the frozen model and the original against the exact reference "
              + "and of the frozen model against the original",
              [.init("Statistic", weight: 1.3)] + comparisons.map { .init($0.0, weight: 1.5) },
              rows.map { label, value in .cells([label] + comparisons.map { value($0.1) }) })
    }
}
