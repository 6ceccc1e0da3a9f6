import FreezerLog

/// 4.3: the equivalence check, or the explicit statement that it was skipped.
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
        if !e.samples.isEmpty {
            table("Equivalence input samples (digests where the inputs came from files)",
                  [.init("Sample", weight: 0.6), .init("Source", weight: 2.2), .init("Inputs", weight: 4.2, monospace: true)],
                  e.samples.enumerated().map { i, s in .cells(["\(i + 1)", s.source, s.inputs.joined(separator: "\n")]) })
        }
        if !e.outputs.isEmpty {
            table("Per-output comparison: tolerances and errors of the frozen model against the verified learning model",
                  [.init("Output", weight: 1.4), .init("Type", weight: 1.2), .init("Tolerance", weight: 1.1), .init("Elements compared", weight: 1),
                   .init("Errors (frozen vs. original)", weight: 2.6), .init("Outside tolerance", weight: 1.1)],
                  e.outputs.map { o in
                      .cells([o.name, o.type, "rtol \(TextFormat.number(o.rtol))\natol \(TextFormat.number(o.atol))", TextFormat.grouped(o.elementsCompared),
                              "max abs \(TextFormat.number(o.maxAbsError))\nmax rel \(TextFormat.number(o.maxRelError))\nmean abs \(TextFormat.number(o.meanAbsError))",
                              "\(TextFormat.grouped(o.outsideTolerance)) of \(TextFormat.grouped(o.elementsCompared))"])
                  })
        } else {
            add(.paragraph("No outputs were compared."))
        }
        if !e.defaults.isEmpty {
            add(.paragraph("Defaults applied during verification:"))
            add(.bullets(e.defaults))
        }
    }
}
