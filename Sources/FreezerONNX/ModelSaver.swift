import FreezerIR
import OnnxProto
import SwiftProtobuf

/// Saves models: atomically, deterministically, never over an input.
public enum ModelSaver {
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

        public init(externalData: ExternalData = .auto, dataFileName: String? = nil, externalThreshold: Int = 1024,
                    protectedPaths: [String] = []) {
            self.externalData = externalData
            self.dataFileName = dataFileName
            self.externalThreshold = externalThreshold
            self.protectedPaths = protectedPaths
        }
    }

    /// protobuf refuses messages of 2 GiB or more.
    public static let protobufLimit = Int(Int32.max)

    public struct Saved: Sendable, Equatable, Codable {
        public var path: String
        public var size: Int
        public var sha256: String
        public var dataFile: ModelSource.DataFile?
    }

    @discardableResult
    public static func save(_ model: Model, to path: String, options: Options = .init()) throws(ModelSaveError) -> Saved {
        guard let target = Paths.canonicalTarget(path) else { throw .missingDirectory(Paths.directory(of: path)) }
        let protected = Set(options.protectedPaths.compactMap { Paths.canonical($0) ?? $0 })
        if protected.contains(target) { throw .wouldOverwriteInput(path: path, input: describeProtected(target, options)) }
        let dataName = options.dataFileName ?? "\(Paths.fileName(of: target)).data"
        let dataTarget = Paths.directory(of: target) + "/" + dataName

        let token = PayloadToken()
        var external = options.externalData == .always
        var exporter: ProtoExport
        var serialized: [UInt8]
        repeat {
            let goExternal = external
            let threshold = options.externalThreshold
            exporter = ProtoExport(token: token, dataLocation: dataName) { t in
                goExternal && t.storedByteCount >= threshold ? .external : .inline
            }
            let proto = try exporter.model(model)
            do { serialized = try proto.serializedBytes() }
            catch { throw .invalidTensor("the model cannot be encoded: \(error)") }
            let size = serialized.withUnsafeBytes { PayloadExpander(buffer: $0, token: token, payloads: exporter.payloads).expandedSize() }
            if size < protobufLimit || external { break }
            if options.externalData == .never { throw .tooLargeForInline(bytes: size) }
            external = true
        } while true

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
            preparedData = try AtomicFile.prepare(to: dataTarget) { sink in
                let zeros = [UInt8](repeating: 0, count: ProtoExport.externalAlignment)
                for t in tensors {
                    try sink.write(Array(zeros.prefix(t.offset - sink.written)))
                    try t.bytes.withUnsafeBytes { try sink.write($0) }
                    t.bytes.dropResidentPages() // written: mapped input pages need not stay resident
                }
                try sink.flush()
                digest = sink.sha256
                size = sink.written
            }
            dataFile = .init(location: dataName, canonicalPath: dataTarget, size: size, sha256: digest)
        }
        var digest = ""
        var size = 0
        let payloads = exporter.payloads
        let preparedModel = try AtomicFile.prepare(to: target) { sink in
            try serialized.withUnsafeBytes { try PayloadExpander(buffer: $0, token: token, payloads: payloads).emit(to: sink) }
            try sink.flush()
            digest = sink.sha256
            size = sink.written
        }
        if let preparedData { try AtomicFile.commit(preparedModel, referencing: preparedData) }
        else { try preparedModel.commit() }
        return Saved(path: path, size: size, sha256: digest, dataFile: dataFile)
    }

    private static func describeProtected(_ path: String, _ options: Options) -> String {
        options.protectedPaths.first == path ? "the input model" : "the input model or one of its external data files"
    }
}
