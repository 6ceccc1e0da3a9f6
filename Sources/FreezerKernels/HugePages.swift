#if canImport(Glibc)
import Glibc
#endif

/// Asks the kernel to back a large, not yet touched allocation with 2 MiB pages.
///
/// A weight of hundreds of megabytes decoded or packed into fresh memory otherwise costs a page fault,
/// and a page zeroed, per 4 KiB: on this machine's kernel (transparent huge pages on `madvise`) that
/// was about a sixth of a verified conversion of a 2.4 GB model. Only whole 2 MiB pages inside the
/// allocation are advised; the call is advice, so a kernel without it changes nothing but speed.
enum HugePages {
    static let pageBytes = 2 << 20
    /// Below this the faults saved are not worth a system call.
    static let threshold = 8 << 20

    static func advise(_ base: UnsafeMutableRawPointer, byteCount: Int) {
        #if os(Linux)
        guard byteCount >= threshold else { return }
        let address = UInt(bitPattern: base)
        let mask = UInt(pageBytes - 1)
        let start = (address + mask) & ~mask
        let end = (address + UInt(byteCount)) & ~mask
        guard end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(aligned, Int(end - start), Int32(MADV_HUGEPAGE))
        #endif
    }

    /// `advise` for the memory of a typed buffer about to be filled.
    static func advise<T>(_ buffer: UnsafeMutableBufferPointer<T>) {
        guard let base = buffer.baseAddress else { return }
        advise(UnsafeMutableRawPointer(base), byteCount: buffer.count * MemoryLayout<T>.stride)
    }
}
