import Foundation
import Testing
@testable import FreezerIR
import FreezerTestSupport

@Suite("TensorStore")
struct TensorStoreTests {
    static func directory() -> String { Fixtures.temporaryDirectory("tensor-store") }

    /// `count` distinct bytes, written through `writer` in chunks of `chunk`.
    static func fill(_ writer: PayloadWriter, count: Int, chunk: Int) throws -> [UInt8] {
        let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
        for start in stride(from: 0, to: count, by: chunk) {
            try bytes[start..<min(start + chunk, count)].withUnsafeBytes { try writer.append($0) }
        }
        return bytes
    }

    @Test(arguments: [true, false])
    func payloadsReadBackEqualAndTheFileHasNoName(anonymous: Bool) throws {
        let dir = Self.directory()
        let store = try TensorStore(directory: dir, inMemoryLimit: 64 << 10, allowAnonymous: anonymous)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
        var kept: [(Bytes, [UInt8])] = []
        // Sizes around the threshold and the page size, so regions start on fresh pages.
        for count in [100, 64 << 10, 200_003, 4096, 1 << 20] {
            let writer = store.writer(byteCount: count)
            let expected = try Self.fill(writer, count: count, chunk: 10_000)
            let bytes = try writer.finish()
            #expect(bytes.array == expected)
            #expect(bytes.storage.isMapped == (count >= 64 << 10), "\(count) bytes")
            kept.append((bytes, expected))
        }
        // Earlier payloads are unchanged by later writes, and no directory entry appeared.
        for (bytes, expected) in kept { #expect(bytes.array == expected) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
        #expect(store.isAnonymous == anonymous)
    }

    /// Payloads fill the memory file up to its budget (page-aligned regions), then go to the file on
    /// disk; both kinds read back intact, outlive the store, and leave no directory entry.
    @Test func theMemoryFileTakesPayloadsUntilItsBudgetIsSpent() throws {
        let dir = Self.directory()
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        var kept: [(Bytes, [UInt8])] = []
        var memoryBytes: [Int] = []
        do {
            let store = try TensorStore(directory: dir, inMemoryLimit: 64 << 10, memoryFileBudget: 300_000)
            for count in [100_000, 100_000, 100_000, 70_000] {
                let writer = store.writer(byteCount: count)
                let expected = try Self.fill(writer, count: count, chunk: 9_000)
                kept.append((try writer.finish(), expected))
                memoryBytes.append(store.memoryFileBytes)
            }
        }
        // Two regions fit the budget; the third would end past it (regions start on page boundaries) and
        // goes to the disk file; the smaller fourth still fits.
        func aligned(_ n: Int) -> Int { (n + page - 1) / page * page }
        let second = aligned(100_000) + 100_000
        #expect(memoryBytes == [100_000, second, second, aligned(second) + 70_000])
        for (bytes, expected) in kept {
            #expect(bytes.storage.isMapped)
            #expect(bytes.array == expected)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    @Test func tensorsOutliveTheStore() throws {
        var bytes: Bytes?
        var expected: [UInt8] = []
        do {
            let store = try TensorStore(directory: Self.directory(), inMemoryLimit: 0)
            let writer = store.writer(byteCount: 300_000)
            expected = try Self.fill(writer, count: 300_000, chunk: 65_536)
            bytes = try writer.finish()
        }
        #expect(bytes?.array == expected)
        bytes?.dropResidentPages()
        #expect(bytes?.array == expected)
    }

    @Test func aPayloadMustBeWrittenExactly() throws {
        let store = try TensorStore(directory: Self.directory(), inMemoryLimit: 0)
        let short = store.writer(byteCount: 10)
        _ = try Self.fill(short, count: 4, chunk: 4)
        #expect(throws: TensorStoreError.incomplete(expected: 10, written: 4)) { try short.finish() }
        let long = store.writer(byteCount: 3)
        #expect(throws: TensorStoreError.overflow(expected: 3, offered: 4)) { try Self.fill(long, count: 4, chunk: 4) }
    }

    @Test func aMissingDirectoryIsNamed() {
        #expect(throws: TensorStoreError.self) { try TensorStore(directory: "/nonexistent-\(UUID().uuidString)") }
        do { _ = try TensorStore(directory: "/nonexistent-dir") } catch {
            #expect(error.description.contains("'/nonexistent-dir'"))
        }
    }
}
