import FreezerIR
import Foundation

/// Reads and writes NumPy `.npy` files (format versions 1.0, 2.0 and 3.0), so that model inputs and
/// outputs can be exchanged with Python without ONNX's protobuf wrapping.
///
/// Supported dtypes: f2 f4 f8, i1 i2 i4 i8, u1 u2 u4 u8 and b1, in either byte order, C order only.
/// The format: the magic `\x93NUMPY`, a major and minor version byte, the header length (2 bytes
/// little-endian in 1.0, 4 bytes in 2.0/3.0), a Python dict literal padded with spaces and ended by a
/// newline (latin-1 in 1.0/2.0, UTF-8 in 3.0), then the raw array bytes.
public enum NumpyFile {
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59] // \x93NUMPY

    /// dtype kind+size (without the byte-order character) to ONNX element type, and back.
    static let dtypes: [String: ElementType] = [
        "f2": .float16, "f4": .float, "f8": .double,
        "i1": .int8, "i2": .int16, "i4": .int32, "i8": .int64,
        "u1": .uint8, "u2": .uint16, "u4": .uint32, "u8": .uint64,
        "b1": .bool, "?": .bool,
    ]

    /// Reads the array in `path` as a tensor (named after the file, without its extension).
    /// Little-endian data is used where it lies in the mapped file, without a copy.
    public static func read(path: String) throws(TensorFileError) -> Tensor {
        let storage: ByteStorage
        switch MappedFile.map(path) {
        case .success(let s): storage = s
        case .failure(let f): throw .from(f, path: path)
        }
        guard storage.count > 0 else { throw .empty(path: path) }
        let bytes = Bytes(storage: storage)
        let parsed = bytes.withUnsafeBytes { p in Result { () throws(TensorFileError) in try parsePreamble(p, path: path) } }
        let (header, dataOffset) = try parsed.get()
        guard let type = dtypes[header.kind] else { throw .unsupportedDtype(path: path, descr: header.descr) }
        if header.fortranOrder { throw .fortranOrder(path: path) }
        let width = type.byteWidth ?? 1
        var count = 1
        for d in header.shape {
            let (p, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow else { throw .badHeader(path: path, problem: "shape \(TensorFileError.shapeText(header.shape)) has more elements than memory can hold") }
            count = p
        }
        let (expected, overflow) = count.multipliedReportingOverflow(by: width)
        let actual = storage.count - dataOffset
        guard !overflow, expected == actual else {
            throw .dataSizeMismatch(path: path, shape: header.shape, descr: header.descr, expected: overflow ? Int.max : expected, actual: actual)
        }
        var payload = bytes.slice(dataOffset, expected)
        if header.bigEndian && width > 1 {
            payload = payload.withUnsafeBytes { src in
                let swapped = UnsafeMutableRawPointer.allocate(byteCount: max(expected, 1), alignment: 64)
                for i in 0..<count {
                    for b in 0..<width { swapped.storeBytes(of: src[i * width + b], toByteOffset: i * width + width - 1 - b, as: UInt8.self) }
                }
                return Bytes(storage: ByteStorage(adopting: swapped, count: expected))
            }
        }
        if type == .bool {
            // numpy writes bools as 0/1 bytes; anything else would be read differently by different tools.
            let bad = payload.withUnsafeBytes { p in p.firstIndex { $0 > 1 } }
            if let bad { throw .badHeader(path: path, problem: "bool element \(bad) has byte value \(payload.array[bad]), not 0 or 1") }
        }
        let file = Paths.fileName(of: path)
        let name = file.hasSuffix(".npy") ? String(file.dropLast(4)) : file
        return Tensor(name: name, elementType: type, dims: header.shape.map(Int64.init), payload: .raw(payload))
    }

    /// Writes `tensor` to `path` as a version 1.0 `.npy` file (2.0 if the header needs more than 64 KiB),
    /// little-endian, C order, atomically. Refuses element types NumPy has no dtype for (bfloat16,
    /// float8, 4-bit types, strings, complex).
    public static func write(_ tensor: Tensor, to path: String) throws(TensorFileError) {
        guard let kind = dtypes.first(where: { $0.value == tensor.elementType && $0.key != "?" })?.key else {
            throw .cannotStore(path: path, problem: "tensor '\(tensor.name)' has element type \(tensor.elementType), which has no NumPy .npy dtype; save it as an ONNX TensorProto (.pb) instead")
        }
        let raw: Bytes
        do { raw = try tensor.rawBytes() } catch { throw .cannotStore(path: path, problem: error.description) }
        let descr = (kind == "b1" || kind == "i1" || kind == "u1" ? "|" : "<") + kind
        let shape = tensor.dims.map { Int($0) }
        let dict = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(TensorFileError.shapeText(shape)), }"
        // The header is padded with spaces so that the data starts at a multiple of 64 bytes (numpy's
        // alignment, which lets readers map the data directly).
        var version: UInt8 = 1
        var prefix = magic.count + 2 + 2
        if dict.utf8.count + 1 + prefix > 65535 { version = 2; prefix = magic.count + 2 + 4 }
        let total = (prefix + dict.utf8.count + 1 + 63) / 64 * 64
        let headerText = dict + String(repeating: " ", count: total - prefix - dict.utf8.count - 1) + "\n"
        var head = magic + [version, 0]
        let headerLength = headerText.utf8.count
        if version == 1 {
            head += [UInt8(headerLength & 0xFF), UInt8(headerLength >> 8)]
        } else {
            head += (0..<4).map { UInt8((headerLength >> (8 * $0)) & 0xFF) }
        }
        head += Array(headerText.utf8)
        do {
            try AtomicFile.write(to: path) { sink in
                try sink.write(head)
                try raw.withUnsafeBytes { try sink.write($0) }
            }
        } catch {
            throw .from(error, path: path)
        }
    }

    // MARK: - Header parsing

    struct Header {
        var descr: String
        /// The dtype without its byte-order character (`f4`).
        var kind: String
        var bigEndian: Bool
        var fortranOrder: Bool
        var shape: [Int]
    }

    /// Parses magic, version and header dict; returns the header and the offset of the data.
    static func parsePreamble(_ p: UnsafeRawBufferPointer, path: String) throws(TensorFileError) -> (Header, Int) {
        guard p.count >= magic.count, zip(p.prefix(magic.count), magic).allSatisfy({ $0 == $1 }) else {
            throw .badMagic(path: path)
        }
        guard p.count >= 8 else { throw .truncatedHeader(path: path, problem: "the file ends after \(p.count) bytes, inside the version field") }
        let (major, minor) = (p[6], p[7])
        guard minor == 0, (1...3).contains(major) else { throw .unsupportedVersion(path: path, major: major, minor: minor) }
        let lengthBytes = major == 1 ? 2 : 4
        guard p.count >= 8 + lengthBytes else {
            throw .truncatedHeader(path: path, problem: "the file ends after \(p.count) bytes, inside the header length field")
        }
        var headerLength = 0
        for k in 0..<lengthBytes { headerLength |= Int(p[8 + k]) << (8 * k) }
        let start = 8 + lengthBytes
        guard p.count >= start + headerLength else {
            throw .truncatedHeader(path: path, problem: "the header should be \(headerLength) bytes but the file ends \(p.count - start) bytes into it")
        }
        let raw = p[start..<(start + headerLength)]
        // Versions 1 and 2 are latin-1, version 3 UTF-8; the dict itself is ASCII in practice.
        let text = major == 3
            ? String(decoding: raw, as: UTF8.self)
            : String(String.UnicodeScalarView(raw.map { Unicode.Scalar($0) }))
        return (try parseHeader(text, path: path), start + headerLength)
    }

    /// Parses the header dict: `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`.
    static func parseHeader(_ text: String, path: String) throws(TensorFileError) -> Header {
        var parser = DictParser(text: Array(text.unicodeScalars))
        let entries: [String: DictParser.Value]
        do { entries = try parser.parseDict() } catch {
            throw .badHeader(path: path, problem: "\(error.message) in \(text.trimmingCharacters(in: .whitespacesAndNewlines).debugDescription)")
        }
        guard case .string(let descr)? = entries["descr"] else {
            if entries["descr"] != nil { throw .unsupportedDtype(path: path, descr: "a structured dtype") }
            throw .badHeader(path: path, problem: "the key 'descr' is missing")
        }
        guard case .bool(let fortran)? = entries["fortran_order"] else {
            throw .badHeader(path: path, problem: "the key 'fortran_order' is missing or not True/False")
        }
        guard case .tuple(let shape)? = entries["shape"] else {
            throw .badHeader(path: path, problem: "the key 'shape' is missing or not a tuple of integers")
        }
        guard shape.allSatisfy({ $0 >= 0 }) else { throw .badHeader(path: path, problem: "shape \(shape) has a negative dimension") }
        var kind = descr
        var bigEndian = false
        if let order = descr.first, "<>|=".contains(order) {
            kind = String(descr.dropFirst())
            bigEndian = order == ">"
        }
        return Header(descr: descr, kind: kind, bigEndian: bigEndian, fortranOrder: fortran, shape: shape)
    }
}

