import ArgumentParser
import Foundation
import FreezerFeeds
import FreezerIR
import FreezerKernels
import FreezerONNX
import FreezerQualification

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a model with freezer's reference evaluator, on ONNX test data or on .npy/.pb inputs.",
        discussion: """
            With --test-data, runs the model on ONNX test data and compares every output with the \
            expected one: DIR is a test_data_set_N directory (input_K.pb, output_K.pb) or a directory \
            holding several of them, as in ONNX's backend tests and the model zoo. input_K.pb gives the \
            input its tensor is named after or, when the tensor has no name, the K-th input without an \
            initializer (the order onnxruntime feeds); output_K.pb likewise gives the expected value of the \
            output its tensor names, else of the K-th graph output. Refused: a tensor named after no input \
            or output, a value for a parameter (an input with an initializer), two files for one input, and \
            an input no file gives. `convert --inputs` binds files by the same rule. An output passes when \
            every element satisfies |actual - expected| <= atol + rtol * |expected| (NaN matches NaN; \
            integer, bool and string outputs must be equal), and shape and element type match. The \
            defaults are those of ONNX's backend test runner.

            With --input, runs the model on the given files (.npy, or a serialized TensorProto .pb) and \
            prints each output's type, shape and first values; --save-outputs DIR writes each output to \
            DIR/<output name>.npy (characters a file name cannot hold become '_'; element types NumPy \
            cannot hold, such as bfloat16 and strings, are written as <output name>.pb instead).

            Every input is checked against the model's declared element type and fixed dimensions before \
            anything runs. Evaluation is single-threaded (--threads N splits matrix products and \
            convolutions) and deterministic: the same inputs give bit-identical outputs.

            Examples:
              freezer run model.onnx --test-data model_dir/test_data_set_0
              freezer run model.onnx --test-data model_dir --rtol 1e-4 --atol 1e-6 --json
              freezer run model.onnx --input x=x.npy --input mask=mask.npy
              freezer run model.onnx --input x=x.npy --save-outputs out/
              freezer run model.onnx --input x=x.npy --repeat 50   # time the evaluation
              freezer run model.onnx --input x=x.npy --repeat 50 --profile   # and where the time goes

            Exit status: 0 when it ran (and, with --test-data, every output is within tolerance); 1 when \
            an output is outside tolerance; 5 when the evaluator cannot run the model (unsupported \
            operator or type, or a node fails on these inputs); 64 for an unknown or missing --input; 65 \
            for a malformed file, test data that does not fit the model, or an input of the wrong element \
            type or shape; 66 for a missing file or directory; 73 when an output cannot be written. See \
            `freezer --help`.
            """
    )

    @Argument(help: "The ONNX model file (.onnx).")
    var model: String

    @Option(name: .customLong("test-data"), help: ArgumentHelp("A test_data_set_N directory, or a directory holding several.", valueName: "dir"))
    var testData: String?

    @Option(name: .customLong("input"), help: ArgumentHelp("A model input as NAME=FILE (.npy or .pb); repeat for each input.", valueName: "name=file"))
    var inputs: [String] = []

    @Option(name: .customLong("save-outputs"), help: ArgumentHelp("With --input: write each output to DIR/<name>.npy. DIR must exist.", valueName: "dir"))
    var saveOutputs: String?

    @Option(help: "Relative tolerance for --test-data (default 1e-3, as ONNX's backend tests).")
    var rtol: Double?

    @Option(help: "Absolute tolerance for --test-data (default 1e-7, as ONNX's backend tests).")
    var atol: Double?

    @Flag(help: "Evaluate training forms as at inference: Dropout is the identity, BatchNormalization uses its running statistics.")
    var inferenceSemantics = false

    @Flag(help: "Print the result as JSON.")
    var json = false

    @Option(name: .customLong("repeat"), help: ArgumentHelp("Also time N runs of the evaluation (after warm-up runs: at least 3 and 0.25 s) and report median and minimum latency.", valueName: "n"))
    var repeatCount: Int?

    @Flag(help: "Also report the time per operator type (over the --repeat runs, or one run after warm-up).")
    var profile = false

    @Option(help: "Threads for matrix products and convolutions. Float products on AVX-512 give the same bits with any count; elsewhere (OpenBLAS) 1, the default, is bit-reproducible.")
    var threads: Int = 1

    /// The refusal rule of the checks below, as a requirement of `freezer qualify`'s specification.
    static let refusalRules = [
        CommandLineRule(id: "REF-USAGE-RUN", statement: "`run` with both --test-data and --input, --rtol or --atol without --test-data (there is no comparison for them to decide), --save-outputs with --test-data, a tolerance that is negative or not a number, or --repeat or --threads below 1 is refused with a message that names the option; exit 64; nothing is run or written.",
                        exitCode: 64, source: "freezer.RunCommand.refusalRules", example: ["run", "{dir}/model.onnx", "--input", "x={dir}/x.npy", "--rtol", "0.001"], mentions: "--rtol"),
    ]

    func validate() throws {
        if testData != nil && !inputs.isEmpty {
            throw ValidationError("give either --test-data DIR or --input NAME=FILE, not both.")
        }
        if testData != nil && saveOutputs != nil {
            throw ValidationError("--save-outputs works with --input; with --test-data the outputs are compared, not saved.")
        }
        if testData == nil && (rtol != nil || atol != nil) {
            throw ValidationError("--rtol and --atol apply to --test-data comparisons.")
        }
        for (name, v) in [("--rtol", rtol), ("--atol", atol)] {
            if let v, !(v.isFinite && v >= 0) { throw ValidationError("\(name) must be a non-negative number, not \(v).") }
        }
        if let repeatCount, repeatCount < 1 { throw ValidationError("--repeat must be at least 1.") }
        if threads < 1 { throw ValidationError("--threads must be at least 1.") }
    }

    func run() throws {
        try runReportingErrors {
            let loaded = try ModelLoader.load(path: model, options: .init(computeDigests: false))
            let issues = Validator.validate(loaded.model)
            guard issues.isEmpty else { throw InvalidModelError(path: model, issues: issues) }
            let interpreter = Interpreter(model: loaded.model, options: .init(inferenceSemantics: inferenceSemantics, threads: threads))
            var report = RunReport(model: model, mode: testData == nil ? "inputs" : "test-data", inferenceSemantics: inferenceSemantics)
            let feedsToTime: [String: NDArray]
            if let testData {
                feedsToTime = try runTestData(testData, interpreter, &report)
            } else {
                feedsToTime = try runInputs(interpreter, &report)
            }
            if repeatCount != nil || profile {
                let recorder = profile ? RunProfile() : nil
                let latency = try time(interpreter, feedsToTime, runs: repeatCount ?? 1, profile: recorder)
                if repeatCount != nil { report.latency = latency }
                if let recorder { report.profile = .init(recorder, totalMs: latency.meanMs * Double(recorder.runs)) }
            }
            if json {
                try JSONOutput.print(report)
            } else {
                print(report.text, terminator: "")
            }
            if report.passed == false { throw ExitCode(ExitStatus.outsideTolerance) }
        }
    }

    // MARK: - Test data

    /// Runs every data set; returns the feeds of the first, for timing.
    private func runTestData(_ dir: String, _ interpreter: Interpreter, _ report: inout RunReport) throws -> [String: NDArray] {
        let tolerance = Tolerance(rtol: rtol ?? Tolerance.onnxBackend.rtol, atol: atol ?? Tolerance.onnxBackend.atol)
        report.tolerance = .init(rtol: tolerance.rtol, atol: tolerance.atol)
        let samples = try FeedDirectory.samples(in: dir, for: interpreter.model.graph, expectedOutputs: true)
        var results: [RunReport.DataSetResult] = []
        for sample in samples {
            guard !sample.outputs.isEmpty else { throw RunError.noExpectedOutputs(directory: sample.directory) }
            let outputNames = sample.outputs.map(\.name)
            let actual = try evaluate(interpreter, sample.feeds, outputs: outputNames)
            var compared: [RunReport.ComparedOutput] = []
            for expected in sample.outputs {
                guard let got = actual[expected.name] else { throw RunError.evaluation(.unknownOutput(name: expected.name, available: outputNames)) }
                let c = OutputComparison.compare(got, expected.array, tolerance: tolerance)
                compared.append(.init(name: expected.name, type: RunInputs.describe(got), expectedType: RunInputs.describe(expected.array),
                                      passed: c.passed, problem: c.structuralProblem, maxAbsError: c.maxAbsError,
                                      maxRelError: c.maxRelError, mismatches: c.mismatches, count: c.count,
                                      worstIndex: c.worstIndex, worstActual: c.worstActual, worstExpected: c.worstExpected,
                                      summary: c.summary))
            }
            results.append(.init(directory: sample.directory, passed: compared.allSatisfy(\.passed),
                                 inputs: sample.inputs.map { .init(name: $0.name, file: $0.path) }, outputs: compared))
        }
        report.dataSets = results
        report.passed = results.allSatisfy(\.passed)
        return samples.first?.feeds ?? [:]
    }

    // MARK: - Inputs

    private func runInputs(_ interpreter: Interpreter, _ report: inout RunReport) throws -> [String: NDArray] {
        let graph = interpreter.model.graph
        let inputNames = graph.inputs.map { graph.value($0).name }
        var feeds: [String: NDArray] = [:]
        for argument in inputs {
            let (name, file) = try RunInputs.parseAssignment(argument, inputNames: Set(inputNames))
            guard let id = graph.inputs.first(where: { graph.value($0).name == name }) else {
                throw RunError.unknownInput(name: name, argument: argument, modelInputs: inputNames)
            }
            guard feeds[name] == nil else { throw RunError.duplicateInput(name: name) }
            feeds[name] = try FeedFile.value(at: file, for: graph.value(id))
        }
        try checkAllGiven(feeds, graph)
        var saveDir: String?
        if let dir = saveOutputs {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
                throw RunError.saveDirectoryMissing(dir)
            }
            saveDir = dir
        }
        let outputNames = graph.outputs.map { graph.value($0).name }
        let results = try evaluate(interpreter, feeds, outputs: outputNames)

        // Plan every file before writing any, so a name collision writes nothing.
        var planned: [String: String] = [:]
        var files: [String: String] = [:]
        if let saveDir {
            for name in outputNames {
                guard let array = results[name] else { continue }
                let ext = array.elementType == .bfloat16 || array.elementType == .string ? "pb" : "npy"
                let file = (saveDir.hasSuffix("/") ? saveDir : saveDir + "/") + RunInputs.fileName(forOutput: name) + "." + ext
                if let other = planned[file] { throw RunError.outputFileCollision(file: file, names: [other, name]) }
                planned[file] = name
                files[name] = file
            }
        }
        var infos: [RunReport.OutputInfo] = []
        for name in outputNames {
            guard let array = results[name] else { continue }
            if let file = files[name] {
                let tensor = array.tensor(name: name)
                if file.hasSuffix(".npy") { try NumpyFile.write(tensor, to: file) } else { try TensorFile.write(tensor, to: file) }
            }
            let preview = array.elementType == .string ? [] : Array(array.asDoubles.prefix(8))
            infos.append(.init(name: name, type: RunInputs.describe(array), file: files[name], firstValues: preview))
        }
        report.outputs = infos
        return feeds
    }

    /// Every runtime input (one without an initializer default) must be given by an --input.
    private func checkAllGiven(_ feeds: [String: NDArray], _ graph: Graph) throws {
        let missing = graph.runtimeInputs.map { graph.value($0) }.filter { feeds[$0.name] == nil }
        guard missing.isEmpty else {
            throw RunError.missingInputs(missing.map { ($0.name, $0.type?.description ?? "type not declared") })
        }
    }

    // MARK: - Shared

    private func evaluate(_ interpreter: Interpreter, _ feeds: [String: NDArray], outputs: [String],
                          profile: RunProfile? = nil) throws -> [String: NDArray] {
        do { return try interpreter.run(feeds, outputs: outputs, profile: profile) } catch { throw RunError.evaluation(error) }
    }

    /// Median and minimum time of `runs` evaluations, after untimed warm-up runs: at least three and
    /// at least a quarter of a second, since a CPU coming out of idle runs slower for a while (measured
    /// here: the first ~100 ms of runs of a 0.4 ms model took 1.7× as long as later ones).
    private func time(_ interpreter: Interpreter, _ feeds: [String: NDArray], runs: Int,
                      profile: RunProfile?) throws -> RunReport.Latency {
        let graph = interpreter.model.graph
        let outputs = graph.outputs.map { graph.value($0).name }
        let clock = ContinuousClock()
        let warmUpEnd = clock.now + .milliseconds(250)
        var warmUpRuns = 0
        while warmUpRuns < 3 || clock.now < warmUpEnd {
            _ = try evaluate(interpreter, feeds, outputs: outputs)
            warmUpRuns += 1
        }
        var samples: [Double] = []
        samples.reserveCapacity(runs)
        for _ in 0..<runs {
            let start = clock.now
            _ = try evaluate(interpreter, feeds, outputs: outputs, profile: profile)
            let elapsed = clock.now - start
            samples.append(elapsed.seconds * 1e3)
        }
        samples.sort()
        let median = runs % 2 == 1 ? samples[runs / 2] : (samples[runs / 2 - 1] + samples[runs / 2]) / 2
        return .init(runs: runs, warmUpRuns: warmUpRuns, medianMs: median, minMs: samples[0],
                     meanMs: samples.reduce(0, +) / Double(runs))
    }
}
