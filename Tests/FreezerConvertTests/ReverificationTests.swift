import Foundation
import FreezerIR
import FreezerTestSupport
import Testing
@testable import FreezerConvert
@testable import FreezerLog
@testable import FreezerONNX

@Suite("verify --reverify reads the recorded options")
struct ReverificationTests {
    /// The two ways convert builds its inputs, each with options away from the defaults.
    enum Inputs: String, CaseIterable, Sendable {
        /// Seeded random inputs shaped by `--input-shape batch=3` on a model whose batch is symbolic.
        case random
        /// The fixture's ONNX test data.
        case directory
    }

    /// torch_mlp_train_opset12 with its batch dimension renamed to the symbol `batch`, so that an
    /// `--input-shape` changes what the check runs on.
    func symbolicBatchModel(in dir: String) throws -> String {
        var model = try ModelLoader.load(path: Fixtures.model("torch_mlp_train_opset12")).model
        for id in model.graph.runtimeInputs + model.graph.outputs {
            guard var tensor = model.graph.value(id).type?.tensor, tensor.shape?.isEmpty == false else { continue }
            tensor.shape![0] = .symbol("batch")
            model.graph.setType(id, ValueType(tensor: tensor))
        }
        let path = dir + "/symbolic.onnx"
        _ = try ModelSaver.save(model, to: path)
        return path
    }

    func converted(_ inputs: Inputs) throws -> (options: ConversionOptions, outcome: Conversion.Outcome) {
        let dir = Fixtures.temporaryDirectory()
        var options: ConversionOptions
        switch inputs {
        case .random:
            options = ConversionOptions(input: try symbolicBatchModel(in: dir), output: dir + "/frozen.onnx", modelID: "MLP", modelVersion: "1",
                                        responsible: "Jane Doe", inputShapes: ["batch": [3]], samples: 3, seed: 42)
        case .directory:
            options = ConversionOptions(input: Fixtures.model("torch_cnn_train"), output: dir + "/frozen.onnx", modelID: "CNN", modelVersion: "1",
                                        responsible: "Jane Doe", inputsDirectory: Fixtures.path("torch_cnn_train"))
        }
        options.rtol = 1e-3
        options.atol = 2e-4
        return (options, try Conversion.run(options, commandLine: []))
    }

