import FreezerIR
import FreezerKernels

extension EquivalenceChecker {
    /// The three evaluations' outputs, one dictionary per sample each.
    typealias Evaluations = (exact: [[String: NDArray]], reference: [[String: NDArray]], actual: [[String: NDArray]])

    /// The samples `rule` checks of `samples` (the first ones), their evaluations by `evaluate`, and the line
    /// the report's defaults give the count (nil under `.every`).
    static func evaluateAsRuled(_ rule: SampleRule, samples: [Sample], original: Model, outputs: [String],
                                evaluate: (ArraySlice<Sample>) throws(EvaluationError) -> Evaluations)
        throws(EvaluationError) -> (samples: [Sample], results: Evaluations, note: String?) {
        guard case .enoughValues(let wanted) = rule, samples.count > 1 else { return (samples, try evaluate(samples[...]), nil) }
        if SampleRule.branchesOnData(original.graph) {
            return (samples, try evaluate(samples[...]), SampleRule.describeBranching(evaluated: samples.count))
        }
        // The declared output shapes foresee how many samples are needed; where they cannot, the first
        // sample's outputs tell. The rest needed are evaluated as one group after it.
        let declared = SampleRule.declaredValuesPerSample(original.graph, feeds: samples[0].feeds, outputs: outputs)
        let first = SampleRule.count(wanted: wanted, perSample: declared, available: samples.count)
        var results = try evaluate(samples[..<first])
        let perSample = SampleRule.measuredValuesPerSample(results.actual, outputs: outputs)
        let needed = max(first, SampleRule.count(wanted: wanted, perSample: perSample, available: samples.count))
        if needed > first {
            let more = try evaluate(samples[first..<needed])
            results = (results.exact + more.exact, results.reference + more.reference, results.actual + more.actual)
        }
        return (Array(samples.prefix(needed)), results,
                SampleRule.describe(evaluated: needed, available: samples.count, wanted: wanted, perSample: perSample))
    }
}
