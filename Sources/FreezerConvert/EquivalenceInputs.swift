import Foundation
import FreezerFeeds
import FreezerIR
import FreezerVerify

/// The inputs the equivalence check runs on: seeded random samples shaped from the model, or the
/// user's own files, bound to the model's inputs by `FeedDirectory`'s rule.
enum EquivalenceInputs {
    /// The samples, the defaults taken for them (sizes of symbolic dimensions, ranges of integer inputs),
    /// and for random samples the range of each integer input that is not the standard [0, 4).
    struct Made {
        var samples: [EquivalenceChecker.Sample]
        var defaults: [String]
        var integerRanges: [String: Range<Int64>]?
        /// The sizes chosen for symbolic dimensions, the first of `defaults`: what an evaluation that
        /// fails may have been given wrong (`sizesNote`).
        var sizes: [String] = []

        /// `integerRanges` as the log records them: [low, high) as two numbers.
        var recordedIntegerRanges: [String: [Int64]]? { integerRanges.map { $0.mapValues { [$0.lowerBound, $0.upperBound] } } }
    }

    static func samples(for model: Model, frozen: Graph, options: ConversionOptions, symbolicDimensions: SymbolicDimensionRule = .sized,
                        integerRanges: [String: Range<Int64>]? = nil) throws -> Made {
        try samples(for: model, frozen: frozen, inputsDirectory: options.inputsDirectory, inputShapes: options.inputShapes,
                    count: options.sampleCandidates, seed: options.seed, symbolicDimensions: symbolicDimensions, integerRanges: integerRanges)
    }

    /// The samples for `model`: from `inputsDirectory` when given (they must give every input `frozen`
    /// keeps, not the training-only inputs, such as labels, that freezing removed), else `count` seeded
    /// random ones shaped by the declared shapes and `inputShapes`, their integers in the ranges
    /// `integerRanges` gives (nil: `IntegerInputRange`'s, which the defaults then name).
    static func samples(for model: Model, frozen: Graph, inputsDirectory: String?, inputShapes: [String: [Int]], count: Int,
                        seed: UInt64, symbolicDimensions: SymbolicDimensionRule = .sized, integerRanges: [String: Range<Int64>]? = nil) throws -> Made {
        if let directory = inputsDirectory {
            let required = Set(frozen.runtimeInputs.map { frozen.value($0).name })
            let samples = try FeedDirectory.samples(in: directory, for: model.graph, requiring: required)
            return Made(samples: samples.map { .init(feeds: $0.feeds, source: $0.source, digests: $0.digests) }, defaults: [])
        }
        let shapes: [String: [Int]]
        let sizes: [String]
        do { (shapes, sizes) = try RandomInputs.shapes(for: model.graph, overrides: inputShapes, rule: symbolicDimensions) } catch {
            throw ConversionError.badOption(error.description)
        }
        for name in inputShapes.keys where model.graph.value(named: name) == nil && !Self.symbols(model.graph).contains(name) {
            throw ConversionError.badOption("--input-shape names '\(name)', which is neither an input nor a dimension symbol of the model; inputs are: \(model.graph.runtimeInputs.map { model.graph.value($0).name }.joined(separator: ", "))")
        }
        var defaults = sizes
        let ranges: [String: Range<Int64>]
        if let integerRanges { ranges = integerRanges } else {
            let chosen = IntegerInputRange.ranges(for: model.graph)
            ranges = chosen.ranges
            defaults += chosen.notes
        }
        var generator = SeededGenerator(seed: seed)
        var samples: [EquivalenceChecker.Sample] = []
        for k in 0..<count {
            do {
                samples.append(.init(feeds: try RandomInputs.sample(for: model.graph, shapes: shapes, integerRanges: ranges, generator: &generator),
                                     source: "random, seed \(seed), sample \(k + 1)"))
            } catch {
                throw ConversionError.badOption(error.description)
            }
        }
        return Made(samples: samples, defaults: defaults, integerRanges: ranges, sizes: sizes)
    }

    /// For an evaluation that failed on random inputs shaped with sizes freezer chose: which sizes, and
    /// how to give the model's own (a model may accept only the sizes it was exported at).
    static func sizesNote(_ sizes: [String]) -> String {
        sizes.isEmpty ? "" : ". The random inputs had sizes freezer chose for symbolic dimensions (\(sizes.joined(separator: ", "))): "
            + "give the sizes the model runs at with --input-shape NAME=N, or real inputs with --inputs DIR"
    }

    /// The ranges a log records, back (nil: none recorded, or not two ordered numbers).
    static func ranges(recorded: [String: [Int64]]?) -> [String: Range<Int64>]? {
        guard let recorded else { return nil }
        var ranges: [String: Range<Int64>] = [:]
        for (name, bounds) in recorded {
            guard bounds.count == 2, bounds[0] < bounds[1] else { return nil }
            ranges[name] = bounds[0]..<bounds[1]
        }
        return ranges
    }

    static func symbols(_ g: Graph) -> Set<String> {
        var s = Set<String>()
        for id in g.runtimeInputs {
            for d in g.value(id).type?.tensor?.shape ?? [] { if case .symbol(let name) = d { s.insert(name) } }
        }
        return s
    }
}

extension Conversion {
    /// The inputs `run` checks equivalence on for `model` under `options` (the same seeded samples, or the
    /// same files), so that a caller can have another evaluator (the training framework) run them too.
    public static func equivalenceSamples(for model: Model, options: ConversionOptions) throws -> [EquivalenceChecker.Sample] {
        try EquivalenceInputs.samples(for: model, frozen: model.graph, options: options).samples
    }
}
