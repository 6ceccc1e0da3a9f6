import FreezerIR
import OnnxProto
import SwiftProtobuf

/// Saves models: atomically, deterministically, never over an input.
public enum ModelSaver {
    /// What saving guarantees, as requirements of `freezer qualify`'s specification.
    public static let requirements: [(id: String, statement: String)] = [
        ("SAVE-ATOMIC", "The frozen model, its data file and the log are each written completely or not at all: written as unnamed files and linked in when complete, so a crash leaves no partial output and no temporary; a refused conversion writes nothing; no output overwrites an input."),
        ("SAVE-DETERMINISTIC", "Converting the same model with the same options gives a byte-identical frozen model, whatever the machine's load, the number of threads or the run."),
    ]

    public struct Options: Sendable {
        public enum ExternalData: String, Sendable, Codable {
            /// Inline when the file stays under protobuf's 2 GiB limit, external otherwise.
            case auto
            /// Tensors of at least `externalThreshold` bytes go to the data file.
            case always
            /// Everything inline; saving fails when the model would exceed 2 GiB.
            case never
        }
        public var externalData: ExternalData
        /// File name of the data file, beside the model. Default: `<model file name>.data`.
        public var dataFileName: String?
        public var externalThreshold: Int
        /// Canonical paths that must not be written (the input model and its data files).
        public var protectedPaths: [String]
        /// Follows the writing: bytes handed to the files so far, of the model's and its data file's sizes.
        public var progress: (@Sendable (_ done: Int, _ total: Int) -> Void)?
        /// Asked between slices of the data file: true stops a write nobody will commit (a conversion
        /// refused while its model was being written beside the check), with `cannotWrite`.
        public var shouldStop: (@Sendable () -> Bool)?
        /// The data file made before the model (`prepareDataFile`) and the store that wrote tensors into it:
        /// when the model is saved with external data there and references every payload of the store, those
        /// payloads keep their place and only the other tensors are written.
        public var dataFileInPlace: DataFileInPlace?

        public init(externalData: ExternalData = .auto, dataFileName: String? = nil, externalThreshold: Int = 1024,
                    protectedPaths: [String] = [], progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil,
                    shouldStop: (@Sendable () -> Bool)? = nil, dataFileInPlace: DataFileInPlace? = nil) {
            self.dataFileInPlace = dataFileInPlace
            self.externalData = externalData
            self.dataFileName = dataFileName
            self.externalThreshold = externalThreshold
            self.protectedPaths = protectedPaths
            self.progress = progress
            self.shouldStop = shouldStop
        }
    }

    /// Bytes of a mapped payload resident at a time while it is written to the data file.
    static let residentSlice = 64 << 20

    /// protobuf refuses messages of 2 GiB or more.
    public static let protobufLimit = Int(Int32.max)

    public struct Saved: Sendable, Equatable, Codable {
        public var path: String
        public var size: Int
        public var sha256: String
        public var dataFile: ModelSource.DataFile?
        /// Bytes of the model and its data file together.
        public var totalSize: Int { size + (dataFile?.size ?? 0) }
    }

    /// A file that describes the saved model (its conversion log) and is committed with it.
    public struct Companion: Sendable {
        public var path: String
        public var bytes: [UInt8]
        public init(path: String, bytes: [UInt8]) {
            self.path = path
            self.bytes = bytes
        }
    }

    /// Saves `model`. With a `companion`, the file it returns (made from what was saved: digests, sizes)
    /// is committed together with the model: the old companion is set aside before the model is
    /// committed and the new one committed after it, so a kill in between leaves no companion rather than
    /// one that describes another model, and a failure puts the old files back.
    @discardableResult
    public static func save(_ model: Model, to path: String, options: Options = .init(),
                            companion: ((Saved) throws -> Companion)? = nil) throws(ModelSaveError) -> Saved {
        try prepare(model, to: path, options: options).commit(companion: companion)
    }

    /// The name of the data file a model saved at `target` has (in its directory): `options.dataFileName`,
    /// or the model's file name with `.data` appended.
    static func dataFileName(of target: String, options: Options) -> String {
        options.dataFileName ?? "\(Paths.fileName(of: target)).data"
    }

    /// The path of that data file, beside the model saved at `target`.
    static func dataFileTarget(of target: String, options: Options) -> String {
        Paths.directory(of: target) + "/" + dataFileName(of: target, options: options)
    }