/// A parser for the Python literal subset that `.npy` headers use: one dict of string keys whose
/// values are strings, True/False, or tuples of non-negative integers.
struct DictParser {
    enum Value { case string(String), bool(Bool), tuple([Int]), list(String) }
    struct Failure: Error { var message: String }

    let text: [Unicode.Scalar]
    var i = 0

    init(text: [Unicode.Scalar]) { self.text = text }

    mutating func skipSpace() { while i < text.count, text[i].properties.isWhitespace { i += 1 } }

    mutating func expect(_ c: Unicode.Scalar) throws(Failure) {
        skipSpace()
        guard i < text.count, text[i] == c else { throw Failure(message: "expected '\(c)' at character \(i)") }
        i += 1
    }

    mutating func peek() -> Unicode.Scalar? {
        skipSpace()
        return i < text.count ? text[i] : nil
    }

    mutating func parseDict() throws(Failure) -> [String: Value] {
        try expect("{")
        var entries: [String: Value] = [:]
        while peek() != "}" {
            let key = try parseString()
            try expect(":")
            entries[key] = try parseValue()
            if peek() == "," { i += 1 } else { break }
        }
        try expect("}")
        return entries
    }

    mutating func parseString() throws(Failure) -> String {
        skipSpace()
        guard i < text.count, text[i] == "'" || text[i] == "\"" else { throw Failure(message: "expected a quoted string at character \(i)") }
        let quote = text[i]
        i += 1
        var s = String.UnicodeScalarView()
        while i < text.count, text[i] != quote { s.append(text[i]); i += 1 }
        guard i < text.count else { throw Failure(message: "unterminated string") }
        i += 1
        return String(s)
    }

