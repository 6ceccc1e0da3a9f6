import FreezerConvert
import FreezerFeeds
import FreezerIR
import FreezerPasses
import FreezerONNX
import Testing
@testable import freezer

/// Exit codes follow from typed error cases, never from message text.
@Suite("Exit status by error case")
struct ExitStatusTests {
    static let externalDataCodes: [(ExternalDataProblem, Int32)] = [
        (.missingFile(path: "/m/w.bin"), 66), (.isDirectory(path: "/m/w.bin"), 66), (.notRegularFile(path: "/m/w.bin"), 66),
        (.unreadable(path: "/m/w.bin", reason: "Permission denied"), 66),
        (.missingLocation, 65), (.badOffset("-1"), 65), (.badLength("x"), 65), (.absoluteLocation, 65), (.climbsOut, 65),
        (.nulByte, 65), (.outsideModelDirectory(resolved: "/etc/hosts"), 65), (.offsetPastEnd(offset: 9, fileSize: 8), 65),
        (.rangePastEnd(offset: 0, length: 9, fileSize: 8), 65),
    ]

    @Test(arguments: externalDataCodes)
    func externalDataProblems(problem: ExternalDataProblem, code: Int32) {
        let error = ModelLoadError.externalData(path: "/m/model.onnx", tensor: "W", location: "w.bin", problem: problem)
        #expect(ExitStatus.code(for: error) == code, "\(error)")
    }

    @Test func externalDataMessagesKeepTheirText() {
        let error = ModelLoadError.externalData(path: "m.onnx", tensor: "W", location: "w.bin", problem: .unreadable(path: "/d/w.bin", reason: "Permission denied"))
        #expect(error.description == "tensor 'W' of model 'm.onnx' stores its data externally at location 'w.bin', but /d/w.bin cannot be read: Permission denied. Put the data file where the model says, next to the model as the exporter wrote them.")
        // Each problem gets the advice that fits it: a cut-off file is not a file in the wrong place.
        let cut = ModelLoadError.externalData(path: "m.onnx", tensor: "W", location: "w.bin", problem: .rangePastEnd(offset: 0, length: 9, fileSize: 8))
        #expect(cut.description.hasSuffix("The data file is shorter than the model says: it was cut off in a copy, or belongs to another export of the model. Copy it again, or export again."))
        let outside = ModelLoadError.externalData(path: "m.onnx", tensor: "W", location: "../w.bin", problem: .climbsOut)
        #expect(outside.description.hasSuffix("External data files must lie in the model's directory (or below it), next to the model as the exporter wrote them."))
    }

    static let feedCodes: [(FeedError, Int32)] = [
        (.file(.notFound(path: "x.npy")), 66), (.file(.malformed(path: "x.pb", problem: "?")), 65),
        (.notADirectory("d"), 66), (.noData(directory: "d", expectedFiles: []), 66),
        (.unknownName(file: "f", tensor: "t", role: .input, names: []), 65),
        (.parameter(file: "f", name: "w", inputs: []), 65),
        (.missingInputs(directory: "d", missing: [.init(name: "x", type: "float32[2]", files: [])]), 65),
        (.inputMismatch(name: "x", file: "f", expected: "float32[2]", actual: "float64[2]"), 65),
    ]

    @Test(arguments: feedCodes)
    func feedErrors(error: FeedError, code: Int32) {
        #expect(ExitStatus.code(for: error) == code, "\(error)")
    }

    @Test func aFullDiskUnderTheFoldedWeightsIsAWriteFailureNotARefusal() {
        let full = ConversionError(passFailure: PassError(pass: "FoldBatchNorm", "folding 'bn' failed",
                                                          storageFailure: .write(reason: "No space left on device")),
                                   outputDirectory: "/out")
        #expect(ExitStatus.code(for: full) == 73)
        #expect(full.description.contains("'/out'") && full.description.contains("No space left on device"))
        let refused = ConversionError(passFailure: PassError(pass: "FoldBatchNorm", "the scale is shared"), outputDirectory: "/out")
        #expect(ExitStatus.code(for: refused) == 3)
    }
}
