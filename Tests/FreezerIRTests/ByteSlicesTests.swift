import Testing
@testable import FreezerIR

@Suite("Bytes in slices")
struct ByteSlicesTests {
    /// A payload written piece by piece: consecutive slices covering it, the last shorter, with their offsets.
    @Test func slicesCoverTheBytesInOrder() {
        let bytes = Bytes((0..<10).map { UInt8($0) }).slice(1, 9) // [1...9], itself a slice
        let slices = bytes.slices(of: 4)
        #expect(slices.map(\.start) == [0, 4, 8])
        #expect(slices.map { $0.piece.array } == [[1, 2, 3, 4], [5, 6, 7, 8], [9]])
        #expect(bytes.slices(of: 9).map { $0.piece.count } == [9])
        #expect(bytes.slices(of: 100).map { $0.piece.count } == [9])
        #expect(Bytes([]).slices(of: 4).isEmpty)
    }
}
