import Foundation
import FreezerTestSupport
import Testing
@testable import FreezerConvert
@testable import FreezerLog
@testable import FreezerONNX

@Suite("Conversion options as typed values")
struct ConversionOptionsTests {
    /// Every option away from its default (so the equivalence check is skipped).
    func nonDefaultOptions(_ dir: String) throws -> ConversionOptions {
        let model = Fixtures.model("torch_cnn_train")
        return ConversionOptions(input: model, output: dir + "/frozen.onnx", log: dir + "/the-log.json", modelID: "CNN", modelVersion: "3",
                                 responsible: "Jane Doe", outputs: ["logits"], inputShapes: ["input": [2, 3, 16, 16]],
                                 inputsDirectory: Fixtures.path("torch_cnn_train"), samples: 2, seed: 42, rtol: 1e-3, atol: 1e-4,
                                 externalData: .always, expectSHA256: try FileDigest.sha256(ofFile: model).sha256, verify: false,
                                 keepFailed: true, threads: 2, recordHost: true)
    }

    func readable(_ log: ConversionLog) -> [String] {
        log.modelConversion.loadingAndConverting.converter.options.dropFirst(4).map { "\($0.name) \($0.value)\($0.isDefault ? " [default]" : "")" }
    }

    @Test func roundTripThroughTheLog() throws {
        let dir = Fixtures.temporaryDirectory()
        let options = try nonDefaultOptions(dir)
        let outcome = try Conversion.run(options, commandLine: [])
        let log = try ConversionLog.decode(Data(contentsOf: URL(fileURLWithPath: outcome.logPath)))
        let recorded = try #require(log.modelConversion.loadingAndConverting.converter.recordedOptions)
        #expect(try ConversionOptions(recorded: recorded) == options)
        #expect(readable(log) == [
            "--model-id CNN", "--model-version 3", "--responsible Jane Doe", "--output logits", "--input-shape input=2x3x16x16",
            "--inputs \(Fixtures.path("torch_cnn_train"))", "--samples 2", "--seed 42", "--rtol 0.001", "--atol 0.0001",
            "--external-data always", "--expect-sha256 \(options.expectSHA256!)", "--verify no (--no-verify)", "--keep-failed yes", "--threads 2",
            "--record-host yes",
        ])
    }

    @Test func defaultsAreRecordedAsDefaults() throws {
        let dir = Fixtures.temporaryDirectory()
        let options = ConversionOptions(input: Fixtures.model("torch_cnn_train"), output: dir + "/frozen.onnx", modelID: "CNN", modelVersion: "3",
                                        responsible: "Jane Doe", verify: false)
        let log = try Conversion.run(options, commandLine: []).log
        #expect(log.modelConversion.loadingAndConverting.converter.recordedOptions == options.recorded)
        let checkpoint = log.modelConversion.loadingAndConverting.converter.options[1]
        #expect(checkpoint.name == "--checkpoint" && checkpoint.value == "(not given)" && checkpoint.isDefault)
        #expect(readable(log) == [
            "--model-id CNN", "--model-version 3", "--responsible Jane Doe", "--output (automatic: inference outputs) [default]",
            "--input-shape (declared shapes; symbolic dims: batch 1, others 16) [default]", "--inputs (none: random inputs) [default]", "--samples (automatic: up to 8, as few as give every output 16384 values) [default]",
            "--seed 0 [default]", "--rtol not given: the default criterion (as exact as the original) decides [default]",
            "--atol not given: the default criterion (as exact as the original) decides [default]", "--external-data auto [default]",
            "--expect-sha256 (not given) [default]", "--verify no (--no-verify)", "--keep-failed no [default]", "--threads 1 [default]",
            "--record-host no [default]",
        ])
    }

    @Test func codableInTheShapeOfTheLogsRecordedOptions() throws {
        let options = try nonDefaultOptions("/work")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        #expect(try encoder.encode(options) == encoder.encode(options.recorded))
        #expect(try JSONDecoder().decode(ConversionOptions.self, from: encoder.encode(options)) == options)
        var unknownStorage = options.recorded
        unknownStorage.externalData = "sometimes"
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(ConversionOptions.self, from: encoder.encode(unknownStorage)) }
    }
}
