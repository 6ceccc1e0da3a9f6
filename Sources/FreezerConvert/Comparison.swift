import FreezerIR
import FreezerKernels
import FreezerLog
import FreezerONNX
import FreezerPasses
import FreezerVerify

/// `freezer compare A B`: the equivalence check of `convert`, for any two models with the same inputs and
/// outputs. A plays the verified learning model's part (evaluated with inference semantics, in float64 for
/// the exact reference and in its own precision), B the frozen model's (evaluated as written).
public enum Comparison {
    public struct Options: Sendable {
        public var a: String
        public var b: String
        public var inputsDirectory: String?
        public var inputShapes: [String: [Int]]
        /// `--samples`; nil: up to `ConversionOptions.defaultSamples`, as `SampleRule.automatic` decides.
        public var samples: Int?
        public var seed: UInt64
        public var rtol: Double?
        public var atol: Double?
        public var threads: Int
        public init(a: String, b: String, inputsDirectory: String? = nil, inputShapes: [String: [Int]] = [:],
                    samples: Int? = nil, seed: UInt64 = ConversionOptions.defaultSeed,
                    rtol: Double? = nil, atol: Double? = nil, threads: Int = ConversionOptions.defaultThreads) {
            self.a = a
            self.b = b
            self.inputsDirectory = inputsDirectory
            self.inputShapes = inputShapes
            self.samples = samples
            self.seed = seed
            self.rtol = rtol
            self.atol = atol
            self.threads = threads
        }
    }

    /// What was compared and the verdict, as `--json` prints it (the equivalence as the log records it).
    public struct Outcome: Sendable, Encodable {
        public var a: ModelIdentity
        public var b: ModelIdentity
        public var equivalence: EquivalenceResult
        /// What the reader should know to read the verdict: B still computes training constructs as written.
        public var warnings: [String]
        /// The report the record was made from (for the text rendering); not encoded.
        public var report: EquivalenceReport
        private enum CodingKeys: String, CodingKey { case a, b, equivalence, warnings }

        init(a: ModelIdentity, b: ModelIdentity, report: EquivalenceReport, warnings: [String] = []) {
            self.a = a
            self.b = b
            self.report = report
            self.warnings = warnings
            equivalence = EquivalenceRecord.make(report, names: .comparison)
        }
    }

    public struct ModelIdentity: Sendable, Codable {
        public var path: String
        public var sha256: String
    }

    public static func run(_ options: Options, progress: Conversion.Progress? = nil) throws -> Outcome {
        try ConversionOptions.checkEquivalenceSettings(samples: options.samples, rtol: options.rtol, atol: options.atol)
        progress?(ProgressEvent(phase: .load(path: options.a)))
        let a = try ModelLoader.load(path: options.a, digestProgress: ProgressEvents.digest(options.a, progress))
        progress?(ProgressEvent(phase: .load(path: options.b)))
        let b = try ModelLoader.load(path: options.b, digestProgress: ProgressEvents.digest(options.b, progress))
        for (path, model) in [(options.a, a.model), (options.b, b.model)] {
            let issues = Validator.validate(model)
            guard issues.isEmpty else { throw ConversionError.invalidModel(path: path, issues: issues) }
        }
        try checkSignatures(a: a.model.graph, b: b.model.graph, pathA: options.a, pathB: options.b)
        let made = try EquivalenceInputs.samples(for: a.model, frozen: b.model.graph, inputsDirectory: options.inputsDirectory,
                                                                inputShapes: options.inputShapes, count: ConversionOptions.sampleCandidates(options.samples),
                                                                seed: options.seed)
        let (samples, defaults) = (made.samples, made.defaults)
        var report: EquivalenceReport
        do {
            report = try EquivalenceChecker.checkRecognizingRegularizers(original: a.model, frozen: b.model, samples: samples, defaults: defaults,
                                                  options: .init(rtol: options.rtol, atol: options.atol, threads: options.threads, names: .comparison,
                                                                 sampleRule: ConversionOptions.sampleRule(samples: options.samples, inputsDirectory: options.inputsDirectory)),
                                                  progress: ProgressEvents.verification(progress))
        } catch {
            throw ComparisonError.cannotEvaluate(error, sizes: made.sizes)
        }
        report.randomIntegerRanges = made.recordedIntegerRanges
        return Outcome(a: .init(path: options.a, sha256: a.source.sha256), b: .init(path: options.b, sha256: b.source.sha256), report: report,
                       warnings: trainingWarnings(b.model))
    }

    /// B is evaluated as written: a training construct left in it (a BatchNormalization in training mode
    /// computes batch statistics) makes it differ from A for that reason alone, which the reader is told.
    static func trainingWarnings(_ b: Model) -> [String] {
        let left = TrainingAudit.violations(in: b)
        guard !left.isEmpty else { return [] }
        let named = left.prefix(5).map { "\($0.opType ?? "value") '\($0.node ?? $0.value ?? "?")' (\($0.detail))" }
        return ["B still holds \(left.count) training construct\(left.count == 1 ? "" : "s"), computed as written: " + named.joined(separator: "; ")
                + (left.count > 5 ? "; …" : "") + ". Compare its inference form, or freeze it first (freezer convert)."]
    }

    /// B must read only inputs A has and give outputs A can compute, each with the same element type.
    static func checkSignatures(a: Graph, b: Graph, pathA: String, pathB: String) throws {
        for id in b.runtimeInputs {
            let name = b.value(id).name
            guard let other = a.value(named: name), a.inputs.contains(other) else {
                throw ComparisonError.signatureMismatch("'\(pathB)' reads input '\(name)', which '\(pathA)' does not have (its inputs: \(a.runtimeInputs.map { a.value($0).name }.joined(separator: ", ")))")
            }
            if let ta = a.value(other).type?.tensor, let tb = b.value(id).type?.tensor, !compatible(ta, tb) {
                throw ComparisonError.signatureMismatch("input '\(name)' is \(ta) in '\(pathA)' but \(tb) in '\(pathB)'")
            }
        }
        for id in b.outputs {
            let name = b.value(id).name
            guard a.value(named: name) != nil else {
                throw ComparisonError.signatureMismatch("'\(pathB)' has output '\(name)', which '\(pathA)' does not compute (its outputs: \(a.outputs.map { a.value($0).name }.joined(separator: ", ")))")
            }
        }
    }
}

extension Comparison {
    /// Same element type, and where both declare a shape, the same rank and the same fixed dimensions.
    static func compatible(_ a: TensorType, _ b: TensorType) -> Bool {
        guard a.elementType == b.elementType else { return false }
        guard let sa = a.shape, let sb = b.shape else { return true }
        guard sa.count == sb.count else { return false }
        return zip(sa, sb).allSatisfy { x, y in
            if case .value(let u) = x, case .value(let v) = y { return u == v }
            return true
        }
    }
}

/// Why `freezer compare` could not compare (a verdict of "not equivalent" is not an error of this kind).
public enum ComparisonError: Error, CustomStringConvertible {
    case signatureMismatch(String)
    /// The evaluation failed; `sizes` are the sizes chosen for symbolic dimensions, which may be why.
    case cannotEvaluate(EvaluationError, sizes: [String] = [])

    public var description: String {
        switch self {
        case .signatureMismatch(let why): "the two models do not have the same inputs and outputs: \(why)"
        case .cannotEvaluate(let error, let sizes): "the models cannot be evaluated: \(error)" + EquivalenceInputs.sizesNote(sizes)
        }
    }
}
