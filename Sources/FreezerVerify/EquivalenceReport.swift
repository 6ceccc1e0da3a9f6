/// The result of comparing the frozen model with the original in inference mode.
public struct EquivalenceReport: Sendable, Codable, Equatable {
    public enum Verdict: String, Sendable, Codable { case equivalent, notEquivalent }

    public var verdict: Verdict
    /// How the original was evaluated.
    public var originalSemantics: String
    public var samples: [Sample]
    public var outputs: [OutputStatistics]
    /// Shapes chosen for symbolic dimensions, and other defaults the check had to take.
    public var defaults: [String]

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

    /// Error statistics of one output over all samples.
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
    }
}
