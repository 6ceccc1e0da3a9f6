import FreezerONNX
import FreezerVerify

/// Everything that decides a conversion, as given on the command line (or by a caller).
///
/// Codable in the JSON shape of the log's `RecordedOptions` (see ConversionOptions+Recorded.swift).
public struct ConversionOptions: Sendable, Equatable {
    // The defaults, defined here only: the initializer, the CLI's option declarations and the log's
    // `isDefault` all read them.
    /// The most random samples the check evaluates when `--samples` is not given; it evaluates fewer
    /// where they already give every output `SampleRule.valuesPerOutput` values.
    public static let defaultSamples = SampleRule.defaultSamples
    public static let defaultSeed: UInt64 = 0
    public static let defaultExternalData = ModelSaver.Options.ExternalData.auto
    public static let defaultVerify = true
    public static let defaultKeepFailed = false
    public static let defaultThreads = 1
    public static let defaultRecordHost = false

    public var input: String
    /// `--checkpoint`: an onnxruntime-training checkpoint holding the values of parameters the model
    /// declares as inputs without values.
    public var checkpoint: String?
    public var output: String
    public var log: String?
    public var modelID: String
    public var modelVersion: String
    public var responsible: String
    public var outputs: [String]
    public var inputShapes: [String: [Int]]
    public var inputsDirectory: String?
    /// `--samples`; nil: up to `defaultSamples`, as `SampleRule.automatic` decides.
    public var samples: Int?
    public var seed: UInt64
    public var rtol: Double?
    public var atol: Double?
    public var externalData: ModelSaver.Options.ExternalData
    public var expectSHA256: String?
    public var verify: Bool
    public var keepFailed: Bool
    public var threads: Int
    public var recordHost: Bool

    public init(input: String, output: String, log: String? = nil, modelID: String, modelVersion: String, responsible: String,
                outputs: [String] = [], inputShapes: [String: [Int]] = [:], inputsDirectory: String? = nil,
                samples: Int? = nil, seed: UInt64 = defaultSeed, rtol: Double? = nil, atol: Double? = nil,
                externalData: ModelSaver.Options.ExternalData = defaultExternalData, expectSHA256: String? = nil,
                verify: Bool = defaultVerify, keepFailed: Bool = defaultKeepFailed, threads: Int = defaultThreads,
                recordHost: Bool = defaultRecordHost, checkpoint: String? = nil) {
        self.input = input
        self.checkpoint = checkpoint
        self.output = output
        self.log = log
        self.modelID = modelID
        self.modelVersion = modelVersion
        self.responsible = responsible
        self.outputs = outputs
        self.inputShapes = inputShapes
        self.inputsDirectory = inputsDirectory
        self.samples = samples
        self.seed = seed
        self.rtol = rtol
        self.atol = atol
        self.externalData = externalData
        self.expectSHA256 = expectSHA256
        self.verify = verify
        self.keepFailed = keepFailed
        self.threads = threads
        self.recordHost = recordHost
    }

    /// Refuses settings under which the equivalence check would prove nothing: no samples, or a
    /// tolerance that is negative, not a number or infinite (JSON, and so the log, cannot hold the last two).
    public func checkVerificationSettings() throws(ConversionError) {
        try Self.checkEquivalenceSettings(samples: samples, rtol: rtol, atol: atol,
                                          samplesHint: "; use --no-verify to skip verification, which the log then states")
    }

    /// The settings of an equivalence check (`convert`, `compare`, `verify --reverify`): at least one
    /// sample, and declared tolerances that are finite and not negative.
    public static func checkEquivalenceSettings(samples: Int?, rtol: Double?, atol: Double?, samplesHint: String = "") throws(ConversionError) {
        if let samples, samples < 1 { throw .badOption("--samples must be at least 1 (got \(samples))" + samplesHint) }
        if let r = rtol, !(r.isFinite && r >= 0) { throw .badOption("--rtol must be a finite non-negative number (got \(r))") }
        if let a = atol, !(a.isFinite && a >= 0) { throw .badOption("--atol must be a finite non-negative number (got \(a))") }
    }

    /// The random samples made for the check: those asked for, or the most the default evaluates.
    public var sampleCandidates: Int { Self.sampleCandidates(samples) }

    static func sampleCandidates(_ samples: Int?) -> Int { samples ?? defaultSamples }

    /// How many of the samples the check evaluates: every one given (`--samples`, `--inputs`), or as few as
    /// the default rule needs.
    public var sampleRule: SampleRule { Self.sampleRule(samples: samples, inputsDirectory: inputsDirectory) }

    static func sampleRule(samples: Int?, inputsDirectory: String?) -> SampleRule {
        samples == nil && inputsDirectory == nil ? .automatic : .every
    }

    /// `--log` default: `<frozen model without .onnx>.conversion-log.json`, beside the frozen model.
    public var logPath: String {
        if let log { return log }
        let base = output.hasSuffix(".onnx") ? String(output.dropLast(5)) : output
        return base + ".conversion-log.json"
    }
}
