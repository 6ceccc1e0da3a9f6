import Crypto
#if canImport(Glibc)
import Glibc
#endif
import FreezerIR

/// A data file made before its model, so that the tensors passes create are written once, where the
/// saved model references them (see `Options.dataFileInPlace`).
extension ModelSaver {
    /// A data file made before its model, and the store whose payloads are in it (see `Options.dataFileInPlace`).
    public struct DataFileInPlace: Sendable {
        public var file: PreparedDataFile
        public var store: TensorStore
        public init(file: PreparedDataFile, store: TensorStore) {
            self.file = file
            self.store = store
        }
    }

    /// The data file of the model that `prepare(_:to:options:)` will save at `path`, made now, before the
    /// model exists and invisible until committed with it: a `TensorStore(writingInto:)` on it receives the
    /// tensors passes create, so they are written once, where the saved model references them. Nil when
    /// that path is protected (`prepare` refuses it).
    public static func prepareDataFile(forModelAt path: String, options: Options) throws(ModelSaveError) -> PreparedDataFile? {
        guard let target = Paths.canonicalTarget(path) else { throw .missingDirectory(Paths.directory(of: path)) }
        let dataTarget = dataFileTarget(of: target, options: options)
        let protected = Set(options.protectedPaths.compactMap { Paths.canonical($0) ?? $0 })
        if protected.contains(target) || protected.contains(Paths.canonical(dataTarget) ?? dataTarget) { return nil }
        StaleTemporaries.sweep(directory: Paths.directory(of: target))
        return PreparedDataFile(file: try PreparedFile(path: dataTarget, mode: 0o644, kind: .unnamedWhereSupported, readable: true))
    }

    /// Completes a data file whose in-place payloads are written already: writes the other tensors at
    /// their offsets (the gaps between payloads read as zeros), sets the size, reads the whole file back
    /// for its SHA-256 and forces it to disk.
    static func completeInPlace(_ file: PreparedDataFile, tensors: [(name: String, bytes: Bytes, offset: Int, inPlace: Bool)],
                                 size: Int, options: Options, progress: (@Sendable (Int) -> Void)?) throws(ModelSaveError) -> String {
        let fd = file.file.fd, path = file.target
        func failure(_ what: String) -> ModelSaveError { .cannotWrite(path: path, reason: "\(what): \(MappedFile.errnoText())") }
        // The payloads in place are hashed on another core while the others are written after them.
        let placedEnd = tensors.filter(\.inPlace).map { $0.offset + $0.bytes.count }.max() ?? 0
        let hasher = ReadBackHasher(fd: fd)
        let hashingPlaced = Background { () -> Bool in hasher.hash(upTo: placedEnd, shouldStop: options.shouldStop, progress: progress) }
        defer { _ = hashingPlaced.value() }
        for t in tensors where !t.inPlace {
            try writeInSlices(t.bytes, to: path, options: options) { piece, start throws(ModelSaveError) in
                if let reason = piece.withUnsafeBytes({ PositionedWrite.writeAll(fd, $0, at: t.offset + start) }) {
                    throw .cannotWrite(path: path, reason: "cannot write: \(reason)")
                }
            }
        }
        guard ftruncate(fd, off_t(size)) == 0 else { throw failure("cannot set the size") }
        guard hashingPlaced.value(), hasher.hash(upTo: size, shouldStop: options.shouldStop, progress: progress) else {
            try stopIfAsked(options, writing: path)
            throw failure("cannot read back")
        }
        try file.file.sync()
        return hasher.digest
    }

    /// SHA-256 of a file read back from its start, in mapped slices, one range after another.
    private final class ReadBackHasher: @unchecked Sendable {
        // Used by one thread at a time: the background part ends before the rest begins.
        private let fd: Int32
        private var hasher = SHA256()
        private var done = 0

        init(fd: Int32) { self.fd = fd }

        private static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

        /// Hashes on up to `end`; false when a slice cannot be mapped or `shouldStop` says so.
        func hash(upTo end: Int, shouldStop: (@Sendable () -> Bool)?, progress: (@Sendable (Int) -> Void)?) -> Bool {
            while done < end {
                if shouldStop?() == true { return false }
                let n = min(residentSlice, end - done)
                // A mapping starts on a page: from the page that holds `done`.
                let skip = done % Self.pageSize
                guard let base = mmap(nil, skip + n, PROT_READ, MAP_SHARED, fd, off_t(done - skip)), base != MAP_FAILED else { return false }
                hasher.update(bufferPointer: UnsafeRawBufferPointer(start: base + skip, count: n))
                munmap(base, skip + n)
                done += n
                progress?(done)
            }
            return true
        }

        var digest: String { FileDigest.hex(hasher.finalize()) }
    }

}
