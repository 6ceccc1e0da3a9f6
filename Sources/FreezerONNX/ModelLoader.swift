import FreezerIR
import Foundation
import OnnxProto
import SwiftProtobuf

/// A model as loaded, with the identity of the files it came from.
public struct LoadedModel: Sendable {
    public var model: Model
    public let source: ModelSource
    public init(model: Model, source: ModelSource) {
        self.model = model
        self.source = source
    }
}

/// The files a model was read from, with their digests.
public struct ModelSource: Sendable, Equatable, Codable {
    /// The path as given by the user.
    public var path: String
    /// The canonical absolute path (symlinks resolved).
    public var canonicalPath: String
    public var size: Int
    public var sha256: String
    public var dataFiles: [DataFile]

    public struct DataFile: Sendable, Equatable, Codable {
        /// The location as written in the model, relative to its directory.
        public var location: String
        public var canonicalPath: String
        public var size: Int
        public var sha256: String

        public init(location: String, canonicalPath: String, size: Int, sha256: String) {
            self.location = location
            self.canonicalPath = canonicalPath
            self.size = size
            self.sha256 = sha256
        }
    }

    /// Canonical paths of the model file and all its data files: what a save must never overwrite.
    public var protectedPaths: [String] { [canonicalPath] + dataFiles.map(\.canonicalPath) }
}

/// Loads ONNX model files.
public enum ModelLoader {
    public struct Options: Sendable {
        /// Compute SHA-256 of the model and its data files (streamed; ~1.7 GB/s with SHA extensions).
        public var computeDigests = true
        public init(computeDigests: Bool = true) { self.computeDigests = computeDigests }
    }

    /// Loads a model. Tensor payloads are not read: they stay in the mapped files until used.
    /// `digestProgress` follows the digests, as in `digested(_:progress:)`.
    public static func load(path: String, options: Options = .init(),
                            digestProgress: ((_ done: Int, _ total: Int) -> Void)? = nil) throws(ModelLoadError) -> LoadedModel {
        let storage: ByteStorage
        switch MappedFile.map(path) {
        case .success(let s): storage = s
        case .failure(.notFound): throw .notFound(path: path)
        case .failure(.isDirectory): throw .isDirectory(path: path)
        case .failure(.notRegular): throw .notRegularFile(path: path)
        case .failure(.unreadable(let why)): throw .unreadable(path: path, reason: why)
        }
        guard storage.count > 0 else { throw .empty(path: path) }
        let canonical = Paths.canonical(path) ?? path
        let whole = Bytes(storage: storage)

        let token = PayloadToken()
        let (stripped, lifted): ([UInt8], [Range<Int>])
        do {
            (stripped, lifted) = try whole.withUnsafeBytes { buffer in
                var lifter = PayloadLifter(buffer: buffer, token: token)
                let out = try lifter.rewriteModel()
                return (out, lifter.lifted)
            }
        } catch let error as WireFormatError {
            throw .malformed(path: path, offset: error.offset, problem: error.problem)
        } catch {
            throw .malformed(path: path, offset: 0, problem: "\(error)")
        }
        let proto: Onnx_ModelProto
        do {
            proto = try Onnx_ModelProto(serializedBytes: stripped)
        } catch {
            if let kind = guessMessage(stripped) { throw .notAModel(path: path, looksLike: kind) }
            throw .malformed(path: path, offset: 0, problem: "not decodable as an ONNX ModelProto: \(error)")
        }
        try checkIsModel(proto, stripped: stripped, path: path)

        let resolver = ExternalDataResolver(modelPath: path)
        let importer = ProtoImport(lifted: lifted.map { whole.slice($0.lowerBound, $0.count) }, token: token, external: resolver)
        let model = try importer.model(proto)

        var source = ModelSource(path: path, canonicalPath: canonical, size: storage.count, sha256: "", dataFiles: [])
        for file in resolver.files {
            source.dataFiles.append(.init(location: file.location, canonicalPath: file.path, size: 0, sha256: ""))
        }
        if options.computeDigests { source = try digested(source, progress: digestProgress) }
        return LoadedModel(model: model, source: source)
    }

    /// `source` with the SHA-256 and size of the model file and of every data file, read in a stream (a
    /// conversion runs this beside its passes and verification). `progress(bytes hashed, bytes of all the
    /// files)` follows the hashing.
    public static func digested(_ source: ModelSource,
                                progress: ((_ done: Int, _ total: Int) -> Void)? = nil) throws(ModelLoadError) -> ModelSource {
        var source = source
        let hash = DigestProgress(files: [source.path] + source.dataFiles.map(\.canonicalPath), report: progress)
        do {
            source.sha256 = try hash.next(source.path).sha256
            for k in source.dataFiles.indices {
                let d = try hash.next(source.dataFiles[k].canonicalPath)
                source.dataFiles[k].sha256 = d.sha256
                source.dataFiles[k].size = d.size
            }
        } catch {
            throw .unreadable(path: error.path, reason: error.reason)
        }
        return source
    }

    /// Digests of several files reported as one count of bytes, so a display can show the time left.
    private final class DigestProgress {
        let report: ((Int, Int) -> Void)?
        let total: Int
        var before = 0

        init(files: [String], report: ((Int, Int) -> Void)?) {
            self.report = report
            total = report == nil ? 0 : files.reduce(0) { sum, file in
                if case .success(let size) = MappedFile.statRegularFile(file) { return sum + size }
                return sum
            }
        }

        func next(_ file: String) throws(FileDigestError) -> FileDigest.Result {
            report?(before, total)
            let result = try FileDigest.sha256(ofFile: file, progress: report.map { report in { [before, total] in report(before + $0, total) } })
            before += result.size
            report?(before, total)
            return result
        }
    }

    /// A ModelProto needs a graph and an opset import; protobuf alone accepts almost any bytes.
    private static func checkIsModel(_ proto: Onnx_ModelProto, stripped: [UInt8], path: String) throws(ModelLoadError) {
        if proto.hasGraph {
            guard !proto.opsetImport.isEmpty else { throw .missingOpsetImport(path: path) }
            return
        }
        if !proto.hasIrVersion && proto.opsetImport.isEmpty {
            throw .notAModel(path: path, looksLike: guessMessage(stripped))
        }
        throw .missingGraph(path: path)
    }

    /// Names the ONNX message a non-model file decodes as, to make the error specific.
    private static func guessMessage(_ bytes: [UInt8]) -> String? {
        if let g = try? Onnx_GraphProto(serializedBytes: bytes), !g.node.isEmpty || !g.input.isEmpty || !g.output.isEmpty {
            return "GraphProto (a bare graph, without the model around it)"
        }
        if let t = try? Onnx_TensorProto(serializedBytes: bytes), t.hasDataType, t.hasRawData || !t.dims.isEmpty || !t.floatData.isEmpty {
            return "TensorProto (a single tensor, such as test data)"
        }
        return nil
    }
}
