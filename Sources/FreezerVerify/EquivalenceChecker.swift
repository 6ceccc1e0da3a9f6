import Foundation
import FreezerIR
import FreezerKernels
import Synchronization

/// Proves, on concrete inputs, that the frozen model computes what the original computes at inference.
///
/// Three evaluations on the same inputs: the original with inference semantics (Dropout as identity,
/// BatchNormalization on running statistics) in float64, the exact reference; the original with the
/// same semantics in its own precision; the frozen model as it is. `EquivalenceCriterion` decides from
/// their errors. A wrong rewrite cannot hide behind itself: the original graph, not the rewritten one,
/// defines the expected values. Each evaluation runs all samples node by node. Where the machine has two
/// cores and the weights fit `sideBySideBudgetBytes`, the evaluations run in two lanes side by side: the exact reference (float64, about as costly as
/// the other two together) in one, the original and then the frozen model in the other, so at most two
/// interpreters (and the weights their current nodes hold) are alive at a time. Every evaluation is
/// independent of the others, so the report is the same in either arrangement.
public enum EquivalenceChecker {
    public struct Options: Sendable {
        /// A declared tolerance for every floating-point output; with neither, the default criterion.
        public var rtol: Double?
        public var atol: Double?
        public var threads: Int
        /// Runs the exact reference beside the other two evaluations when the machine has two cores.
        public var sideBySide: Bool
        /// Stops an evaluation before memory runs out (nil: `MemoryGuard.standard`).
        public var memoryGuard: MemoryGuard?
        /// What the reasons call the two models: the frozen model and the original, or B and A.
        public var names: EquivalenceReport.Names
        /// How many of the samples given are evaluated (`SampleRule.automatic`: as few as give every output
        /// enough values).
        public var sampleRule: SampleRule
        /// Runs the evaluations at a lower scheduling priority (`BackgroundPriority.yielding`), so that
        /// work of the process beside them (the save of the frozen model) takes the cores it needs first.
        public var yielding: Bool
        public init(rtol: Double? = nil, atol: Double? = nil, threads: Int = 1, sideBySide: Bool = true, memoryGuard: MemoryGuard? = nil,
                    names: EquivalenceReport.Names = .conversion, sampleRule: SampleRule = .every, yielding: Bool = false) {
            self.sampleRule = sampleRule
            self.yielding = yielding
            self.rtol = rtol
            self.atol = atol
            self.threads = threads
            self.sideBySide = sideBySide
            self.memoryGuard = memoryGuard
            self.names = names
        }

        public var criterion: EquivalenceCriterion { EquivalenceCriterion(rtol: rtol, atol: atol) }
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

    /// The three evaluations, in the order they run.
    public enum Stage: String, Sendable, CaseIterable {
        case exactReference = "exact reference (original, float64)"
        case original = "original (own precision)"
        case frozen = "frozen model"
    }

    /// Where a check is, for a progress display: the stage, the samples it evaluates together, and the
    /// nodes done of the nodes it runs (nil until its plan is made).
    public struct Progress: Sendable, Equatable {
        public var stage: Stage
        public var samples: Int
        public var node = 0
        public var nodes: Int?
    }

    public static let originalSemantics = "inference semantics (Dropout = identity, BatchNormalization on running statistics)"

    /// `originalSemantics` with what else the original's evaluation assumes, inside its parentheses.
    static func originalSemantics(note: String?) -> String {
        guard let note else { return originalSemantics }
        return String(originalSemantics.dropLast()) + "; \(note))"
    }

