import FreezerIR
import FreezerKernels

/// Proves, on concrete inputs, that the frozen model computes what the original computes at inference.
///
/// The original is run by the reference evaluator with inference semantics (Dropout as identity,
/// BatchNormalization on running statistics); the frozen model is run as it is. A wrong rewrite cannot
/// hide behind itself: the original graph, not the rewritten one, defines the expected values.
public enum EquivalenceChecker {
    public struct Options: Sendable {
        /// Overrides the per-type defaults for every floating-point output.
        public var rtol: Double?
        public var atol: Double?
        public var threads: Int
        public init(rtol: Double? = nil, atol: Double? = nil, threads: Int = 1) {
            self.rtol = rtol
            self.atol = atol
            self.threads = threads
        }
    }

    /// One set of inputs and where it came from.
    public struct Sample: Sendable {
        public var feeds: [String: NDArray]
        public var source: String
        public var digests: [String: String]
        public init(feeds: [String: NDArray], source: String, digests: [String: String] = [:]) {
            self.feeds = feeds
            self.source = source
            self.digests = digests
        }
    }

    public static func check(original: Model, frozen: Model, samples: [Sample], defaults: [String] = [],
                             options: Options = .init(), progress: ((Int, Int) -> Void)? = nil) throws(EvaluationError) -> EquivalenceReport {
        let reference = Interpreter(model: original, options: .init(inferenceSemantics: true, threads: options.threads))
        let candidate = Interpreter(model: frozen, options: .init(inferenceSemantics: false, threads: options.threads))
        let names = frozen.graph.outputs.map { frozen.graph.value($0).name }
        var stats: [OutputAccumulator] = names.map { OutputAccumulator(name: $0) }
        var described: [EquivalenceReport.Sample] = []
        for (k, sample) in samples.enumerated() {
            progress?(k, samples.count)
            // The frozen model may have fewer inputs (labels and switches are gone): feed each what it declares.
            let frozenInputs = Set(frozen.graph.runtimeInputs.map { frozen.graph.value($0).name })
            let expected = try reference.run(sample.feeds.filter { original.graph.value(named: $0.key).map(original.graph.inputs.contains) ?? false },
                                             outputs: names)
            let actual = try candidate.run(sample.feeds.filter { frozenInputs.contains($0.key) })
            for (j, name) in names.enumerated() {
                stats[j].add(expected: expected[name]!, actual: actual[name]!, sample: k, options: options)
            }
            described.append(.init(source: sample.source, inputs: sample.feeds.keys.sorted().map { name in
                let a = sample.feeds[name]!
                return .init(name: name, elementType: a.elementType.description, shape: a.shape, sha256: sample.digests[name])
            }))
        }
        progress?(samples.count, samples.count)
        let outputs = stats.map(\.statistics)
        let ok = outputs.allSatisfy { $0.outsideTolerance == 0 }
        return EquivalenceReport(verdict: ok ? .equivalent : .notEquivalent,
                                 originalSemantics: "reference evaluator, inference semantics (Dropout = identity, BatchNormalization on running statistics)",
                                 samples: described, outputs: outputs, defaults: defaults)
    }
}

/// Running error statistics of one output.
struct OutputAccumulator {
    let name: String
    var type = "unknown"
    var shape: [Int] = []
    var tolerance = Tolerance(rtol: 0, atol: 0)
    var count = 0, outside = 0
    var maxAbs = 0.0, maxRel = 0.0, sumAbs = 0.0
    var worstSample = 0, worstIndex = 0

    init(name: String) { self.name = name }

    mutating func add(expected: NDArray, actual: NDArray, sample: Int, options: EquivalenceChecker.Options) {
        type = expected.elementType.description
        shape = expected.shape
        var t = Tolerance.default(for: expected.elementType)
        if expected.elementType.isFloatingPoint {
            t.rtol = options.rtol ?? t.rtol
            t.atol = options.atol ?? t.atol
        }
        tolerance = t
        guard expected.shape == actual.shape, expected.elementType == actual.elementType else {
            // A shape or type change is a total mismatch: every element counts as outside tolerance.
            outside += max(expected.count, actual.count, 1)
            count += max(expected.count, actual.count)
            maxAbs = .infinity
            maxRel = .infinity
            return
        }
        let e = expected.asDoubles, a = actual.asDoubles
        for i in e.indices {
            let x = e[i], y = a[i]
            var diff = abs(y - x)
            if x.isNaN || y.isNaN { diff = (x.isNaN && y.isNaN) ? 0 : .infinity }
            else if x == y { diff = 0 } // equal infinities
            let rel = diff == 0 ? 0 : diff / max(abs(x), .leastNormalMagnitude)
            if diff > t.atol + t.rtol * abs(x) { outside += 1 }
            if diff > maxAbs { maxAbs = diff; worstSample = sample; worstIndex = i }
            maxRel = max(maxRel, rel)
            sumAbs += diff.isFinite ? diff : 0
        }
        count += e.count
    }

    var statistics: EquivalenceReport.OutputStatistics {
        .init(name: name, elementType: type, shape: shape, rtol: tolerance.rtol, atol: tolerance.atol,
              elementsCompared: count, maxAbsError: maxAbs, maxRelError: maxRel,
              meanAbsError: count > 0 ? sumAbs / Double(count) : 0, outsideTolerance: outside,
              worstSample: worstSample, worstIndex: worstIndex)
    }
}
