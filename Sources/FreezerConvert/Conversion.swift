import Crypto
import Foundation
import FreezerIR
import FreezerInspect
import FreezerKernels
import FreezerLog
import FreezerONNX
import FreezerPasses
import FreezerVerify
import Synchronization

/// One conversion, end to end: load and identify, freeze, check, prove equivalence, save, log.
///
/// Nothing is written unless every check passes; the frozen model and the log are each written
/// atomically, and neither can overwrite the input.
public enum Conversion {
    public struct Outcome: Sendable {
        public var log: ConversionLog
        public var logPath: String
        public var saved: ModelSaver.Saved
        public var equivalence: EquivalenceReport?
        /// Wall time of each phase, in order (also in the log).
        public var phases: [PhaseTiming]
    }

    /// Progress of long steps (the CLI shows it on a terminal); called often, so it must be cheap.
    public typealias Progress = @Sendable (ProgressEvent) -> Void

    /// A caller's own check of the frozen model (`freezer export` compares it with the framework's outputs),
    /// run after the equivalence check and before anything is written: a throw stops the conversion. It
    /// returns what it adds to the log, applied before the log's digest is taken.
    public typealias Amendment = (_ frozen: Model, _ equivalence: EquivalenceReport?) throws -> (inout ConversionLog) -> Void