    func read(_ path: String, dropping recordedOptions: Bool = false) throws -> ConversionLog {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard recordedOptions else { return try ConversionLog.decode(data) }
        return try ConversionLog.decode(#require(try JSONEdit.removing(["modelConversion", "loadingAndConverting", "converter", "recordedOptions"], from: data)))
    }

    /// The options a re-run must use: the conversion's, with this run's paths and threads.
    func expected(_ options: ConversionOptions, outcome: Conversion.Outcome) -> ConversionOptions {
        var expected = options
        expected.output = outcome.saved.path
        return expected
    }

    /// A log records the shapes its random samples had: the re-run makes the same samples from them; a
    /// log written before they were recorded gave every symbolic dimension the size 1, and so does its re-run.
    /// torch_cnn_train with symbolic batch, height and width.
    func symbolicImageModel(in dir: String) throws -> (path: String, model: Model, input: ValueID, tensor: TensorType) {
        var model = try ModelLoader.load(path: Fixtures.model("torch_cnn_train")).model
        let input = model.graph.runtimeInputs[0]
        var tensor = try #require(model.graph.value(input).type?.tensor)
        #expect(tensor.shape?.count == 4)
        tensor.shape = [.symbol("batch"), tensor.shape![1], .symbol("height"), .symbol("width")]
        model.graph.setType(input, ValueType(tensor: tensor))
        let path = dir + "/symbolic.onnx"
        _ = try ModelSaver.save(model, to: path)
        return (path, model, input, tensor)
    }

    /// An evaluation that fails on sizes freezer chose says so, and how to give the model's own.
    @Test func aFailureOnChosenSizesNamesThem() throws {
        let dir = Fixtures.temporaryDirectory()
        let path = try symbolicImageModel(in: dir).path
        // A width the model's flattening layer does not take; the height is chosen.
        let options = ConversionOptions(input: path, output: dir + "/frozen.onnx", modelID: "CNN", modelVersion: "1", responsible: "Jane Doe",
                                        inputShapes: ["width": [3]], samples: 1)
        #expect { try Conversion.run(options, commandLine: []) } throws: { error in
            guard case ConversionError.evaluation(let message) = error else { return false }
            return message.contains("inner dimensions differ") && message.contains("'height' = 16") && message.contains("--input-shape NAME=N")
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/frozen.onnx"))
    }

    @Test func repeatsTheCheckOnTheRecordedShapesOfSymbolicDimensions() throws {
        let dir = Fixtures.temporaryDirectory()
        let (path, model, input, tensor) = try symbolicImageModel(in: dir)
        let options = ConversionOptions(input: path, output: dir + "/frozen.onnx", modelID: "CNN", modelVersion: "1", responsible: "Jane Doe", samples: 2)
        let outcome = try Conversion.run(options, commandLine: [])
        let channels = try #require(tensor.shape?[1]).description
        #expect(outcome.log.equivalence.inputShapes == [model.graph.value(input).name: [1, Int(channels)!, 16, 16]])
        #expect(outcome.log.equivalence.defaults.contains("\(model.graph.value(input).name) dim 2 'height' = 16"))
        let log = try read(outcome.logPath)
        #expect(try Reverification.run(log: log, original: path, frozen: outcome.saved.path) == outcome.equivalence)

        let data = try Data(contentsOf: URL(fileURLWithPath: outcome.logPath))
        let older = try ConversionLog.decode(#require(try JSONEdit.removing(["equivalence", "inputShapes"], from: data)))
        #expect(older.equivalence.inputShapes == nil)
        let olderOptions = try Reverification.recordedOptions(older, original: path, frozen: outcome.saved.path, threads: 1)
        let frozen = try ModelLoader.load(path: outcome.saved.path).model
        let made = try Reverification.inputs(older, options: olderOptions, original: model, frozen: frozen); let (samples, defaults) = (made.samples, made.defaults)
        #expect(samples.count == 2 && samples.allSatisfy { $0.feeds.values.map { $0.shape } == [[1, Int(channels)!, 1, 1]] })
        #expect(defaults.contains("\(model.graph.value(input).name) dim 2 'height' = 1"))
    }

    @Test(arguments: Inputs.allCases)
    func repeatsTheCheckWithExactlyTheRecordedOptions(_ inputs: Inputs) throws {
        let (options, outcome) = try converted(inputs)
        var log = try read(outcome.logPath)
        #expect(log.modelConversion.loadingAndConverting.converter.recordedOptions != nil)
        // Without the readable list, only the typed record can supply the options.
        log.modelConversion.loadingAndConverting.converter.options = []
        #expect(try Reverification.recordedOptions(log, original: options.input, frozen: outcome.saved.path, threads: 1)
                == expected(options, outcome: outcome))
        let report = try Reverification.run(log: log, original: options.input, frozen: outcome.saved.path)
        #expect(report == outcome.equivalence)
        #expect(report.criterion.rtol == 1e-3 && report.criterion.atol == 2e-4)
        #expect(report.outputs.allSatisfy { $0.rtol == 1e-3 && $0.atol == 2e-4 })
        if inputs == .random {
            #expect(report.samples.map(\.source) == (1...3).map { "random, seed 42, sample \($0)" })
            #expect(report.samples.allSatisfy { $0.inputs.map(\.shape) == [[3, 10]] })
        }
    }

    /// Without --samples, the check stops at the first samples that give every output enough values: one
    /// for a batch of 8000 rows, all 8 for a batch of 3. The log lists them and says why, and --reverify
    /// checks the same ones.
    @Test(arguments: [(8000, 1), (3, 8)])
    func theDefaultSampleCountIsRecordedAndRepeated(batch: Int, expected: Int) throws {
        let dir = Fixtures.temporaryDirectory()
        let options = ConversionOptions(input: try symbolicBatchModel(in: dir), output: dir + "/frozen.onnx", modelID: "MLP", modelVersion: "1",
                                        responsible: "Jane Doe", inputShapes: ["batch": [batch]])
        let outcome = try Conversion.run(options, commandLine: [])
        #expect(outcome.log.equivalence.samples.map(\.source) == (1...expected).map { "random, seed 0, sample \($0)" })
        #expect(outcome.log.equivalence.defaults.contains { $0.hasPrefix("samples: \(expected)") })
        let log = try read(outcome.logPath)
        #expect(log.modelConversion.loadingAndConverting.converter.recordedOptions?.samples == nil)
        #expect(try Reverification.run(log: log, original: options.input, frozen: outcome.saved.path) == outcome.equivalence)
    }

    /// A log written before typed options were recorded: `--reverify` reads the readable text instead.
    @Test(arguments: Inputs.allCases)
    func legacyLogsAreReadFromTheirText(_ inputs: Inputs) throws {
        let (options, outcome) = try converted(inputs)
        let log = try read(outcome.logPath, dropping: true)
        #expect(log.modelConversion.loadingAndConverting.converter.recordedOptions == nil)
        // The conversions leave the options the text does not carry at their defaults, so all of them agree.
        #expect(try Reverification.recordedOptions(log, original: options.input, frozen: outcome.saved.path, threads: 1)
                == expected(options, outcome: outcome))
        #expect(try Reverification.run(log: log, original: options.input, frozen: outcome.saved.path) == outcome.equivalence)
    }