    mutating func parseValue() throws(Failure) -> Value {
        switch peek() {
        case "'", "\"": return .string(try parseString())
        case "(": return .tuple(try parseTuple())
        case "[":
            return .list(try skipBracketed())
        default:
            for (word, value) in [("True", true), ("False", false)] where matches(word) {
                i += word.unicodeScalars.count
                return .bool(value)
            }
            throw Failure(message: "unexpected value at character \(i)")
        }
    }

    /// A `[...]` value (a structured dtype's field list), kept as text: freezer only needs to refuse it.
    mutating func skipBracketed() throws(Failure) -> String {
        let start = i
        var depth = 0
        var quote: Unicode.Scalar?
        while i < text.count {
            let c = text[i]
            i += 1
            if let q = quote { if c == q { quote = nil }; continue }
            switch c {
            case "'", "\"": quote = c
            case "[", "(": depth += 1
            case "]", ")":
                depth -= 1
                if depth == 0 { return String(String.UnicodeScalarView(text[start..<i])) }
            default: break
            }
        }
        throw Failure(message: "unterminated list starting at character \(start)")
    }

    func matches(_ word: String) -> Bool {
        let w = Array(word.unicodeScalars)
        return i + w.count <= text.count && Array(text[i..<(i + w.count)]) == w
    }

    mutating func parseTuple() throws(Failure) -> [Int] {
        try expect("(")
        var values: [Int] = []
        while peek() != ")" {
            var digits = ""
            while i < text.count, ("0"..."9").contains(text[i]) { digits.unicodeScalars.append(text[i]); i += 1 }
            if i < text.count, text[i] == "L" { i += 1 } // Python 2 longs: (3L, 4L)
            guard let v = Int(digits) else { throw Failure(message: "expected a non-negative integer in the shape at character \(i)") }
            values.append(v)
            if peek() == "," { i += 1 } else { break }
        }
        try expect(")")
        return values
    }
}
