import FreezerONNX

/// Everything that decides a conversion, as given on the command line (or by a caller).
public struct ConversionOptions: Sendable {
    public var input: String
    public var output: String
    public var log: String?
    public var modelID: String
    public var modelVersion: String
    public var responsible: String
    public var outputs: [String]
    public var inputShapes: [String: [Int]]
    public var inputsDirectory: String?
    public var samples: Int
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
                outputs: [String] = [], inputShapes: [String: [Int]] = [:], inputsDirectory: String? = nil, samples: Int = 8,
                seed: UInt64 = 0, rtol: Double? = nil, atol: Double? = nil, externalData: ModelSaver.Options.ExternalData = .auto,
                expectSHA256: String? = nil, verify: Bool = true, keepFailed: Bool = false, threads: Int = 1, recordHost: Bool = false) {
        self.input = input
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

    /// `--log` default: `<frozen model without .onnx>.conversion-log.json`, beside the frozen model.
    public var logPath: String {
        if let log { return log }
        let base = output.hasSuffix(".onnx") ? String(output.dropLast(5)) : output
        return base + ".conversion-log.json"
    }
}