    /// `progress` is called when a stage begins and after each node it runs (see `LaneProgress` for
    /// the order when two lanes run side by side). `semanticsNote` adds to `originalSemantics` what else the original's
    /// evaluation assumes (recognized regularizers).
    /// `frozenInInferenceSemantics` evaluates the frozen side with inference semantics too: for a model
    /// half way through the pipeline (qualification checks one pass at a time), never for a frozen model.
    public static func check(original: Model, frozen: Model, samples: [Sample], defaults: [String] = [],
                             options: Options = .init(), semanticsNote: String? = nil, frozenInInferenceSemantics: Bool = false,
                             progress: (@Sendable (Progress) -> Void)? = nil) throws(EvaluationError) -> EquivalenceReport {
        let names = frozen.graph.outputs.map { frozen.graph.value($0).name }
        let criterion = options.criterion
        var defaults = defaults
        var memoryGroups: [[Int]] = []
        func evaluated(_ part: ArraySlice<Sample>) throws(EvaluationError) -> Evaluations {
            var groups: [Int] = []
            let result = try evaluateInGroups(original: original, frozen: frozen, samples: part, outputs: names, options: options,
                                              frozenInInferenceSemantics: frozenInInferenceSemantics, progress: progress, groups: &groups)
            if groups.count > 1 { memoryGroups.append(groups) }
            return result
        }
        let chosen = try evaluateAsRuled(options.sampleRule, samples: samples, original: original, outputs: names, evaluate: evaluated)
        let (samples, exact, reference, actual) = (chosen.samples, chosen.results.exact, chosen.results.reference, chosen.results.actual)
        if let note = chosen.note { defaults.append(note) }
        for groups in memoryGroups {
            defaults.append("samples evaluated in groups of \(groups.map(String.init).joined(separator: ", ")), one after the other: memory ran out with all \(groups.reduce(0, +)) together")
        }
        var evidence = names.map { OutputEvidence(name: $0) }
        for k in samples.indices {
            for (j, name) in names.enumerated() {
                evidence[j].add(exact: exact[k][name]!, original: reference[k][name]!, frozen: actual[k][name]!, sample: k, criterion: criterion, names: options.names)
            }
        }
        let described = samples.map { sample in
            EquivalenceReport.Sample(source: sample.source, inputs: sample.feeds.keys.sorted().map { name in
                let a = sample.feeds[name]!
                return .init(name: name, elementType: a.elementType.description, shape: a.shape, sha256: sample.digests[name])
            })
        }
        let outputs = evidence.map { $0.statistics(criterion: criterion, names: options.names) }
        return EquivalenceReport(verdict: outputs.allSatisfy(\.passed) ? .equivalent : .notEquivalent,
                                 originalSemantics: originalSemantics(note: semanticsNote), criterion: describe(criterion, names: options.names),
                                 samples: described, outputs: outputs, defaults: defaults)
    }

    /// The three evaluations of `samples`, all together; when memory runs out, the check starts again on
    /// halves, one after the other (each weight is then read once per group), down to one sample at a
    /// time (`inGroups`). Evaluations are independent per sample, so the results are the same either way.
    static func evaluateInGroups(original: Model, frozen: Model, samples: ArraySlice<Sample>, outputs: [String], options: Options,
                                 frozenInInferenceSemantics: Bool, progress: (@Sendable (Progress) -> Void)?, groups: inout [Int])
        throws(EvaluationError) -> Evaluations {
        let perSample = try inGroups(samples, groups: &groups) { part throws(EvaluationError) in
            let (e, r, a) = try evaluateTogether(original: original, frozen: frozen, samples: Array(part), outputs: outputs, options: options,
                                                 frozenInInferenceSemantics: frozenInInferenceSemantics, progress: progress)
            return e.indices.map { (e[$0], r[$0], a[$0]) }
        }
        return (perSample.map(\.0), perSample.map(\.1), perSample.map(\.2))
    }

