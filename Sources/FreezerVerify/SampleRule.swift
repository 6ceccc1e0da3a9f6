import FreezerIR
import FreezerKernels

/// How many of the samples given the equivalence check evaluates.
///
/// The criterion's statistics (max, rms, percentiles) are taken over an output's values, all samples
/// together, and its constants were measured on outputs of about 8,000 values (8 samples of 1,000 classes,
/// docs/equivalence-criterion.md). A model whose one sample already gives every output many more values
/// than that gains no precision in those statistics from more samples, only cost: 8 samples of a 53-layer
/// 512-channel convolution stack are 384 GFLOP. `enoughValues` evaluates the samples in order and stops
/// where every output has the values asked for, so such a model is checked on one sample and a
/// classifier on all of them.
public enum SampleRule: Sendable, Equatable {
    /// Every sample given (`--samples N`, `--inputs DIR`, the qualification suites).
    case every
    /// The first samples, as few as give every output at least this many values, at least one.
    case enoughValues(Int)

    /// The default of `convert` and `compare` when `--samples` is not given.
    public static let automatic = SampleRule.enoughValues(valuesPerOutput)
    /// Twice the values the criterion's constants were measured on.
    public static let valuesPerOutput = 16_384
    /// The random samples the default makes: the most it evaluates.
    public static let defaultSamples = 8

    /// How many of `available` samples give every output `wanted` values, when one sample gives the
    /// smallest `perSample` (nil: not known yet).
    static func count(wanted: Int, perSample: Int?, available: Int) -> Int {
        guard let perSample else { return 1 }
        guard perSample > 0 else { return available }
        return min(available, max(1, (wanted + perSample - 1) / perSample))
    }

    /// The values one sample gives the smallest of `outputs`, from the shapes `graph` declares with its
    /// symbols bound by `feeds`; nil when a dimension stays unknown.
    static func declaredValuesPerSample(_ graph: Graph, feeds: [String: NDArray], outputs: [String]) -> Int? {
        var symbols: [String: Int] = [:]
        for id in graph.inputs {
            let value = graph.value(id)
            guard let dims = value.type?.tensor?.shape, let fed = feeds[value.name]?.shape, fed.count == dims.count else { continue }
            for (dim, size) in zip(dims, fed) { if case .symbol(let s) = dim { symbols[s] = size } }
        }
        var smallest: Int?
        for name in outputs {
            guard let id = graph.value(named: name), let dims = graph.value(id).type?.tensor?.shape else { return nil }
            var count = 1
            for dim in dims {
                switch dim {
                case .value(let v) where v >= 0: count *= Int(v)
                case .symbol(let s): guard let size = symbols[s] else { return nil }; count *= size
                default: return nil
                }
            }
            smallest = min(smallest ?? count, count)
        }
        return smallest
    }

    /// The values one sample gave the smallest output, measured from `results` (one dictionary per sample).
    static func measuredValuesPerSample(_ results: [[String: NDArray]], outputs: [String]) -> Int {
        outputs.map { name in results.map { $0[name]?.count ?? 0 }.min() ?? 0 }.min() ?? 0
    }

    /// Whether `graph` (or a graph nested in it) chooses between branches by its data (If): then the
    /// inputs, not their count of values, decide what is exercised, and the default evaluates every sample.
    static func branchesOnData(_ graph: Graph) -> Bool {
        ([graph] + graph.subgraphs().map(\.graph)).contains { g in g.nodes.contains { $0.isOnnx("If") } }
    }

    /// The line the report's defaults give the count chosen.
    static func describe(evaluated: Int, available: Int, wanted: Int, perSample: Int) -> String {
        let values = "the smallest output has \(perSample) value\(perSample == 1 ? "" : "s") per sample"
        if evaluated < available {
            return "samples: \(evaluated) of the up to \(available) the default evaluates, as few as give every output at least \(wanted) values (\(values)); --samples N evaluates N"
        }
        return "samples: \(evaluated), the most the default evaluates (\(values); it stops early only once every output has \(wanted))"
    }

    /// The line when the model branches on its data.
    static func describeBranching(evaluated: Int) -> String {
        "samples: \(evaluated), every one the default makes: the model chooses between branches by its data (If), so more inputs exercise more of it"
    }
}
