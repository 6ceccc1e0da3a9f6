import Foundation
import FreezerTestSupport
import Testing
@testable import FreezerLog

/// Recorded options with every optional field set and every value away from convert's defaults.
func sampleRecordedOptions() -> RecordedOptions {
    RecordedOptions(input: "models/m.onnx", output: "out/frozen.onnx", log: "out/m.log.json", modelID: "M", modelVersion: "1",
                    responsible: "Jane Doe", outputs: ["y", "z"], inputShapes: ["x": [2, 3], "batch": [4]], inputsDirectory: "inputs",
                    samples: 3, seed: UInt64.max, rtol: 1e-3, atol: 2.5e-7, externalData: "always", expectSHA256: String(repeating: "a", count: 64),
                    verify: false, keepFailed: true, threads: 4, recordHost: true, checkpoint: "models/checkpoint")
}

@Suite("Recorded options in the log")
struct RecordedOptionsTests {
    func log(with options: RecordedOptions?) -> ConversionLog {
        var log = sampleLog()
        log.modelConversion.loadingAndConverting.converter.recordedOptions = options
        return log
    }

    @Test func roundTripThroughTheLogExactly() throws {
        let written = log(with: sampleRecordedOptions())
        let read = try ConversionLog.decode(written.encoded())
        #expect(read.modelConversion.loadingAndConverting.converter.recordedOptions == sampleRecordedOptions())
        #expect(read == written)
        // Written again byte for byte: the largest seed and the tolerances keep every digit.
        #expect(try read.encoded() == written.encoded())
    }

    @Test func optionsNotGivenAreAbsent() throws {
        var options = sampleRecordedOptions()
        (options.log, options.inputsDirectory, options.rtol, options.atol, options.expectSHA256, options.checkpoint) = (nil, nil, nil, nil, nil, nil)
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(options)) as? [String: Any])
        #expect(Set(object.keys) == ["input", "output", "modelID", "modelVersion", "responsible", "outputs", "inputShapes", "samples", "seed",
                                     "externalData", "verify", "keepFailed", "threads", "recordHost"])
    }

    /// A log written before `recordedOptions` existed still decodes, and its canonical form, which its
    /// digest and signatures cover, does not gain the field.
    @Test func logsWrittenWithoutRecordedOptionsStillDecode() throws {
        let old = try #require(try JSONEdit.removing(["modelConversion", "loadingAndConverting", "converter", "recordedOptions"],
                                                     from: log(with: sampleRecordedOptions()).encoded()))
        let read = try ConversionLog.decode(old)
        #expect(read == log(with: nil))
        #expect(!String(decoding: try read.canonicalForm(), as: UTF8.self).contains("recordedOptions"))
    }
}
