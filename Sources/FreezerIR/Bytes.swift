#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a byte range lives: a read-only memory mapping of a file, or memory freezer owns.
///
/// A class so that every tensor slicing the same mapped file shares one mapping, which is unmapped when
/// the last slice goes away. Pages of a mapping are read by the kernel only when touched, which is what
/// lets `inspect` look at a model with gigabytes of weights without reading them.
public final class ByteStorage: @unchecked Sendable {
    // Immutable after init; the memory it points to is never written, so sharing across threads is safe.
    public let base: UnsafeRawPointer?
    public let count: Int
    /// Whether the bytes are a read-only mapping of a file (whose pages the kernel can drop and re-read).
    public let isMapped: Bool
    private let release: @Sendable (UnsafeRawPointer?, Int) -> Void

    /// Owned copy of `bytes`.
    public init(copying bytes: UnsafeRawBufferPointer) {
        let memory = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 64)
        if let src = bytes.baseAddress, bytes.count > 0 {
            memory.copyMemory(from: src, byteCount: bytes.count)
        }
        base = UnsafeRawPointer(memory)
        count = bytes.count
        isMapped = false
        release = { p, _ in UnsafeMutableRawPointer(mutating: p)?.deallocate() }
    }

    /// Takes ownership of memory allocated with `UnsafeMutableRawPointer.allocate`.
    public init(adopting memory: UnsafeMutableRawPointer, count: Int) {
        base = UnsafeRawPointer(memory)
        self.count = count
        isMapped = false
        release = { p, _ in UnsafeMutableRawPointer(mutating: p)?.deallocate() }
    }

    /// Wraps a region obtained from `mmap`; it is unmapped on deinit.
    public init(mapped base: UnsafeRawPointer?, count: Int) {
        self.base = base
        self.count = count
        isMapped = true
        release = { p, n in if let p, n > 0 { munmap(UnsafeMutableRawPointer(mutating: p), n) } }
    }


    /// Lets the kernel drop the resident pages of `range` from this process (they are read again from
    /// the file if touched later). Mapped storage only: it bounds the memory of streaming through a
    /// gigabyte file. Only whole pages inside the range are dropped.
    public func dropResidentPages(_ range: Range<Int>) {
        guard isMapped, let base, !range.isEmpty else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (Int(bitPattern: base) + range.lowerBound + page - 1) / page * page
        let end = (Int(bitPattern: base) + range.upperBound) / page * page
        guard end > start else { return }
        _ = madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, Int32(MADV_DONTNEED))
    }

    deinit { release(base, count) }
}

/// An immutable byte range: a slice of a `ByteStorage`. Copying a `Bytes` never copies the bytes.
public struct Bytes: Sendable, Equatable, CustomStringConvertible {
    public let storage: ByteStorage
    public let offset: Int
    public let count: Int

    public init(storage: ByteStorage, offset: Int = 0, count: Int? = nil) {
        let n = count ?? (storage.count - offset)
        precondition(offset >= 0 && n >= 0 && offset + n <= storage.count, "Bytes slice out of range")
        self.storage = storage
        self.offset = offset
        self.count = n
    }

    public init(_ array: [UInt8]) {
        self = array.withUnsafeBytes { Bytes(storage: ByteStorage(copying: $0)) }
    }

    public static let empty = Bytes([])

    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let start = storage.base.map { $0 + offset }
        return try body(UnsafeRawBufferPointer(start: count == 0 ? nil : start, count: count))
    }

    public var array: [UInt8] { withUnsafeBytes { Array($0) } }

    /// Drops the resident pages of this slice when it is part of a file mapping (see `ByteStorage`).
    public func dropResidentPages() { storage.dropResidentPages(offset..<(offset + count)) }

    public func slice(_ start: Int, _ length: Int) -> Bytes {
        precondition(start >= 0 && length >= 0 && start + length <= count)
        return Bytes(storage: storage, offset: offset + start, count: length)
    }

    /// Consecutive slices of at most `size` bytes covering these bytes, each with its offset in them: a
    /// large payload written piece by piece, each piece's mapped pages given back once written.
    public func slices(of size: Int) -> [(start: Int, piece: Bytes)] {
        precondition(size > 0)
        return stride(from: 0, to: count, by: size).map { ($0, slice($0, Swift.min(size, count - $0))) }
    }

    /// Byte-wise equality; cheap when both are the same slice of the same storage.
    public static func == (a: Bytes, b: Bytes) -> Bool {
        if a.count != b.count { return false }
        if a.storage === b.storage && a.offset == b.offset { return true }
        return a.withUnsafeBytes { pa in b.withUnsafeBytes { pb in
            a.count == 0 || memcmp(pa.baseAddress!, pb.baseAddress!, a.count) == 0
        } }
    }

    public var description: String { "\(count) bytes" }
}