    /// `body`'s results for every sample, from one call with all of them; when memory runs out, from calls
    /// on halves, one after the other, down to one sample at a time. `groups` receives the size of each
    /// call that succeeded, in order.
    public static func inGroups<R>(_ samples: ArraySlice<Sample>, groups: inout [Int],
                                   _ body: (ArraySlice<Sample>) throws(EvaluationError) -> [R]) throws(EvaluationError) -> [R] {
        do {
            let result = try body(samples)
            groups.append(samples.count)
            return result
        } catch {
            guard case .outOfMemory = error, samples.count > 1 else { throw error }
            let half = samples.startIndex + samples.count / 2
            return try inGroups(samples[..<half], groups: &groups, body) + inGroups(samples[half...], groups: &groups, body)
        }
    }

    /// The three evaluations of `samples` together: side by side in two lanes where that fits, else one after the other.
    static func evaluateTogether(original: Model, frozen: Model, samples: [Sample], outputs names: [String], options: Options,
                                 frozenInInferenceSemantics: Bool, progress: (@Sendable (Progress) -> Void)?)
        throws(EvaluationError) -> Evaluations {
        let threads = options.threads
        // One guard for the lanes of this group: when one finds memory short, the other stops too.
        let memoryGuard = (options.memoryGuard ?? .standard).renewed()
        let lanes = LaneProgress(progress)
        let exactLane = { @Sendable () throws(EvaluationError) -> [[String: NDArray]] in
            defer { lanes.exactReferenceFinished() }
            return try evaluate(original, samples: samples, outputs: names, stage: .exactReference,
                         options: .init(inferenceSemantics: true, threads: threads, precision: .float64, memoryGuard: memoryGuard), progress: lanes.reporter(lane: 0))
        }
        let ownPrecisionLane = { @Sendable () throws(EvaluationError) -> ([[String: NDArray]], [[String: NDArray]]) in
            let report = lanes.reporter(lane: 1)
            let reference = try evaluate(original, samples: samples, outputs: names, stage: .original,
                                         options: .init(inferenceSemantics: true, threads: threads, memoryGuard: memoryGuard), progress: report)
            let actual = try evaluate(frozen, samples: samples, outputs: names, stage: .frozen,
                                      options: .init(inferenceSemantics: frozenInInferenceSemantics, threads: threads, memoryGuard: memoryGuard), progress: report)
            return (reference, actual)
        }
        // A lane on this thread, or yielding on one of its own.
        func run<T: Sendable>(_ lane: @escaping @Sendable () throws(EvaluationError) -> T) throws(EvaluationError) -> T {
            options.yielding ? try Background(priority: .yielding, lane).value() : try lane()
        }
        if options.sideBySide && ProcessInfo.processInfo.activeProcessorCount >= 2 && sideBySideFits(original) {
            let beside = Background(priority: options.yielding ? .yielding : .standard, exactLane)
            let ownPrecision = Result { () throws(EvaluationError) in try run(ownPrecisionLane) }
            // Both lanes end before anything is thrown, so no evaluation outlives the check.
            let exactResult = Result { () throws(EvaluationError) in try beside.value() }
            let exact = try exactResult.get()
            let (reference, actual) = try ownPrecision.get()
            return (exact, reference, actual)
        }
        let exact = try run(exactLane)
        let (reference, actual) = try run(ownPrecisionLane)
        return (exact, reference, actual)
    }

    /// Runs `model` on every sample, node by node (each weight is read once for all samples, held only
    /// while the nodes that read it run, and released), and keeps the requested outputs. A model that lacks
    /// an input a sample has (the frozen model no longer declares labels or switches) is fed only what it
    /// declares.
    static func evaluate(_ model: Model, samples: [Sample], outputs: [String], stage: Stage, options: Interpreter.Options,
                         progress: (@Sendable (Progress) -> Void)?) throws(EvaluationError) -> [[String: NDArray]] {
        var options = options
        options.keepsConstants = false
        options.memoryGuard = options.memoryGuard ?? .standard
        let interpreter = Interpreter(model: model, options: options)
        let declared = Set(model.graph.inputs.map { model.graph.value($0).name })
        progress?(Progress(stage: stage, samples: samples.count))
        let onNode = progress.map { report in { report(Progress(stage: stage, samples: samples.count, node: $0, nodes: $1)) } }
        return try interpreter.run(batch: samples.map { $0.feeds.filter { declared.contains($0.key) } }, outputs: outputs,
                                   onNode: onNode)
    }

