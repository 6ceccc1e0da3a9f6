import FreezerLog

/// The equivalence criterion in words: its table in 4.3 and its one-line summary in Table 1.
extension DocumentBuilder {
    /// `asExactAsOriginal` → `as exact as the original`; a name this freezer does not know stays as written.
    static func criterionName(_ name: String) -> String {
        switch name {
        case "asExactAsOriginal": "as exact as the original"
        case "declaredTolerance": "declared tolerance"
        default: name
        }
    }

    /// The rule that decided an output, in words.
    static func ruleName(_ rule: String) -> String {
        switch rule {
        case "perTypeTolerance": "per-type tolerance"
        case "exactMatch": "exact match"
        default: criterionName(rule)
        }
    }

    static func declaresTolerance(_ c: EquivalenceCriterionInfo) -> Bool {
        c.name == "declaredTolerance" || c.rtol != nil || c.atol != nil
    }

    /// `rtol 0.001, atol per-type default`: a bound not given keeps the per-type default.
    static func declaredTolerance(_ c: EquivalenceCriterionInfo) -> String {
        "rtol \(c.rtol.map(TextFormat.number) ?? "per-type default"), atol \(c.atol.map(TextFormat.number) ?? "per-type default")"
    }

    /// `as exact as the original (k = 4.0, floor 4.0 ulp)` or `declared tolerance (rtol …, atol …)`.
    static func criterionSummary(_ c: EquivalenceCriterionInfo) -> String {
        declaresTolerance(c) ? "\(criterionName(c.name)) (\(declaredTolerance(c)))"
            : "\(criterionName(c.name)) (k = \(TextFormat.number(c.errorFactor)), floor \(TextFormat.number(c.floorULPs)) ulp)"
    }

    /// The criterion: name, why it decided, the rule, its parameters and how the evaluations ran.
    mutating func criterion(_ c: EquivalenceCriterionInfo) {
        var rows: [Table.Row] = [
            .cells(["Criterion", "\(Self.criterionName(c.name)) (\(c.name))"]),
            .cells(["Why this criterion", TextFormat.capitalized(c.reason)]),
            .cells(["Rule", TextFormat.capitalized(c.rule)]),
        ]
        if Self.declaresTolerance(c) {
            rows.append(.cells(["Declared tolerance", Self.declaredTolerance(c)]))
        } else {
            rows.append(.cells(["Error factor k", "\(TextFormat.number(c.errorFactor)): the frozen model's error against the exact reference "
                + "may be at most k times the original's own error, plus the floor"]))
            rows.append(.cells(["Floor", "\(TextFormat.number(c.floorULPs)) units in the last place (ulp) of the output's type at the output's "
                + "largest |exact| value"]))
        }
        rows.append(.cells(["Evaluations", TextFormat.capitalized(c.evaluations)]))
        table("Equivalence criterion", [.init("Item", weight: 1), .init("Value", weight: 3.6)], rows, showsHeader: false)
    }
}
