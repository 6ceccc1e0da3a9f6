import FreezerIR

/// Bounds-checked reading of a FlatBuffers binary (little endian): tables through their vtables,
/// strings, vectors of scalars and vectors of tables. Every offset is checked against the buffer, so a
/// truncated or corrupted file is an error, never an out-of-bounds read.
struct FlatBufferTable {
    struct Malformed: Error { var offset: Int; var problem: String }

    let bytes: Bytes
    /// Where the table starts in `bytes`.
    let position: Int
    private let vtable: Int
    private let vtableSize: Int

    /// The root table; `identifier` (4 characters at bytes 4–7) must match when given.
    static func root(of bytes: Bytes, identifier: String?) throws(Malformed) -> FlatBufferTable {
        guard bytes.count >= 8 else { throw Malformed(offset: 0, problem: "\(bytes.count) bytes is too short for a FlatBuffers file") }
        if let identifier {
            let found = String(decoding: bytes.slice(4, 4).array, as: UTF8.self)
            guard found == identifier else {
                throw Malformed(offset: 4, problem: "file identifier is '\(found.filter { $0.isASCII && !$0.isWhitespace })', expected '\(identifier)'")
            }
        }
        return try FlatBufferTable(bytes: bytes, position: Int(try read(UInt32.self, bytes, at: 0)))
    }

    init(bytes: Bytes, position: Int) throws(Malformed) {
        self.bytes = bytes
        self.position = position
        let back = Int(try Self.read(Int32.self, bytes, at: position))
        vtable = position - back
        vtableSize = Int(try Self.read(UInt16.self, bytes, at: vtable))
        guard vtableSize >= 4, vtableSize % 2 == 0 else { throw Malformed(offset: vtable, problem: "vtable size \(vtableSize)") }
        _ = try Self.read(UInt8.self, bytes, at: vtable + vtableSize - 1)
    }

    static func read<T: FixedWidthInteger>(_: T.Type, _ bytes: Bytes, at offset: Int) throws(Malformed) -> T {
        let size = MemoryLayout<T>.size
        guard offset >= 0, offset <= bytes.count - size else {
            throw Malformed(offset: offset, problem: "a \(size)-byte value at \(offset) lies outside the \(bytes.count)-byte file")
        }
        return bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: T.self)) }
    }

    /// Where field `index` (declaration order) is stored, or nil when absent.
    private func fieldPosition(_ index: Int) throws(Malformed) -> Int? {
        let entry = 4 + 2 * index
        guard entry + 2 <= vtableSize else { return nil }
        let relative = Int(try Self.read(UInt16.self, bytes, at: vtable + entry))
        return relative == 0 ? nil : position + relative
    }

    func scalar<T: FixedWidthInteger>(_ index: Int, _: T.Type, default fallback: T) throws(Malformed) -> T {
        guard let at = try fieldPosition(index) else { return fallback }
        return try Self.read(T.self, bytes, at: at)
    }

    /// The target of an offset field.
    private func target(_ index: Int) throws(Malformed) -> Int? {
        guard let at = try fieldPosition(index) else { return nil }
        return at + Int(try Self.read(UInt32.self, bytes, at: at))
    }

    func string(_ index: Int) throws(Malformed) -> String? {
        guard let at = try target(index) else { return nil }
        let count = Int(try Self.read(UInt32.self, bytes, at: at))
        guard count <= bytes.count - at - 4 else { throw Malformed(offset: at, problem: "string of \(count) bytes runs past the end") }
        return String(decoding: bytes.slice(at + 4, count).array, as: UTF8.self)
    }

    func table(_ index: Int) throws(Malformed) -> FlatBufferTable? {
        guard let at = try target(index) else { return nil }
        return try FlatBufferTable(bytes: bytes, position: at)
    }

    /// A vector field: the position of its first element and its length, checked to fit `elementSize`.
    private func vector(_ index: Int, elementSize: Int) throws(Malformed) -> (start: Int, count: Int)? {
        guard let at = try target(index) else { return nil }
        let count = Int(try Self.read(UInt32.self, bytes, at: at))
        guard count <= (bytes.count - at - 4) / elementSize else {
            throw Malformed(offset: at, problem: "vector of \(count) elements runs past the end")
        }
        return (at + 4, count)
    }

    func tables(_ index: Int) throws(Malformed) -> [FlatBufferTable] {
        guard let (start, count) = try vector(index, elementSize: 4) else { return [] }
        var result: [FlatBufferTable] = []
        result.reserveCapacity(count)
        for k in 0..<count {
            let element = start + 4 * k
            result.append(try FlatBufferTable(bytes: bytes, position: element + Int(try Self.read(UInt32.self, bytes, at: element))))
        }
        return result
    }

    func scalars<T: FixedWidthInteger>(_ index: Int, _: T.Type) throws(Malformed) -> [T] {
        guard let (start, count) = try vector(index, elementSize: MemoryLayout<T>.size) else { return [] }
        var result: [T] = []
        for k in 0..<count { result.append(try Self.read(T.self, bytes, at: start + k * MemoryLayout<T>.size)) }
        return result
    }

    /// A `[ubyte]` field as a slice of the buffer (no copy).
    func byteVector(_ index: Int) throws(Malformed) -> Bytes? {
        guard let (start, count) = try vector(index, elementSize: 1) else { return nil }
        return bytes.slice(start, count)
    }
}
