#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Where passes put the tensors they create, so that a folded gigabyte weight is not held in memory.
///
/// Payloads are written with `pwrite`, chunk by chunk as they are produced, into one temporary file that
/// has no name: Linux `O_TMPFILE` in the given directory, or else a named file unlinked at once. Each
/// finished payload is a read-only `mmap` of its page-aligned region, so it behaves like a weight loaded
/// from a model file: the kernel reads its pages when touched and can drop them again. The file's space
/// is freed when the store and the last tensor mapping it are gone. Payloads below `inMemoryLimit` stay
/// in memory: a page per tiny tensor would cost more than it saves.
///
/// With a `memoryFileBudget`, payloads go first to a memory file (Linux `memfd_create`) until it holds
/// that many bytes, and only the rest to the file on disk. The kernel would write a temporary file's
/// pages to disk for nothing (it is dropped after the save), and on a machine of two cores that
/// writeback competes with writing the output itself: a 2.4 GB fold cost a second of waiting for the
/// disk at the output's fsync. Give a budget the machine can hold beside everything else (a memory
/// file's pages cannot be evicted without swap); the pages are the process's, freed with the store.
public final class TensorStore: Sendable {
    public static let defaultInMemoryLimit = 64 << 10
    public let inMemoryLimit: Int
    /// Whether the file never had a name (`O_TMPFILE`), rather than a name removed right after creation.
    public let isAnonymous: Bool
    /// Whether payloads in the file are handed to the disk as they are written: the file is kept (the
    /// output's data file), not a temporary whose writing to disk would be wasted.
    let startsWriteback: Bool
    let fd: Int32
    private let pageSize: Int
    /// The first free offset in the file.
    private let end = Mutex(0)
    /// The memory file and how many bytes it may hold (nil: none, every payload goes to the file).
    private let memoryFile: (fd: Int32, budget: Int)?
    /// The first free offset in the memory file.
    private let memoryEnd = Mutex(0)

    /// A store whose file lives in `directory`. Give the directory of the output, so that the spilled
    /// bytes are on the file system that will receive them.
    public convenience init(directory: String, inMemoryLimit: Int = defaultInMemoryLimit,
                            memoryFileBudget: Int = 0) throws(TensorStoreError) {
        try self.init(directory: directory, inMemoryLimit: inMemoryLimit, allowAnonymous: true, memoryFileBudget: memoryFileBudget)
    }

    /// `allowAnonymous: false` takes the fallback path even where `O_TMPFILE` works (for tests).
    init(directory: String, inMemoryLimit: Int, allowAnonymous: Bool, memoryFileBudget: Int = 0) throws(TensorStoreError) {
        startsWriteback = false
        self.inMemoryLimit = inMemoryLimit
        pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        let memoryFD = memoryFileBudget > 0 ? Self.createMemoryFile() : -1
        memoryFile = memoryFD >= 0 ? (memoryFD, memoryFileBudget) : nil
        #if os(Linux)
        let anonymous = allowAnonymous ? open(directory, __O_TMPFILE | O_RDWR | O_CLOEXEC, 0o600) : -1
        #else
        let anonymous: Int32 = -1
        #endif
        if anonymous >= 0 {
            fd = anonymous
            isAnonymous = true
            return
        }
        // Kernels or file systems without O_TMPFILE: a fresh name, removed before anything is written.
        var template = Array("\(directory)/.freezer-spill-XXXXXX".utf8CString)
        let named = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard named >= 0 else {
            let reason = Self.lastError()
            if memoryFD >= 0 { close(memoryFD) }
            throw .cannotCreate(directory: directory, reason: reason)
        }
        let path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        guard unlink(path) == 0 else {
            let reason = Self.lastError()
            close(named)
            if memoryFD >= 0 { close(memoryFD) }
            throw .cannotCreate(directory: directory, reason: "cannot unlink '\(path)': \(reason)")
        }
        fd = named
        isAnonymous = false
    }

    /// A store writing into an open file that it does not own (it keeps a duplicate of the descriptor):
    /// the data file of the model about to be saved, created before the passes run, so that each payload a
    /// pass creates is already where the saved model will reference it (`fileOffset(of:)`). The file must
    /// be open for reading and writing (payloads are mapped back); no memory file is used.
    public convenience init(writingInto fileDescriptor: Int32, inMemoryLimit: Int = defaultInMemoryLimit) throws(TensorStoreError) {
        let duplicate = dup(fileDescriptor)
        guard duplicate >= 0 else { throw .cannotCreate(directory: "the prepared data file", reason: Self.lastError()) }
        _ = fcntl(duplicate, F_SETFD, FD_CLOEXEC)
        self.init(fileDescriptor: duplicate, inMemoryLimit: inMemoryLimit, startsWriteback: true)
    }

    /// A store writing to an open descriptor it then owns (tests: `/dev/full` makes every write fail
    /// as a full disk does).
    init(fileDescriptor: Int32, inMemoryLimit: Int = defaultInMemoryLimit, startsWriteback: Bool = false) {
        self.startsWriteback = startsWriteback
        self.inMemoryLimit = inMemoryLimit
        pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        fd = fileDescriptor
        isAnonymous = false
        memoryFile = nil
    }

    deinit {
        close(fd)
        if let memoryFile { close(memoryFile.fd) }
    }

