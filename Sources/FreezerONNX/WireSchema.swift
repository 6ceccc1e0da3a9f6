/// Just enough of the ONNX schema to find every `TensorProto.raw_data` in a serialized model without
/// decoding it: which length-delimited fields of which messages hold which messages.
///
/// This is what lets freezer reference tensor payloads in place in the mapped file instead of letting
/// the protobuf decoder copy them.
enum WireMessage: CaseIterable {
    case model, graph, node, attribute, tensor, sparseTensor, trainingInfo, function

    /// The message kind held by length-delimited field `field`, when it is one that can contain tensors.
    func child(_ field: UInt64) -> WireMessage? {
        switch (self, field) {
        case (.model, 7): .graph
        case (.model, 20): .trainingInfo
        case (.model, 25): .function
        case (.graph, 1): .node
        case (.graph, 5): .tensor
        case (.graph, 15): .sparseTensor
        case (.node, 5): .attribute
        case (.attribute, 5), (.attribute, 10): .tensor
        case (.attribute, 6), (.attribute, 11): .graph
        case (.attribute, 22), (.attribute, 23): .sparseTensor
        case (.trainingInfo, 1), (.trainingInfo, 2): .graph
        case (.function, 7): .node
        case (.function, 11): .attribute
        case (.sparseTensor, 1), (.sparseTensor, 2): .tensor
        default: nil
        }
    }

    /// Whether the importer turns this message into IR. Only then may its payloads become tokens: sparse
    /// tensors and function bodies are kept as encoded bytes, so a token inside them would be written out
    /// as is (found by fuzzing).
    var isImportedAsIR: Bool { self != .sparseTensor && self != .function }

    /// `TensorProto.raw_data`.
    static let rawDataField: UInt64 = 9
}

/// Errors in the protobuf wire format itself: the file is truncated or not protobuf.
struct WireFormatError: Error {
    var offset: Int
    var problem: String
}

/// A forward-only reader of protobuf wire format over a byte range, checking every length.
struct WireReader {
    let base: UnsafeRawPointer
    var position: Int
    let end: Int

    init(_ buffer: UnsafeRawBufferPointer, from start: Int = 0, to end: Int? = nil) {
        base = buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
        position = start
        self.end = end ?? buffer.count
    }

    var atEnd: Bool { position >= end }

    mutating func varint() throws(WireFormatError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        let start = position
        while true {
            guard position < end else { throw WireFormatError(offset: start, problem: "truncated varint") }
            let byte = base.load(fromByteOffset: position, as: UInt8.self)
            position += 1
            if shift == 63 && byte > 1 { throw WireFormatError(offset: start, problem: "varint longer than 64 bits") }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw WireFormatError(offset: start, problem: "varint longer than 10 bytes") }
        }
    }

    /// Reads a tag; returns field number and wire type.
    mutating func tag() throws(WireFormatError) -> (field: UInt64, wireType: UInt64) {
        let start = position
        let key = try varint()
        let field = key >> 3
        guard field > 0, field < (1 << 29) else { throw WireFormatError(offset: start, problem: "invalid field number \(field)") }
        return (field, key & 7)
    }

    /// Skips the value of a field of `wireType`; returns the range of a length-delimited payload.
    mutating func skipValue(_ wireType: UInt64, depth: Int = 0) throws(WireFormatError) -> Range<Int>? {
        let start = position
        switch wireType {
        case 0: _ = try varint()
        case 1: try advance(8, from: start)
        case 5: try advance(4, from: start)
        case 2:
            let length = try varint()
            guard length <= UInt64(end - position) else {
                throw WireFormatError(offset: start, problem: "length \(length) runs past the end of the data (\(end - position) bytes left)")
            }
            let payload = position..<(position + Int(length))
            position += Int(length)
            return payload
        case 3:
            // Deprecated groups: skip to the matching end-group tag.
            guard depth < 64 else { throw WireFormatError(offset: start, problem: "groups nested too deeply") }
            while true {
                let (_, wt) = try tag()
                if wt == 4 { break }
                _ = try skipValue(wt, depth: depth + 1)
            }
        default:
            throw WireFormatError(offset: start, problem: "invalid wire type \(wireType)")
        }
        return nil
    }

    private mutating func advance(_ n: Int, from start: Int) throws(WireFormatError) {
        guard end - position >= n else { throw WireFormatError(offset: start, problem: "truncated fixed-width value") }
        position += n
    }
}

/// Appends protobuf wire-format pieces to a byte array.
struct WireWriter {
    var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    static func varintSize(_ value: UInt64) -> Int {
        var v = value, n = 1
        while v >= 0x80 { v >>= 7; n += 1 }
        return n
    }

    mutating func tag(_ field: UInt64, _ wireType: UInt64) { varint(field << 3 | wireType) }

    mutating func append(_ buffer: UnsafeRawBufferPointer, _ range: Range<Int>) {
        guard !range.isEmpty, let base = buffer.baseAddress else { return }
        bytes.append(contentsOf: UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count))
    }
}