    /// The path of the data file a model saved at `path` would have, or nil when its directory does not exist.
    public static func dataFilePath(forModelAt path: String, options: Options = .init()) -> String? {
        Paths.canonicalTarget(path).map { dataFileTarget(of: $0, options: options) }
    }

    /// Writes `model` (and its data file) in full beside its target without making it visible: `commit`
    /// puts it in place; dropped uncommitted, it leaves nothing (`convert` writes the frozen model this
    /// way while it is verified, and commits it only if the check passes).
    public static func prepare(_ model: Model, to path: String, options: Options = .init()) throws(ModelSaveError) -> PreparedSave {
        guard let target = Paths.canonicalTarget(path) else { throw .missingDirectory(Paths.directory(of: path)) }
        let protected = Set(options.protectedPaths.compactMap { Paths.canonical($0) ?? $0 })
        if protected.contains(target) { throw .wouldOverwriteInput(path: path, input: describeProtected(target, options)) }
        let dataName = dataFileName(of: target, options: options)
        let dataTarget = dataFileTarget(of: target, options: options)

        let token = PayloadToken()
        var external = options.externalData == .always
        var exporter: ProtoExport
        var serialized: [UInt8]
        // Payloads already in the data file keep their place, unless the model leaves one of them out
        // (a fold replaced again): then every tensor is written afresh, so the file holds no stray bytes.
        var inPlace = options.dataFileInPlace.flatMap { $0.file.target == dataTarget && !$0.store.fileRegionsWritten.isEmpty ? $0 : nil }
        repeat {
            let goExternal = external
            let threshold = options.externalThreshold
            let placed = goExternal ? inPlace : nil
            exporter = ProtoExport(token: token, dataLocation: dataName, inPlace: placed.map { p in { p.store.fileOffset(of: $0) } },
                                   inPlaceEnd: placed?.store.fileRegionsWritten.map(\.upperBound).max() ?? 0) { t in
                goExternal && t.storedByteCount >= threshold ? .external : .inline
            }
            let proto = try exporter.model(model)
            if let placed {
                let kept = Set(exporter.externalTensors.filter(\.inPlace).map(\.offset))
                if !placed.store.fileRegionsWritten.allSatisfy({ kept.contains($0.lowerBound) }) { inPlace = nil; continue }
            }
            do { serialized = try proto.serializedBytes() }
            catch { throw .invalidTensor("the model cannot be encoded: \(error)") }
            let size = serialized.withUnsafeBytes { PayloadExpander(buffer: $0, token: token, payloads: exporter.payloads).expandedSize() }
            if size < protobufLimit || external { break }
            if options.externalData == .never { throw .tooLargeForInline(bytes: size) }
            external = true
        } while true
        let progress = options.progress
        let dataBytes = exporter.externalTensors.map { $0.offset + $0.bytes.count }.max() ?? 0
        let totalBytes = progress == nil ? 0 : dataBytes + serialized.withUnsafeBytes {
            PayloadExpander(buffer: $0, token: token, payloads: exporter.payloads).expandedSize()
        }
        progress?(0, totalBytes)

        // Both files are written in full before either is committed: a failure while writing one leaves both
        // targets untouched, and `AtomicFile.commit(_:referencing:)` orders the commits.
        var dataFile: ModelSource.DataFile?
        var preparedData: PreparedFile?
        if !exporter.externalTensors.isEmpty {
            if protected.contains(Paths.canonical(dataTarget) ?? dataTarget) {
                throw .wouldOverwriteInput(path: dataTarget, input: describeProtected(dataTarget, options))
            }
            var digest = ""
            var size = 0
            let tensors = exporter.externalTensors
            if external, let inPlace {
                let report: (@Sendable (Int) -> Void)? = progress.map { report in { @Sendable done in report(done, totalBytes) } }
                digest = try completeInPlace(inPlace.file, tensors: tensors, size: dataBytes, options: options, progress: report)
                size = dataBytes
                preparedData = inPlace.file.file
            } else {
                preparedData = try AtomicFile.prepare(to: dataTarget) { sink in
                    sink.progress = progress.map { report in { report($0, totalBytes) } }
                    let zeros = [UInt8](repeating: 0, count: ProtoExport.externalAlignment)
                    for t in tensors {
                        try sink.write(Array(zeros.prefix(t.offset - sink.written)))
                        try writeInSlices(t.bytes, to: dataTarget, options: options) { piece, _ throws(ModelSaveError) in
                            do { try piece.withUnsafeBytes { try sink.write($0) } } catch {
                                throw .cannotWrite(path: dataTarget, reason: (error as? SinkError)?.reason ?? "\(error)")
                            }
                        }
                    }
                    try sink.flush()
                    digest = sink.sha256
                    size = sink.written
                }
            }
            dataFile = .init(location: dataName, canonicalPath: dataTarget, size: size, sha256: digest)
        }
        var digest = ""
        var size = 0
        let payloads = exporter.payloads
        let preparedModel = try AtomicFile.prepare(to: target) { sink in
            sink.progress = progress.map { report in { report(dataBytes + $0, totalBytes) } }
            try serialized.withUnsafeBytes { try PayloadExpander(buffer: $0, token: token, payloads: payloads).emit(to: sink) }
            try sink.flush()
            digest = sink.sha256
            size = sink.written
        }
        return PreparedSave(saved: Saved(path: path, size: size, sha256: digest, dataFile: dataFile), target: target,
                            dataTarget: dataTarget, protected: protected, model: preparedModel, data: preparedData)
    }