    /// A writer for a payload of exactly `byteCount` bytes: a region of the memory file while its budget
    /// lasts, else of the file; memory when small.
    public func writer(byteCount: Int) -> PayloadWriter {
        guard byteCount >= inMemoryLimit, byteCount > 0 else { return PayloadWriter(inMemory: byteCount) }
        if let memoryFile, let offset = memoryEnd.withLock({ end -> Int? in
            let start = pageAligned(end)
            guard start + byteCount <= memoryFile.budget else { return nil }
            end = start + byteCount
            return start
        }) {
            return PayloadWriter(store: self, fd: memoryFile.fd, offset: offset, byteCount: byteCount)
        }
        let offset = end.withLock { end in
            let start = pageAligned(end)
            end = start + byteCount
            return start
        }
        return PayloadWriter(store: self, fd: fd, offset: offset, byteCount: byteCount)
    }

    /// The first page boundary at or after `offset`: where a region starts.
    private func pageAligned(_ offset: Int) -> Int { (offset + pageSize - 1) / pageSize * pageSize }

    /// Bytes of payloads placed in the memory file so far (page-aligned regions).
    public var memoryFileBytes: Int { memoryEnd.withLock { $0 } }

    /// The finished payloads in the file (not the memory file): each mapping with its offset.
    private let fileRegions = Mutex<[(storage: ByteStorage, offset: Int)]>([])

    func recordFileRegion(_ storage: ByteStorage, offset: Int) {
        fileRegions.withLock { $0.append((storage, offset)) }
    }

    /// Where `bytes` lie in the store's file when they are one whole finished payload of it, else nil.
    public func fileOffset(of bytes: Bytes) -> Int? {
        guard bytes.offset == 0, bytes.count == bytes.storage.count else { return nil }
        return fileRegions.withLock { regions in regions.first { $0.storage === bytes.storage }?.offset }
    }

    /// The regions of the file that finished payloads occupy, in the order they were made.
    public var fileRegionsWritten: [Range<Int>] {
        fileRegions.withLock { $0.map { $0.offset..<($0.offset + $0.storage.count) } }
    }

    /// A memory file (Linux `memfd_create`), or -1 where there is none.
    private static func createMemoryFile() -> Int32 {
        guard let memfdCreate = LinuxFunction.lookUp("memfd_create", as: (@convention(c) (UnsafePointer<CChar>, UInt32) -> Int32).self) else { return -1 }
        let closeOnExec: UInt32 = 1  // MFD_CLOEXEC
        return memfdCreate("freezer-folded-tensors", closeOnExec)
    }

    static func lastError() -> String { String(cString: strerror(errno)) }
}

/// Receives one payload in order, chunk by chunk, and hands back its bytes when complete.
public final class PayloadWriter {
    public let byteCount: Int
    public private(set) var written = 0
    private let memory: UnsafeMutableRawPointer?
    /// The store (kept alive while a region of its files is written), the file and the region's offset.
    private let file: (store: TensorStore, fd: Int32, offset: Int)?
    /// A payload in a file that will be kept (the output's data file) goes to disk as it is written.
    private var writeback: Writeback?
    private var handedOver = false

    /// A payload assembled in memory freezer owns.
    public init(inMemory byteCount: Int) {
        self.byteCount = byteCount
        memory = UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, 1), alignment: 64)
        file = nil
    }

    init(store: TensorStore, fd: Int32, offset: Int, byteCount: Int) {
        self.byteCount = byteCount
        memory = nil
        file = (store, fd, offset)
        if fd == store.fd, store.startsWriteback { writeback = Writeback(fd: fd, origin: offset) }
    }

    deinit { if !handedOver { memory?.deallocate() } }

    /// Appends the next bytes of the payload.
    public func append(_ chunk: UnsafeRawBufferPointer) throws(TensorStoreError) {
        guard chunk.count <= byteCount - written else { throw .overflow(expected: byteCount, offered: written + chunk.count) }
        guard let base = chunk.baseAddress, chunk.count > 0 else { return }
        if let memory {
            (memory + written).copyMemory(from: base, byteCount: chunk.count)
            written += chunk.count
            return
        }
        guard let (_, fd, offset) = file else { return }
        if let reason = PositionedWrite.writeAll(fd, chunk, at: offset + written) {
            throw .write(reason: reason)
        }
        written += chunk.count
        writeback?.written(upTo: written)
    }

    /// The complete payload: owned memory, or a read-only mapping of the store's region.
    public func finish() throws(TensorStoreError) -> Bytes {
        guard written == byteCount else { throw .incomplete(expected: byteCount, written: written) }
        if let memory {
            handedOver = true
            return Bytes(storage: ByteStorage(adopting: memory, count: byteCount))
        }
        guard let (store, fd, offset) = file else { return .empty }
        let base = mmap(nil, byteCount, PROT_READ, MAP_SHARED, fd, off_t(offset))
        guard let base, base != MAP_FAILED else { throw .map(reason: TensorStore.lastError()) }
        handedOver = true
        let storage = ByteStorage(mapped: UnsafeRawPointer(base), count: byteCount)
        if fd == store.fd { store.recordFileRegion(storage, offset: offset) }
        return Bytes(storage: storage)
    }
}

/// Why the tensor store could not take a payload (disk full, no temporary file possible, ...).
public enum TensorStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case cannotCreate(directory: String, reason: String)
    case write(reason: String)
    case map(reason: String)
    case overflow(expected: Int, offered: Int)
    case incomplete(expected: Int, written: Int)

    public var description: String {
        switch self {
        case let .cannotCreate(directory, reason): "cannot create a temporary tensor file in '\(directory)': \(reason)"
        case let .write(reason): "cannot write to the temporary tensor file: \(reason)"
        case let .map(reason): "cannot map the temporary tensor file: \(reason)"
        case let .overflow(expected, offered): "internal error: a payload of \(expected) bytes was offered \(offered)"
        case let .incomplete(expected, written): "internal error: a payload of \(expected) bytes was finished after \(written)"
        }
    }
}