    public static func run(_ options: ConversionOptions, commandLine: [String], clock: Date = Date(),
                           progress: Progress? = nil, amendment: Amendment? = nil) throws -> Outcome {
        try checkOptions(options)
        var phases = PhaseClock()
        progress?(ProgressEvent(phase: .load(path: options.input)))
        var loadedFile = try ModelLoader.load(path: options.input, options: .init(computeDigests: false))
        let checkpointFile = try options.checkpoint.map { path in try CheckpointBinding.apply(path, to: &loadedFile.model) }
        let parsed = loadedFile
        phases.end("load")
        // The input's digests are computed on the other core while the model is frozen and verified.
        let digestProgress = BackgroundProgress(progress)
        let digesting = Background { () throws(ModelLoadError) -> (ModelSource, Double) in
            let start = ContinuousClock.now
            let source = try ModelLoader.digested(parsed.source, progress: ProgressEvents.digest(options.input, digestProgress.record))
            return (source, (ContinuousClock.now - start).seconds)
        }
        // A refusal, unless the input is not the model --expect-sha256 names: that refusal comes first.
        func refuse(_ error: ConversionError) -> ConversionError {
            (try? digesting.value()).flatMap { digestMismatch($0.0, options) } ?? error
        }
        let protected = parsed.source.protectedPaths + (checkpointFile.map { [$0.canonicalPath] } ?? [])
        // With --external-data the frozen model certainly has a data file: its name is checked now too,
        // not after the passes and the check (auto writes one only for a model too large for one file).
        let certainDataFile = options.externalData == .always ? ModelSaver.dataFilePath(forModelAt: options.output) : nil
        for path in [options.output, options.logPath] + (certainDataFile.map { [$0] } ?? []) {
            if let target = Paths.canonicalTarget(path), protected.contains(target) { throw refuse(ConversionError.outputPathIsInput(path)) }
        }
        let issues = Validator.validate(parsed.model)
        guard issues.isEmpty else { throw refuse(ConversionError.invalidModel(path: options.input, issues: issues)) }
        let original = parsed.model
        let inspection = Inspector.inspect(original)

        progress?(ProgressEvent(phase: .passes))
        let pipeline = Pipeline.standard(requestedOutputs: options.outputs.isEmpty ? nil : options.outputs)
        var result: Pipeline.Result
        // Where the frozen model will have a data file (asked for, or a model too large for one file), the
        // tensors the passes create are written straight into that data file, made now and invisible until
        // committed: written once, where the saved model references them. Otherwise they are spilled to a
        // memory file up to a quarter of the memory available (at most 4 GiB), the rest to an unlinked file
        // beside the output, instead of being held by the process; without either, they stay in memory.
        // Whether the saver will write a data file is foreseen from the weights' size (foreseen wrong, the
        // data file made in advance is dropped, and the payloads in it are copied as any others).
        let weightBytes = parsed.model.graph.initializers.reduce(0) { $0 + $1.tensor.storedByteCount }
        let expectsDataFile = options.externalData == .always || (options.externalData == .auto && weightBytes >= ModelSaver.protobufLimit)
        let dataFile = expectsDataFile ? try? ModelSaver.prepareDataFile(forModelAt: options.output, options: .init(protectedPaths: protected)) : nil
        let storeInDataFile = dataFile.flatMap { try? TensorStore(writingInto: $0.fileDescriptor) }
        let tensorStore = storeInDataFile ?? (try? TensorStore(directory: Paths.directory(of: options.output),
                                                              memoryFileBudget: min(4 << 30, (MemoryGuard.availableMemoryBytes() ?? 0) / 4)))
        let dataFileInPlace = both(dataFile, storeInDataFile).map { ModelSaver.DataFileInPlace(file: $0, store: $1) }
        do { result = try pipeline.run(original, tensorStore: tensorStore) } catch {
            throw refuse(ConversionError(passFailure: error, outputDirectory: Paths.directory(of: options.output)))
        }

        let frozenIssues = Validator.validate(result.model, derivedFrom: original)
        guard frozenIssues.isEmpty else { throw refuse(ConversionError.invalidFrozenModel(frozenIssues)) }
        let remaining = TrainingAudit.violations(in: result.model)
        guard remaining.isEmpty else { throw refuse(ConversionError.trainingConstructsRemain(remaining)) }
        phases.end("passes")

        // The frozen model is written on the other core while it is verified, invisible until committed:
        // it takes its place only if every check passes, and is dropped without a trace otherwise. It waits
        // for the input's digest, which its metadata names.
        let saveProgress = BackgroundProgress(progress)
        let refused = Mutex(false)
        let unsaved = result.model
        let writing = Background { () throws -> Written in
            let (source, digestSeconds) = try digesting.value()
            if let mismatch = digestMismatch(source, options) { throw mismatch }
            let start = ContinuousClock.now
            let identified = Written.identify(unsaved, source: source, checkpointFile: checkpointFile, options: options)
            let prepared = try ModelSaver.prepare(identified.model, to: options.output,
                                                  options: .init(externalData: options.externalData, protectedPaths: protected,
                                                                 progress: ProgressEvents.save(options.output, saveProgress.record),
                                                                 shouldStop: { refused.withLock { $0 } }, dataFileInPlace: dataFileInPlace))
            return Written(identified: identified, digestSeconds: digestSeconds, prepared: prepared,
                           saveSeconds: (ContinuousClock.now - start).seconds)
        }
        /// Stops the writing and waits for it before a refusal leaves, so that nothing outlives the conversion.
        func abandon(_ error: any Error) -> any Error {
            refused.withLock { $0 = true }
            _ = try? writing.value()
            return error
        }

        var equivalence: EquivalenceReport?
        if options.verify {
            do {
                let made = try EquivalenceInputs.samples(for: original, frozen: result.model.graph, options: options)
                let (samples, defaults) = (made.samples, made.defaults)
                var report: EquivalenceReport
                do {
                    report = try EquivalenceChecker.checkRecognizingRegularizers(original: original, frozen: result.model, samples: samples, defaults: defaults,
                                                          options: .init(rtol: options.rtol, atol: options.atol, threads: options.threads, sampleRule: options.sampleRule,
                                                                         yielding: true),
                                                          progress: ProgressEvents.verification(progress))
                } catch {
                    throw refuse(ConversionError.evaluation(error.description + EquivalenceInputs.sizesNote(made.sizes)))
                }
                report.randomIntegerRanges = made.recordedIntegerRanges
                equivalence = report
                if report.verdict != .equivalent {
                    var kept: String?
                    if options.keepFailed {
                        let path = (options.output.hasSuffix(".onnx") ? String(options.output.dropLast(5)) : options.output) + ".failed.onnx"
                        try ModelSaver.save(result.model, to: path, options: .init(externalData: options.externalData, protectedPaths: protected,
                                                                                   progress: ProgressEvents.save(path, progress)))
                        kept = path
                    }
                    throw refuse(ConversionError.equivalenceFailed(report, keptAt: kept))
                }
            } catch {
                throw abandon(error)
            }
            phases.end("verification")
        }

        let frozen = result.model
        let amendLog: ((inout ConversionLog) -> Void)?
        do { amendLog = try amendment.map { try $0(frozen, equivalence) } } catch { throw abandon(error) }

        digestProgress.waiting()
        saveProgress.waiting()
        let written = try writing.value()
        progress?(ProgressEvent(phase: .save(path: options.output), count: .init(done: written.prepared.saved.totalSize, total: written.prepared.saved.totalSize, unit: .bytes)))
        phases.add("digest", seconds: written.digestSeconds, inParallel: true)
        if options.verify { phases.add("save", seconds: written.saveSeconds, inParallel: true) }
        result.model = written.identified.model
        let identified = written.identified

        // The log is committed with the model, so a kill never leaves a log that describes another model.
        var log: ConversionLog?
        let saved = try written.prepared.commit { saved in
            phases.end(options.verify ? "commit" : "save")
            var record = RecordBuilder(options: options, commandLine: commandLine, clock: clock, conversionID: identified.conversionID,
                                       loaded: LoadedModel(model: parsed.model, source: identified.source), inspection: inspection,
                                       pipeline: pipeline, result: result, saved: saved, equivalence: equivalence,
                                       metadata: identified.metadata).build()
            record.phases = phases.timings
            amendLog?(&record)
            record.recordDigest = try ConversionIdentity.recordDigest(record)
            log = record
            return .init(path: options.logPath, bytes: Array(try record.encoded()))
        }
        guard let log else { throw ModelSaveError.cannotWrite(path: options.logPath, reason: "the log was not made") }
        return Outcome(log: log, logPath: options.logPath, saved: saved, equivalence: equivalence, phases: phases.timings)
    }

