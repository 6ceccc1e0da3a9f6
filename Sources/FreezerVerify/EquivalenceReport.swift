/// The result of comparing the frozen model with the original in inference mode.
public struct EquivalenceReport: Sendable, Codable, Equatable {
    public enum Verdict: String, Sendable, Codable { case equivalent, notEquivalent }

    public var verdict: Verdict
    /// How the original was evaluated.
    public var originalSemantics: String
    /// The criterion that decided: `asExactAsOriginal` (the default) or `declaredTolerance`.
    public var criterion: CriterionDescription
    public var samples: [Sample]
    public var outputs: [OutputStatistics]
    /// Shapes chosen for symbolic dimensions, and other defaults the check had to take.
    public var defaults: [String]
    /// For random samples, the range [low, high) of each integer input whose values are not drawn from the
    /// standard [0, 4) (`IntegerInputRange`), set by the caller that made the samples; nil otherwise.
    public var randomIntegerRanges: [String: [Int64]]?

    /// The shape of each input when every sample was made at random (no input came from a file): the
    /// same for every sample, as they are made from one set of shapes. nil for inputs read from files.
    public var randomInputShapes: [String: [Int]]? {
        guard let first = samples.first, samples.allSatisfy({ $0.inputs.allSatisfy { $0.sha256 == nil } }) else { return nil }
        return Dictionary(first.inputs.map { ($0.name, $0.shape) }, uniquingKeysWith: { a, _ in a })
    }

    public struct Sample: Sendable, Codable, Equatable {
        /// `random (seed S, sample k)` or the file names and digests the inputs came from.
        public var source: String
        public var inputs: [InputDescription]
    }

    public struct InputDescription: Sendable, Codable, Equatable {
        public var name: String
        public var elementType: String
        public var shape: [Int]
        /// SHA-256 of the input file, when the input came from a file.
        public var sha256: String?
    }

    /// The criterion as applied: its name, its constants and why it was chosen.
    public struct CriterionDescription: Sendable, Codable, Equatable {
        public var name: Name
        public enum Name: String, Sendable, Codable { case asExactAsOriginal, declaredTolerance }
        /// Why this criterion decided.
        public var reason: String
        /// k and the floor (in units in the last place) of the default criterion.
        public var errorFactor: Double
        public var floorULPs: Double
        /// The declared tolerance, when `--rtol`/`--atol` were given.
        public var rtol: Double?
        public var atol: Double?
        /// The precisions the three evaluations ran in.
        public var exactReference: String
    }

    /// Error statistics of one output over all samples.
    ///
    /// `maxAbsError`, `maxRelError`, `meanAbsError`, `worstSample` and `worstIndex` compare the frozen
    /// model with the original; `outsideTolerance` counts elements outside `rtol`/`atol` (the declared or
    /// per-type tolerance), which decides only under the declared-tolerance rule.
    public struct OutputStatistics: Sendable, Codable, Equatable {
        public var name: String
        public var elementType: String
        public var shape: [Int]
        public var rtol: Double
        public var atol: Double
        public var elementsCompared: Int
        public var maxAbsError: Double
        public var maxRelError: Double
        public var meanAbsError: Double
        public var outsideTolerance: Int
        /// Where the largest absolute error occurred: sample and flat element index.
        public var worstSample: Int
        public var worstIndex: Int
        /// The rule that decided this output, its verdict, and the reason in words.
        public var rule: OutputRule
        public var passed: Bool
        public var reason: String
        /// Errors of the frozen model and of the original against the exact reference (float outputs),
        /// and of the frozen model against the original.
        public var frozenVsExact: ErrorStatistics?
        public var originalVsExact: ErrorStatistics?
        public var frozenVsOriginal: ErrorStatistics
        /// The default criterion's bound, and the observed error's ratio to it (≤ 1 passes).
        public var bound: ErrorBound?
        public var boundRatio: Double?
        /// Integer outputs: elements that differ from the original within rounding of a tie.
        public var roundingTies: Int = 0
        /// Elements NaN or infinite in the original (or the exact reference) but not the same in the frozen model.
        public var nonFiniteMismatches: Int = 0
    }
}