    /// A model and its data file written in full, not yet at their paths (see `prepare`).
    public final class PreparedSave: @unchecked Sendable {
        // Made on one thread and committed on another after it is handed over; never used by two at once.
        public let saved: Saved
        private let target: String
        private let dataTarget: String
        private let protected: Set<String>
        private let model: PreparedFile
        private let data: PreparedFile?

        fileprivate init(saved: Saved, target: String, dataTarget: String, protected: Set<String>, model: PreparedFile, data: PreparedFile?) {
            self.saved = saved
            self.target = target
            self.dataTarget = dataTarget
            self.protected = protected
            self.model = model
            self.data = data
        }

        /// Puts the model and its data file at their paths, with the `companion` made from what was saved
        /// (see `save`).
        @discardableResult
        public func commit(companion: ((Saved) throws -> Companion)? = nil) throws(ModelSaveError) -> Saved {
            guard let companion else {
                try ModelSaver.commit(model, data)
                return saved
            }
            let made: Companion
            do { made = try companion(saved) } catch let error as ModelSaveError { throw error } catch {
                throw .cannotWrite(path: saved.path, reason: "the file written with the model cannot be made: \(error)")
            }
            if let t = Paths.canonicalTarget(made.path), protected.contains(t) || t == target || t == dataTarget {
                throw .wouldOverwriteInput(path: made.path, input: "the input model, the saved model or its data file")
            }
            let preparedCompanion = try AtomicFile.prepare(to: made.path) { sink in try sink.write(made.bytes) }
            let oldCompanion = try SetAside(made.path)
            do throws(ModelSaveError) {
                try ModelSaver.commit(model, data)
                try preparedCompanion.commit()
            } catch {
                oldCompanion.restore(replacing: preparedCompanion)
                throw error
            }
            oldCompanion.drop()
            return saved
        }
    }

    /// Hands `bytes` to `write` in slices, each slice's mapped pages given back once written, so that a
    /// gigabyte tensor is never resident as a whole (the write runs beside the verification, which has its
    /// own weights); with each slice, its offset in `bytes`. Stops, refusing to write `path`, when
    /// `options.shouldStop` says so.
    static func writeInSlices(_ bytes: Bytes, to path: String, options: Options,
                              _ write: (_ piece: Bytes, _ start: Int) throws(ModelSaveError) -> Void) throws(ModelSaveError) {
        for (start, piece) in bytes.slices(of: residentSlice) {
            try stopIfAsked(options, writing: path)
            try write(piece, start)
            piece.dropResidentPages()
        }
    }

    /// Refuses to go on writing `path` when `options.shouldStop` says nobody will commit it.
    static func stopIfAsked(_ options: Options, writing path: String) throws(ModelSaveError) {
        if options.shouldStop?() == true { throw .cannotWrite(path: path, reason: "stopped: the model will not be committed") }
    }

    fileprivate static func commit(_ model: PreparedFile, _ data: PreparedFile?) throws(ModelSaveError) {
        if let data { try AtomicFile.commit(model, referencing: data) } else { try model.commit() }
    }

    private static func describeProtected(_ path: String, _ options: Options) -> String {
        options.protectedPaths.first == path ? "the input model" : "the input model or one of its external data files"
    }
}
