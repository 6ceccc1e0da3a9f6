import FreezerLog
import FreezerONNX

/// The options as the log records them (`RecordedOptions`, which FreezerLog defines because it depends
/// on nothing), and back.
extension ConversionOptions {
    public var recorded: RecordedOptions {
        RecordedOptions(input: input, output: output, log: log, modelID: modelID, modelVersion: modelVersion, responsible: responsible,
                        outputs: outputs, inputShapes: inputShapes, inputsDirectory: inputsDirectory, samples: samples, seed: seed,
                        rtol: rtol, atol: atol, externalData: externalData.rawValue, expectSHA256: expectSHA256, verify: verify,
                        keepFailed: keepFailed, threads: threads, recordHost: recordHost, checkpoint: checkpoint)
    }

    /// The options a log records; refuses an `externalData` that names no storage mode.
    public init(recorded r: RecordedOptions) throws(ConversionError) {
        guard let storage = ModelSaver.Options.ExternalData(rawValue: r.externalData) else {
            throw .badOption("the recorded externalData '\(r.externalData)' is none of auto, always, never")
        }
        self.init(input: r.input, output: r.output, log: r.log, modelID: r.modelID, modelVersion: r.modelVersion, responsible: r.responsible,
                  outputs: r.outputs, inputShapes: r.inputShapes, inputsDirectory: r.inputsDirectory, samples: r.samples, seed: r.seed,
                  rtol: r.rtol, atol: r.atol, externalData: storage, expectSHA256: r.expectSHA256, verify: r.verify,
                  keepFailed: r.keepFailed, threads: r.threads, recordHost: r.recordHost, checkpoint: r.checkpoint)
    }
}

/// The JSON shape is `RecordedOptions`'s, so options written by a caller and options in a log are one format.
extension ConversionOptions: Codable {
    public init(from decoder: any Decoder) throws {
        let recorded = try RecordedOptions(from: decoder)
        do { try self.init(recorded: recorded) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        try recorded.encode(to: encoder)
    }
}
