import FreezerIR
import FreezerKernels

/// The frozen model against the outputs of the framework the model was trained in (PyTorch, Keras), on
/// the inputs of the equivalence check: the independent check that the frozen model computes what the
/// verified learning model computes in its own framework, not only what its ONNX export computes.
///
/// The framework computes in its own precision with its own kernels, so it is held to the bound of the
/// default criterion measured on the exported model: per floating-point output, max and rms of
/// |frozen − framework| must stay within k · (the original's own error against the exact reference) +
/// floor, both from `equivalence`. A framework that rounds like the original stays within about twice the
/// original's error; an export that is not the framework's model (moved running statistics, a wrong
/// mode) differs by far more. Under a declared tolerance (or the per-type one) the elementwise tolerance
/// decides; integer and boolean outputs must be equal.
public enum FrameworkCheck {
    public struct Output: Sendable, Equatable {
        public var name: String
        public var elementsCompared: Int
        public var maxAbsError: Double
        public var rmsError: Double
        public var bound: ErrorBound?
        public var passed: Bool
        public var reason: String
    }

    public struct Report: Sendable, Equatable {
        public var outputs: [Output]
        public var samples: Int
        public var equivalent: Bool { outputs.allSatisfy(\.passed) }
    }

    /// `framework[k]` holds the framework's outputs on sample k by the names of the exported model's outputs.
    public static func check(frozen: Model, samples: [EquivalenceChecker.Sample], framework: [[String: NDArray]],
                             equivalence: EquivalenceReport, threads: Int = 1, memoryGuard: MemoryGuard? = nil) throws(EvaluationError) -> Report {
        let names = frozen.graph.outputs.map { frozen.graph.value($0).name }
        // The bound was measured on the samples the equivalence check evaluated: the first of those given
        // (`SampleRule`), so the framework is held to it on those.
        let samples = Array(samples.prefix(max(1, equivalence.samples.count)))
        // In halves when memory runs short, as the equivalence check does.
        var groups: [Int] = []
        let actual = try EquivalenceChecker.inGroups(samples[...], groups: &groups) { part throws(EvaluationError) in
            try EquivalenceChecker.evaluate(frozen, samples: Array(part), outputs: names, stage: .frozen,
                                            options: .init(inferenceSemantics: false, threads: threads, memoryGuard: (memoryGuard ?? .standard).renewed()), progress: nil)
        }
        var outputs: [Output] = []
        for name in names {
            let statistics = equivalence.outputs.first { $0.name == name }
            var collector = ErrorCollector()
            var problem: String?
            var outside = 0
            for k in samples.indices {
                guard let r = framework[k][name] else { problem = "the framework gave no output '\(name)'"; break }
                let f = actual[k][name]!
                guard f.shape == r.shape else { problem = "the framework gives shape \(r.shape) where the frozen model gives \(f.shape)"; break }
                let x = f.asDoubles, y = r.asDoubles
                collector.add(x, reference: y, sample: k)
                let t = Tolerance.default(for: f.elementType)
                let rtol = statistics?.rtol ?? t.rtol, atol = statistics?.atol ?? t.atol
                for i in x.indices where ErrorCollector.error(x[i], y[i]) > (f.elementType.isFloatingPoint ? atol + rtol * abs(y[i]) : 0) {
                    outside += 1
                }
            }
            let s = collector.statistics(decades: 0...0)
            var output = Output(name: name, elementsCompared: s.count, maxAbsError: s.maxAbs, rmsError: s.rms, bound: nil, passed: false, reason: "")
            let n = EquivalenceReport.number
            if let problem {
                output.reason = problem
            } else if let statistics, statistics.rule == .asExactAsOriginal, let bound = statistics.bound {
                output.bound = bound
                output.passed = s.maxAbs <= bound.maxAbs && s.rms <= bound.rms
                output.reason = (output.passed ? "within" : "NOT within") + " the bound of the default criterion: max |frozen − framework| \(n(s.maxAbs)) (bound \(n(bound.maxAbs))), rms \(n(s.rms)) (bound \(n(bound.rms)))"
            } else {
                output.passed = outside == 0
                output.reason = outside == 0 ? "every element within the elementwise tolerance of the framework's (equal, for integer and boolean outputs)"
                    : "\(outside) of \(s.count) elements outside the elementwise tolerance of the framework's"
            }
            outputs.append(output)
        }
        return Report(outputs: outputs, samples: samples.count)
    }
}
