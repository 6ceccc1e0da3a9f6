import FreezerInspect
import FreezerIR
import FreezerKernels
import FreezerVerify

extension EquivalenceChecker {
    /// The equivalence check with the original's stochastic regularizers given the inference meaning
    /// freezer recognizes (`StochasticRegularizers.referenceMeaning`), recorded in the report's
    /// `originalSemantics`. convert, compare and verify --reverify all check through this one function.
    public static func checkRecognizingRegularizers(original: Model, frozen: Model, samples: [Sample], defaults: [String] = [],
                                                    options: Options = .init(), frozenInInferenceSemantics: Bool = false,
                                                    progress: (@Sendable (Progress) -> Void)? = nil) throws(EvaluationError) -> EquivalenceReport {
        let reference = StochasticRegularizers.referenceMeaning(of: original)
        return try check(original: reference.model, frozen: frozen, samples: samples, defaults: defaults, options: options,
                         semanticsNote: reference.note, frozenInInferenceSemantics: frozenInInferenceSemantics, progress: progress)
    }
}