    /// The refusal when the input is not the model --expect-sha256 names.
    static func digestMismatch(_ source: ModelSource, _ options: ConversionOptions) -> ConversionError? {
        guard let expected = options.expectSHA256?.lowercased(), expected != source.sha256 else { return nil }
        return .digestMismatch(path: options.input, expected: expected, actual: source.sha256)
    }

    /// The frozen model as saved, written beside the verification (see `run`).
    struct Written: Sendable {
        /// The model with the metadata that links it to its log, and what that metadata was made from.
        struct Identified: Sendable {
            var model: Model
            var source: ModelSource
            var conversionID: String
            var metadata: [String: String]
        }
        var identified: Identified
        var digestSeconds: Double
        var prepared: ModelSaver.PreparedSave
        var saveSeconds: Double

        /// The metadata that links the frozen model to its log (it changes no computation, so the verified
        /// model and the saved one compute the same).
        static func identify(_ model: Model, source: ModelSource, checkpointFile: ModelSource.DataFile?,
                             options: ConversionOptions) -> Identified {
            var source = source
            if let checkpointFile { source.dataFiles.append(checkpointFile) }
            let conversionID = ConversionIdentity.id(source: source, options: options)
            var model = model
            model.metadataProps.removeAll { $0.key.hasPrefix("freezer.") }
            let metadata = [
                ("freezer.conversion_id", conversionID),
                ("freezer.verified_learning_model_id", "\(options.modelID)_\(options.modelVersion)"),
                ("freezer.verified_learning_model_sha256", source.sha256),
                ("freezer.version", FreezerBuild.version),
            ]
            model.metadataProps += metadata.map { (key: $0.0, value: $0.1) }
            return Identified(model: model, source: source, conversionID: conversionID, metadata: Dictionary(uniqueKeysWithValues: metadata))
        }
    }

    /// Measures consecutive phases: each `end` closes the phase that began where the previous one ended.
    struct PhaseClock {
        private(set) var timings: [PhaseTiming] = []
        private var start = ContinuousClock.now

        mutating func end(_ phase: String) {
            let now = ContinuousClock.now
            timings.append(PhaseTiming(phase: phase, seconds: (now - start).seconds))
            start = now
        }

        mutating func add(_ phase: String, seconds: Double, inParallel: Bool) {
            timings.append(PhaseTiming(phase: phase, seconds: seconds, inParallel: inParallel))
        }
    }

    static func checkOptions(_ o: ConversionOptions) throws {
        try o.checkVerificationSettings()
        if o.modelID.isEmpty || o.modelVersion.isEmpty || o.responsible.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ConversionError.badOption("--model-id, --model-version and --responsible must not be empty: the log names the model and the person")
        }
        for path in [o.output, o.logPath] where Paths.canonicalTarget(path) == nil {
            throw ModelSaveError.missingDirectory(Paths.directory(of: path))
        }
        if let a = Paths.canonicalTarget(o.output), a == Paths.canonicalTarget(o.logPath) {
            throw ConversionError.badOption("-o and --log name the same file '\(o.output)'")
        }
        if let e = o.expectSHA256, e.count != 64 || !e.allSatisfy(\.isHexDigit) {
            throw ConversionError.badOption("--expect-sha256 must be 64 hexadecimal digits (got '\(e)')")
        }
    }
}

/// Both values, when both are there.
private func both<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}