    static func describe(_ criterion: EquivalenceCriterion, names: EquivalenceReport.Names = .conversion) -> EquivalenceReport.CriterionDescription {
        let conversion = names == .conversion
        let (candidate, reference) = conversion ? ("the frozen model", "the original") : (names.candidate, names.reference)
        let exact = conversion ? "exact reference: the original with inference semantics, every float value widened to float64; original and frozen model in their own precision"
            : "exact reference: \(reference) with inference semantics, every float value widened to float64; \(reference) and \(candidate) in their own precision"
        switch criterion {
        case .asExactAsOriginal:
            return .init(name: .asExactAsOriginal,
                         reason: "the default: no --rtol/--atol given, so each floating-point output of \(candidate) must be as exact as \(conversion ? "the original's" : reference + "'s"), measured against the exact reference",
                         errorFactor: EquivalenceCriterion.errorFactor, floorULPs: EquivalenceCriterion.floorULPs, exactReference: exact)
        case .declaredTolerance(let rtol, let atol):
            return .init(name: .declaredTolerance,
                         reason: "--rtol/--atol were given: they declare a fixed elementwise tolerance against \(reference) (per-type default for the one not given); the exact-reference statistics are recorded as evidence",
                         errorFactor: EquivalenceCriterion.errorFactor, floorULPs: EquivalenceCriterion.floorULPs, rtol: rtol, atol: atol, exactReference: exact)
        }
    }

    /// What a second lane may add to the memory an evaluation holds: the weights of the node it runs.
    public static let sideBySideBudgetBytes = 256 << 20

    /// Whether two lanes fit `sideBySideBudgetBytes`: a lane holds the weights of its current node at about
    /// 12 bytes per element (the mapped float32 payload, and either its float64 widening or a decoded and a
    /// packed float32 copy), so the second lane adds that for the largest node's weights; a weight that a
    /// product reads in place (`Interpreter.readsWeightInPlace`) adds only a workspace. Larger weights
    /// are evaluated one lane after the other.
    static func sideBySideFits(_ model: Model, budget: Int = sideBySideBudgetBytes) -> Bool {
        let graph = model.graph
        var largest = 0
        for node in graph.nodes {
            let inPlace = Interpreter.readsWeightInPlace(node, in: graph) ? node.inputs[1] : nil
            let elements = node.inputs.compactMap { $0.flatMap { $0 == inPlace ? nil : graph.initializer($0)?.elementCount } }.reduce(0, +)
            largest = max(largest, elements)
        }
        return largest * 12 <= budget
    }

    /// Forwards the progress of one lane at a time, so a display follows one evaluation instead of
    /// flickering between two: the exact reference (lane 0, the longest) leads until it finishes; the other
    /// lane's progress meanwhile is held, the latest event of each stage, and replayed in order when the
    /// lead passes, so every stage is still shown, in the order the stages run.
    final class LaneProgress: Sendable {
        private let report: (@Sendable (Progress) -> Void)?
        private let state = Mutex<(exactFinished: Bool, held: [Progress])>((false, []))

        init(_ report: (@Sendable (Progress) -> Void)?) { self.report = report }

        func reporter(lane: Int) -> (@Sendable (Progress) -> Void)? {
            guard let report else { return nil }
            return { [self] progress in
                state.withLock { s in
                    if lane == 0 || s.exactFinished { return report(progress) }
                    if s.held.last?.stage == progress.stage { s.held[s.held.count - 1] = progress } else { s.held.append(progress) }
                }
            }
        }

        func exactReferenceFinished() {
            state.withLock { s in
                s.exactFinished = true
                for progress in s.held { report?(progress) }
                s.held = []
            }
        }
    }
}
