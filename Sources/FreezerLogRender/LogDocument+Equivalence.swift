import FreezerLog

/// 4.3: the equivalence check, or the explicit statement that it was skipped.
///
/// A log that records the criterion gets the criterion, the per-output verdicts, statistics against
/// the exact reference and error charts; an older log gets its per-output comparison table as before.
extension DocumentBuilder {
    mutating func equivalence() {
        let e = log.equivalence
        add(.heading(level: 2, text: "4.3 Equivalence Verification"))
        guard e.verdict != "skipped" else {
            add(.paragraph("Verdict: skipped. Verification was NOT performed for this conversion. \(e.statement)"))
            add(.paragraph("No input samples, tolerances or error statistics are recorded: nothing in this log shows that the frozen model "
                + "computes the same outputs as the verified learning model."))
            return
        }
        add(.paragraph("Verdict: \(e.verdict). \(e.statement)"))
        add(.paragraph("Method: \(e.method)."))
        if let c = e.criterion {
            criterion(c)
            samples(e)
            defaults(e)
            outputVerdicts(e)
        } else {
            samples(e)
            comparisons(e)
            defaults(e)
        }
    }

    private mutating func samples(_ e: EquivalenceResult) {
        guard !e.samples.isEmpty else { return }
        table("Equivalence input samples (digests where the inputs came from files)",
              [.init("Sample", weight: 0.6), .init("Source", weight: 2.2), .init("Inputs", weight: 4.2, monospace: true)],
              e.samples.enumerated().map { i, s in .cells(["\(i + 1)", s.source, s.inputs.joined(separator: "\n")]) })
    }

    /// Logs without a criterion: tolerances and errors of frozen against original, one row per output.
    private mutating func comparisons(_ e: EquivalenceResult) {
        guard !e.outputs.isEmpty else {
            add(.paragraph("No outputs were compared."))
            return
        }
        table("Per-output comparison: tolerances and errors of the frozen model against the verified learning model",
              [.init("Output", weight: 1.4), .init("Type", weight: 1.2), .init("Tolerance", weight: 1.1), .init("Elements compared", weight: 1),
               .init("Errors (frozen vs. original)", weight: 2.6), .init("Outside tolerance", weight: 1.1)],
              e.outputs.map { o in
                  .cells([o.name, o.type, "rtol \(TextFormat.number(o.rtol))\natol \(TextFormat.number(o.atol))", TextFormat.grouped(o.elementsCompared),
                          "max abs \(TextFormat.number(o.maxAbsError))\nmax rel \(TextFormat.number(o.maxRelError))\nmean abs \(TextFormat.number(o.meanAbsError))",
                          "\(TextFormat.grouped(o.outsideTolerance)) of \(TextFormat.grouped(o.elementsCompared))"])
              })
    }

    private mutating func defaults(_ e: EquivalenceResult) {
        guard !e.defaults.isEmpty else { return }
        add(.paragraph("Defaults applied during verification:"))
        add(.bullets(e.defaults))
    }
}
