/// The frozen model, beyond the template: what was written and how the graph changed.
public struct FrozenModelInfo: Codable, Sendable, Equatable {
    public var file: ModelFileInfo
    /// Node counts by operator before and after, and the totals.
    public var nodeCountsBefore: [String: Int]
    public var nodeCountsAfter: [String: Int]
    /// Whether tensors were written inline or to an external data file.
    public var storage: String
    /// The frozen model's `metadata_props` entries that link it to this log.
    public var metadata: [String: String]
    public init(file: ModelFileInfo, nodeCountsBefore: [String: Int], nodeCountsAfter: [String: Int], storage: String,
                metadata: [String: String]) {
        self.file = file
        self.nodeCountsBefore = nodeCountsBefore
        self.nodeCountsAfter = nodeCountsAfter
        self.storage = storage
        self.metadata = metadata
    }
}

/// The equivalence check: inputs, tolerances, per-output statistics, verdict — or why it was skipped.
public struct EquivalenceResult: Codable, Sendable, Equatable {
    /// `equivalent`, `notEquivalent`, or `skipped`.
    public var verdict: String
    public var statement: String
    public var method: String
    public var samples: [EquivalenceSample]
    public var outputs: [OutputComparison]
    public var defaults: [String]
    /// The criterion that decided (absent in logs written before freezer recorded it, and when skipped).
    public var criterion: EquivalenceCriterionInfo?
    /// The shape of each input of the random samples (declared dimensions, `--input-shape`, and the
    /// sizes chosen for symbolic ones), so that `--reverify` makes the same samples whatever sizes a
    /// later freezer would choose. Absent for inputs read from files, when skipped, and in logs written
    /// before freezer recorded it (those gave every symbolic dimension the size 1).
    public var inputShapes: [String: [Int]]?
    /// For random samples, the range [low, high) of each integer input that indexes a constant table (an
    /// embedding's token ids: its rows); the others were drawn from [0, 4). Absent for inputs read from
    /// files, when skipped, and in logs written before freezer recorded it (every integer from [0, 4)).
    public var inputRanges: [String: [Int64]]?
    public init(verdict: String, statement: String, method: String, samples: [EquivalenceSample], outputs: [OutputComparison], defaults: [String],
                criterion: EquivalenceCriterionInfo? = nil, inputShapes: [String: [Int]]? = nil, inputRanges: [String: [Int64]]? = nil) {
        self.inputRanges = inputRanges
        self.verdict = verdict
        self.statement = statement
        self.method = method
        self.samples = samples
        self.outputs = outputs
        self.defaults = defaults
        self.criterion = criterion
        self.inputShapes = inputShapes
    }
}

/// The equivalence criterion as applied: `asExactAsOriginal` (the default) or `declaredTolerance`.
public struct EquivalenceCriterionInfo: Codable, Sendable, Equatable {
    public var name: String
    /// Why this criterion decided.
    public var reason: String
    /// The rule in words, with its formula.
    public var rule: String
    /// k: the frozen model's error against the exact reference may be k times the original's own.
    public var errorFactor: Double
    /// The bound's floor, in units in the last place of the output's type at the output's scale.
    public var floorULPs: Double
    /// The declared tolerance, when `--rtol`/`--atol` were given.
    public var rtol: Double?
    public var atol: Double?
    /// How the exact reference, the original and the frozen model were evaluated.
    public var evaluations: String
    public init(name: String, reason: String, rule: String, errorFactor: Double, floorULPs: Double, rtol: Double? = nil, atol: Double? = nil,
                evaluations: String) {
        self.name = name
        self.reason = reason
        self.rule = rule
        self.errorFactor = errorFactor
        self.floorULPs = floorULPs
        self.rtol = rtol
        self.atol = atol
        self.evaluations = evaluations
    }
}

/// Statistics of the elementwise absolute errors of one output against a reference, over all samples.
public struct ErrorStatisticsRecord: Codable, Sendable, Equatable {
    public var count: Int
    public var maxAbs: Double
    public var maxRel: Double
    public var meanAbs: Double
    public var rms: Double
    /// The 99.9th percentile.
    public var p999: Double
    /// Elements with an infinite error (non-finite on one side only).
    public var nonFinite: Int
    public var histogram: ErrorHistogramRecord
    public init(count: Int, maxAbs: Double, maxRel: Double, meanAbs: Double, rms: Double, p999: Double, nonFinite: Int,
                histogram: ErrorHistogramRecord) {
        self.count = count
        self.maxAbs = maxAbs
        self.maxRel = maxRel
        self.meanAbs = meanAbs
        self.rms = rms
        self.p999 = p999
        self.nonFinite = nonFinite
        self.histogram = histogram
    }
}

/// Error counts per decade: bin k holds errors in [10^(firstDecade+k), 10^(firstDecade+k+1)); exact
/// zeros and infinite errors are counted apart.
public struct ErrorHistogramRecord: Codable, Sendable, Equatable {
    public var firstDecade: Int
    public var counts: [Int]
    public var zeros: Int
    public var nonFinite: Int
    public init(firstDecade: Int, counts: [Int], zeros: Int, nonFinite: Int) {
        self.firstDecade = firstDecade
        self.counts = counts
        self.zeros = zeros
        self.nonFinite = nonFinite
    }
}

public struct EquivalenceSample: Codable, Sendable, Equatable {
    public var source: String
    public var inputs: [String]
    public init(source: String, inputs: [String]) {
        self.source = source
        self.inputs = inputs
    }
}

public struct OutputComparison: Codable, Sendable, Equatable {
    public var name: String
    public var type: String
    public var rtol: Double
    public var atol: Double
    public var elementsCompared: Int
    public var maxAbsError: Double
    public var maxRelError: Double
    public var meanAbsError: Double
    public var outsideTolerance: Int
    /// The rule that decided this output (`asExactAsOriginal`, `declaredTolerance`, `perTypeTolerance`,
    /// `exactMatch`), whether it passed, and why. Absent in logs written before freezer recorded them.
    public var rule: String?
    public var passed: Bool?
    public var reason: String?
    /// Errors of the frozen model and of the original against the exact reference, and of the frozen
    /// model against the original.
    public var frozenVsExact: ErrorStatisticsRecord?
    public var originalVsExact: ErrorStatisticsRecord?
    public var frozenVsOriginal: ErrorStatisticsRecord?
    /// The default criterion's bounds on max and rms |frozen − exact|, and the observed error's ratio to them.
    public var boundMaxAbs: Double?
    public var boundRMS: Double?
    public var boundRatio: Double?
    /// Integer outputs: elements that differ within rounding of a tie.
    public var roundingTies: Int?
    public init(name: String, type: String, rtol: Double, atol: Double, elementsCompared: Int, maxAbsError: Double,
                maxRelError: Double, meanAbsError: Double, outsideTolerance: Int) {
        self.name = name
        self.type = type
        self.rtol = rtol
        self.atol = atol
        self.elementsCompared = elementsCompared
        self.maxAbsError = maxAbsError
        self.maxRelError = maxRelError
        self.meanAbsError = meanAbsError
        self.outsideTolerance = outsideTolerance
    }
}
