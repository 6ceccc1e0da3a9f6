import FreezerIR

/// Resolves `data_location = EXTERNAL` tensors to slices of mapped data files.
///
/// Every location is untrusted: it must be relative, must not climb out of the model's directory (no
/// `..`, no symlink leading outside), and `offset + length` must lie within the file. Each data file is
/// mapped once and shared by all tensors in it.
final class ExternalDataResolver {
    let modelPath: String
    let modelDirectory: String
    private var mapped: [String: ByteStorage] = [:]
    /// Data files in first-use order, by location as written in the model.
    private(set) var files: [(location: String, path: String)] = []

    init(modelPath: String) {
        self.modelPath = modelPath
        let dir = Paths.directory(of: modelPath)
        modelDirectory = Paths.canonical(dir) ?? dir
    }

    func resolve(tensor: String, entries: [(String, String)]) throws(ModelLoadError) -> (Bytes, ExternalSource) {
        var location: String?
        var offset = 0
        var length: Int?
        func fail(_ problem: ExternalDataProblem) -> ModelLoadError {
            .externalData(path: modelPath, tensor: tensor, location: location ?? "", problem: problem)
        }
        for (key, value) in entries {
            switch key {
            case "location": location = value
            case "offset":
                guard let v = Int(value), v >= 0 else { throw fail(.badOffset(value)) }
                offset = v
            case "length":
                guard let v = Int(value), v >= 0 else { throw fail(.badLength(value)) }
                length = v
            default: break // "checksum" and future keys are informational
            }
        }
        guard let location, !location.isEmpty else { throw fail(.missingLocation) }
        if location.hasPrefix("/") || location.hasPrefix("\\") || location.contains(":\\") {
            throw fail(.absoluteLocation)
        }
        let components = location.split(whereSeparator: { $0 == "/" || $0 == "\\" })
        if components.contains("..") { throw fail(.climbsOut) }
        if location.utf8.contains(0) { throw fail(.nulByte) }
        let joined = modelDirectory + "/" + components.joined(separator: "/")
        guard let canonical = Paths.canonical(joined) else { throw fail(.missingFile(path: joined)) }
        guard canonical.hasPrefix(modelDirectory + "/") else {
            throw fail(.outsideModelDirectory(resolved: canonical))
        }
        let storage: ByteStorage
        if let cached = mapped[canonical] {
            storage = cached
        } else {
            switch MappedFile.map(canonical) {
            case .success(let s): storage = s
            case .failure(.notFound): throw fail(.missingFile(path: canonical))
            case .failure(.isDirectory): throw fail(.isDirectory(path: canonical))
            case .failure(.notRegular): throw fail(.notRegularFile(path: canonical))
            case .failure(.unreadable(let why)): throw fail(.unreadable(path: canonical, reason: why))
            }
            mapped[canonical] = storage
            files.append((location, canonical))
        }
        guard offset <= storage.count else {
            throw fail(.offsetPastEnd(offset: offset, fileSize: storage.count))
        }
        let n = length ?? (storage.count - offset)
        guard n <= storage.count - offset else {
            throw fail(.rangePastEnd(offset: offset, length: n, fileSize: storage.count))
        }
        return (Bytes(storage: storage, offset: offset, count: n), ExternalSource(location: location, offset: offset, length: n))
    }
}
