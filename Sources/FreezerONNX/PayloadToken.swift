import FreezerIR

/// A 24-byte stand-in for a tensor payload inside a protobuf message: magic, a per-run nonce, an index.
///
/// On load, large `raw_data` fields are replaced by tokens before the protobuf decoder sees the bytes, so
/// it copies 24 bytes instead of the payload; the IR then refers to the payload in the mapped file. On
/// save, tokens mark where payloads are spliced back while streaming. The nonce makes a collision with a
/// real 24-byte `raw_data` a 2^-64 event per tensor; tokens never reach a written file.
struct PayloadToken {
    static let magic: [UInt8] = Array("\u{0}FRZLIFT".utf8)
    static let size = 24
    let nonce: UInt64

    init() { nonce = UInt64.random(in: 1...UInt64.max) }

    func encode(_ index: Int) -> [UInt8] {
        var bytes = Self.magic
        withUnsafeBytes(of: nonce.littleEndian) { bytes += $0 }
        withUnsafeBytes(of: UInt64(index).littleEndian) { bytes += $0 }
        return bytes
    }

    /// The index a token encodes, or nil when `bytes` is not one of this run's tokens.
    func decode(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard bytes.count == Self.size else { return nil }
        for k in 0..<8 where bytes[k] != Self.magic[k] { return nil }
        guard UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) == nonce else { return nil }
        return Int(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self)))
    }
}

/// Rewrites a serialized model so that every `raw_data` of at least `threshold` bytes becomes a token,
/// recording where each payload lives in the original bytes. Validates the wire format on the way.
struct PayloadLifter {
    let buffer: UnsafeRawBufferPointer
    let token: PayloadToken
    var threshold = 64
    private(set) var lifted: [Range<Int>] = []
    static let maxDepth = 100

    init(buffer: UnsafeRawBufferPointer, token: PayloadToken) {
        self.buffer = buffer
        self.token = token
    }

    mutating func rewriteModel() throws(WireFormatError) -> [UInt8] {
        try rewrite(.model, 0..<buffer.count, depth: 0)
    }

    private mutating func rewrite(_ kind: WireMessage, _ range: Range<Int>, depth: Int) throws(WireFormatError) -> [UInt8] {
        guard depth < Self.maxDepth else {
            throw WireFormatError(offset: range.lowerBound, problem: "messages nested more than \(Self.maxDepth) deep")
        }
        var out = WireWriter()
        var reader = WireReader(buffer, from: range.lowerBound, to: range.upperBound)
        var copyStart = reader.position
        while !reader.atEnd {
            let fieldStart = reader.position
            let (field, wireType) = try reader.tag()
            guard wireType == 2 else { _ = try reader.skipValue(wireType); continue }
            let payload = try reader.skipValue(2)!
            if kind == .tensor && field == WireMessage.rawDataField {
                guard payload.count >= threshold else { continue }
                out.append(buffer, copyStart..<fieldStart)
                out.tag(field, 2)
                out.varint(UInt64(PayloadToken.size))
                out.bytes += token.encode(lifted.count)
                lifted.append(payload)
                copyStart = reader.position
            } else if let child = kind.child(field), child.isImportedAsIR {
                let before = lifted.count
                let inner = try rewrite(child, payload, depth: depth + 1)
                if lifted.count == before { continue } // unchanged: stays in the verbatim span
                out.append(buffer, copyStart..<fieldStart)
                out.tag(field, 2)
                out.varint(UInt64(inner.count))
                out.bytes += inner
                copyStart = reader.position
            }
        }
        out.append(buffer, copyStart..<range.upperBound)
        return out.bytes
    }
}

/// Streams a serialized model to a sink, replacing each token by its payload and fixing the lengths of
/// every enclosing message. Payload bytes go from their storage (often a mapped file) straight out.
struct PayloadExpander {
    let buffer: UnsafeRawBufferPointer
    let token: PayloadToken
    let payloads: [Bytes]

    func expandedSize() -> Int { size(.model, 0..<buffer.count) }

    func emit(to sink: ByteSink) throws {
        try emit(.model, 0..<buffer.count, sink)
    }

    private func tokenIndex(_ kind: WireMessage, _ field: UInt64, _ payload: Range<Int>) -> Int? {
        guard kind == .tensor, field == WireMessage.rawDataField, payload.count == PayloadToken.size else { return nil }
        return token.decode(UnsafeRawBufferPointer(rebasing: buffer[payload]))
    }

    // The buffer was produced by our own encoder, so the wire format is trusted here.
    private func size(_ kind: WireMessage, _ range: Range<Int>) -> Int {
        var total = 0
        var reader = WireReader(buffer, from: range.lowerBound, to: range.upperBound)
        while !reader.atEnd {
            let fieldStart = reader.position
            let (field, wireType) = try! reader.tag()
            let payload = try! reader.skipValue(wireType)
            guard wireType == 2, let payload else { total += reader.position - fieldStart; continue }
            let tagSize = WireWriter.varintSize(field << 3 | 2)
            if let index = tokenIndex(kind, field, payload) {
                let n = payloads[index].count
                total += tagSize + WireWriter.varintSize(UInt64(n)) + n
            } else if let child = kind.child(field) {
                let n = size(child, payload)
                total += tagSize + WireWriter.varintSize(UInt64(n)) + n
            } else {
                total += reader.position - fieldStart
            }
        }
        return total
    }

    private func emit(_ kind: WireMessage, _ range: Range<Int>, _ sink: ByteSink) throws {
        var reader = WireReader(buffer, from: range.lowerBound, to: range.upperBound)
        var copyStart = reader.position
        while !reader.atEnd {
            let fieldStart = reader.position
            let (field, wireType) = try! reader.tag()
            let payload = try! reader.skipValue(wireType)
            guard wireType == 2, let payload else { continue }
            var header = WireWriter()
            if let index = tokenIndex(kind, field, payload) {
                try sink.write(UnsafeRawBufferPointer(rebasing: buffer[copyStart..<fieldStart]))
                header.tag(field, 2)
                header.varint(UInt64(payloads[index].count))
                try header.bytes.withUnsafeBytes { try sink.write($0) }
                // Slice by slice: a payload mapped from a file need not stay resident once written, and a
                // gigabyte one must not become resident as a whole while it is written.
                for (_, piece) in payloads[index].slices(of: ModelSaver.residentSlice) {
                    try piece.withUnsafeBytes { try sink.write($0) }
                    piece.dropResidentPages()
                }
                copyStart = reader.position
            } else if let child = kind.child(field) {
                let n = size(child, payload)
                if n == payload.count && !containsToken(child, payload) { continue }
                try sink.write(UnsafeRawBufferPointer(rebasing: buffer[copyStart..<fieldStart]))
                header.tag(field, 2)
                header.varint(UInt64(n))
                try header.bytes.withUnsafeBytes { try sink.write($0) }
                try emit(child, payload, sink)
                copyStart = reader.position
            }
        }
        try sink.write(UnsafeRawBufferPointer(rebasing: buffer[copyStart..<range.upperBound]))
    }

    private func containsToken(_ kind: WireMessage, _ range: Range<Int>) -> Bool {
        var reader = WireReader(buffer, from: range.lowerBound, to: range.upperBound)
        while !reader.atEnd {
            let (field, wireType) = try! reader.tag()
            let payload = try! reader.skipValue(wireType)
            guard wireType == 2, let payload else { continue }
            if tokenIndex(kind, field, payload) != nil { return true }
            if let child = kind.child(field), containsToken(child, payload) { return true }
        }
        return false
    }
}
