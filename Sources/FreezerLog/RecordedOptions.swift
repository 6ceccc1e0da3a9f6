/// The options of a conversion as typed values: what `freezer convert` was given, or left at its default.
///
/// The readable `ConverterInfo.options` list says the same for people; this is the form programs read
/// (`verify --reverify` repeats the equivalence check from it). Keys are the property names; an
/// optional property is absent when the option was not given, and then its documented default applied.
/// Its JSON shape is documented in docs/conversion-log.md ("Recorded options") and the schema's
/// `RecordedOptions`, and it is also the JSON shape of FreezerConvert's `ConversionOptions`.
public struct RecordedOptions: Codable, Sendable, Equatable {
    /// The verified learning model's path as given (relative paths are relative to the working directory).
    public var input: String
    /// `-o`: the frozen model's path as given.
    public var output: String
    /// `--log` as given; absent: beside the frozen model as `FROZEN.conversion-log.json`.
    public var log: String?
    public var modelID: String
    public var modelVersion: String
    public var responsible: String
    /// `--output`, in the order given; empty: every output that is not training-only.
    public var outputs: [String]
    /// `--input-shape`: dimensions by input name or dimension symbol; empty: declared shapes, symbols = 1.
    public var inputShapes: [String: [Int]]
    /// `--inputs` as given; absent: seeded random inputs.
    public var inputsDirectory: String?
    /// `--samples`; absent: up to 8, as few as give every output 16,384 values (the log's equivalence
    /// lists the samples evaluated).
    public var samples: Int?
    public var seed: UInt64
    /// `--rtol`; absent when not declared (with `atol` also absent, the default criterion decides).
    public var rtol: Double?
    /// `--atol`; absent when not declared (with `rtol` also absent, the default criterion decides).
    public var atol: Double?
    /// `auto`, `always` or `never`.
    public var externalData: String
    /// `--expect-sha256` as given; absent: not given.
    public var expectSHA256: String?
    /// False with `--no-verify`.
    public var verify: Bool
    public var keepFailed: Bool
    public var threads: Int
    public var recordHost: Bool
    /// `--checkpoint` as given; absent: not given (parameters come from the model file).
    public var checkpoint: String?

    public init(input: String, output: String, log: String?, modelID: String, modelVersion: String, responsible: String,
                outputs: [String], inputShapes: [String: [Int]], inputsDirectory: String?, samples: Int?, seed: UInt64,
                rtol: Double?, atol: Double?, externalData: String, expectSHA256: String?, verify: Bool, keepFailed: Bool,
                threads: Int, recordHost: Bool, checkpoint: String? = nil) {
        self.checkpoint = checkpoint
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
}