    @Test func aRelativeInputsDirectoryIsFoundFromTheRecordedWorkingDirectory() throws {
        let (options, outcome) = try converted(.directory)
        var log = try read(outcome.logPath)
        log.modelConversion.loadingAndConverting.converter.workingDirectory = Fixtures.directory.path
        log.modelConversion.loadingAndConverting.converter.recordedOptions?.inputsDirectory = "torch_cnn_train"
        let typed = try Reverification.recordedOptions(log, original: options.input, frozen: outcome.saved.path, threads: 1)
        #expect(typed.inputsDirectory == Fixtures.path("torch_cnn_train"))
        log.modelConversion.loadingAndConverting.converter.recordedOptions = nil
        log.modelConversion.loadingAndConverting.converter.options = [OptionValue(name: "--inputs", value: "torch_cnn_train", isDefault: false)]
        let legacy = try Reverification.recordedOptions(log, original: options.input, frozen: outcome.saved.path, threads: 1)
        #expect(legacy.inputsDirectory == Fixtures.path("torch_cnn_train"))
    }

    @Test func optionsThatCannotRepeatTheCheckAreRefused() throws {
        let (options, outcome) = try converted(.directory)
        var log = try read(outcome.logPath)
        log.modelConversion.loadingAndConverting.converter.recordedOptions?.samples = 0
        let noSamples = #expect(throws: ConversionError.self) {
            try Reverification.recordedOptions(log, original: options.input, frozen: outcome.saved.path, threads: 1)
        }
        #expect(noSamples?.description.contains("--samples must be at least 1") == true)
        log.modelConversion.loadingAndConverting.converter.recordedOptions = nil
        log.modelConversion.loadingAndConverting.converter.options = [OptionValue(name: "--input-shape", value: "input=1xx3", isDefault: false)]
        let unreadable = #expect(throws: ConversionError.self) {
            try Reverification.recordedOptions(log, original: options.input, frozen: outcome.saved.path, threads: 1)
        }
        #expect(unreadable?.description.contains("records --input-shape as 'input=1xx3', which --reverify cannot read back") == true)
    }
}
