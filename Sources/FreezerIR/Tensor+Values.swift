/// Reading and making tensor values. All readers check that the stored size matches the shape.
extension Tensor {
    private func requireCount() throws(TensorError) -> Int {
        guard let n = elementCount else { throw .invalidDims(tensor: name, dims: dims) }
        return n
    }

    /// The values as little-endian packed bytes, converting from typed fields when needed.
    public func rawBytes() throws(TensorError) -> Bytes {
        let n = try requireCount()
        switch payload {
        case .raw(let bytes):
            guard let expected = elementType.byteCount(elements: n) else {
                throw .unsupportedElementType(tensor: name, elementType: elementType, operation: "read as raw bytes")
            }
            guard bytes.count == expected else {
                throw .sizeMismatch(tensor: name, elementType: elementType, dims: dims, expected: expected,
                                    actual: bytes.count, field: externalSource == nil ? "raw_data" : "external data")
            }
            return bytes
        case .fields(let fields):
            return try packFields(fields, count: n)
        }
    }

    /// Checks that the stored data matches `dims` and the element type, without reading mapped payloads.
    public func checkSize() throws(TensorError) {
        let n = try requireCount()
        switch payload {
        case .raw(let bytes):
            if elementType == .string {
                throw .sizeMismatch(tensor: name, elementType: elementType, dims: dims, expected: 0,
                                    actual: bytes.count, field: "raw_data (strings must use string_data)")
            }
            if let expected = elementType.byteCount(elements: n), bytes.count != expected {
                throw .sizeMismatch(tensor: name, elementType: elementType, dims: dims, expected: expected,
                                    actual: bytes.count, field: externalSource == nil ? "raw_data" : "external data")
            }
        case .fields(let f):
            let (field, count) = Self.typedField(for: elementType, in: f)
            let expected = [ElementType.complex64, .complex128].contains(elementType) ? n * 2 : n
            // Packed sub-byte types keep one packed byte per int32_data entry.
            let perInt32 = elementType.isPacked ? (elementType.byteCount(elements: n) ?? expected) : expected
            if count != perInt32 {
                throw .sizeMismatch(tensor: name, elementType: elementType, dims: dims, expected: perInt32,
                                    actual: count, field: field)
            }
        }
    }

    /// The typed field that holds values of `type`, and how many entries it has.
    static func typedField(for type: ElementType, in f: TypedFields) -> (String, Int) {
        switch type {
        case .float, .complex64: ("float_data", f.floatData.count)
        case .double, .complex128: ("double_data", f.doubleData.count)
        case .int64: ("int64_data", f.int64Data.count)
        case .uint32, .uint64: ("uint64_data", f.uint64Data.count)
        case .string: ("string_data", f.stringData.count)
        default: ("int32_data", f.int32Data.count)
        }
    }

    private func packFields(_ f: TypedFields, count n: Int) throws(TensorError) -> Bytes {
        try checkSize()
        if elementType.isPacked {
            // int4/uint4/float4e2m1/int2/uint2: each int32_data entry is one byte of the packed layout.
            return Bytes(f.int32Data.map { UInt8(truncatingIfNeeded: $0) })
        }
        guard let width = elementType.byteWidth else {
            throw .unsupportedElementType(tensor: name, elementType: elementType, operation: "read as raw bytes")
        }
        var out = [UInt8](repeating: 0, count: n * width)
        out.withUnsafeMutableBytes { p in
            switch elementType {
            case .float, .complex64: for (i, v) in f.floatData.enumerated() { p.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: i * 4, as: UInt32.self) }
            case .double, .complex128: for (i, v) in f.doubleData.enumerated() { p.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: i * 8, as: UInt64.self) }
            case .int64: for (i, v) in f.int64Data.enumerated() { p.storeBytes(of: v.littleEndian, toByteOffset: i * 8, as: Int64.self) }
            case .uint64: for (i, v) in f.uint64Data.enumerated() { p.storeBytes(of: v.littleEndian, toByteOffset: i * 8, as: UInt64.self) }
            case .uint32: for (i, v) in f.uint64Data.enumerated() { p.storeBytes(of: UInt32(truncatingIfNeeded: v).littleEndian, toByteOffset: i * 4, as: UInt32.self) }
            case .int32: for (i, v) in f.int32Data.enumerated() { p.storeBytes(of: v.littleEndian, toByteOffset: i * 4, as: Int32.self) }
            default:
                // int8/uint8/bool/float8 (1 byte) and int16/uint16/float16/bfloat16 (2 bytes): low bits of int32_data.
                for (i, v) in f.int32Data.enumerated() {
                    if width == 1 { p[i] = UInt8(truncatingIfNeeded: v) }
                    else { p.storeBytes(of: UInt16(truncatingIfNeeded: v).littleEndian, toByteOffset: i * 2, as: UInt16.self) }
                }
            }
        }
        return Bytes(out)
    }

    /// The values converted to Double. Works for every real numeric type and bool.
    public func doubles() throws(TensorError) -> [Double] {
        let bytes = try rawBytes()
        let n = try requireCount()
        let type = elementType
        guard type.bitWidth != nil, type != .complex64, type != .complex128, type != .string else {
            throw .unsupportedElementType(tensor: name, elementType: type, operation: "read as numbers")
        }
        return bytes.withUnsafeBytes { p in
            (0..<n).map { i in Self.decodeElement(p, i, type) }
        }
    }

    /// The values converted to Float (float16/bfloat16/float8/float4 widened exactly, float64 rounded).
    public func floats() throws(TensorError) -> [Float] { try doubles().map { Float($0) } }

    /// The values of an integer or bool tensor as Int64.
    public func int64s() throws(TensorError) -> [Int64] {
        guard !elementType.isFloatingPoint else {
            throw .unsupportedElementType(tensor: name, elementType: elementType, operation: "read as integers")
        }
        if elementType == .uint64 {
            let bytes = try rawBytes()
            return bytes.withUnsafeBytes { p in (0..<bytes.count / 8).map { Int64(bitPattern: UInt64(littleEndian: p.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self))) } }
        }
        if elementType == .int64 {
            let bytes = try rawBytes()
            return bytes.withUnsafeBytes { p in (0..<bytes.count / 8).map { Int64(littleEndian: p.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self)) } }
        }
        return try doubles().map { Int64($0) }
    }

    /// Element `i` of packed little-endian data of `type`, as Double. Sub-byte types are read from their
    /// packed layout (element `i` in bits `i·w ..< (i+1)·w` of the byte stream, lowest first).
    @inline(__always)
    public static func decodeElement(_ p: UnsafeRawBufferPointer, _ i: Int, _ type: ElementType) -> Double {
        switch type {
        case .float: Double(Float(bitPattern: UInt32(littleEndian: p.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))))
        case .double: Double(bitPattern: UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)))
        case .float16: Double(HalfPrecision.float(fromHalf: UInt16(littleEndian: p.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self))))
        case .bfloat16: Double(HalfPrecision.float(fromBFloat16: UInt16(littleEndian: p.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self))))
        case .int8: Double(Int8(bitPattern: p[i]))
        case .uint8: Double(p[i])
        case .bool: p[i] == 0 ? 0 : 1
        case .int16: Double(Int16(littleEndian: p.loadUnaligned(fromByteOffset: i * 2, as: Int16.self)))
        case .uint16: Double(UInt16(littleEndian: p.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self)))
        case .int32: Double(Int32(littleEndian: p.loadUnaligned(fromByteOffset: i * 4, as: Int32.self)))
        case .uint32: Double(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))
        case .int64: Double(Int64(littleEndian: p.loadUnaligned(fromByteOffset: i * 8, as: Int64.self)))
        case .uint64: Double(UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)))
        case .float8e4m3fn: Double(MiniFloat.e4m3fn.decode(p[i]))
        case .float8e4m3fnuz: Double(MiniFloat.e4m3fnuz.decode(p[i]))
        case .float8e5m2: Double(MiniFloat.e5m2.decode(p[i]))
        case .float8e5m2fnuz: Double(MiniFloat.e5m2fnuz.decode(p[i]))
        case .float8e8m0: Double(Float8E8M0.decode(p[i]))
        case .float4e2m1: Double(MiniFloat.e2m1.decode(packedBits(p, i, width: 4)))
        case .uint4: Double(packedBits(p, i, width: 4))
        case .int4: Double(Int8(bitPattern: packedBits(p, i, width: 4) << 4) >> 4)
        case .uint2: Double(packedBits(p, i, width: 2))
        case .int2: Double(Int8(bitPattern: packedBits(p, i, width: 2) << 6) >> 6)
        default: .nan
        }
    }

    /// The `width`-bit field of element `i` in a packed byte stream (width 4 or 2).
    @inline(__always)
    static func packedBits(_ p: UnsafeRawBufferPointer, _ i: Int, width: Int) -> UInt8 {
        let perByte = 8 / width
        return (p[i / perByte] >> UInt8((i % perByte) * width)) & UInt8((1 << width) - 1)
    }

    /// ORs `bits` into element `i` of a packed byte stream (which starts zeroed).
    @inline(__always)
    static func storePackedBits(_ bits: UInt8, _ p: UnsafeMutableRawBufferPointer, _ i: Int, width: Int) {
        let perByte = 8 / width
        p[i / perByte] |= (bits & UInt8((1 << width) - 1)) << UInt8((i % perByte) * width)
    }

    /// A tensor of `type` holding `values`, each rounded once to the element type (round to nearest even).
    public static func make(name: String, type: ElementType, dims: [Int64], values: [Double]) -> Tensor {
        let byteCount = type.byteCount(elements: values.count)
        precondition(byteCount != nil && ![ElementType.complex64, .complex128, .string].contains(type),
                     "make(): unsupported element type \(type)")
        var out = [UInt8](repeating: 0, count: byteCount ?? 0)
        out.withUnsafeMutableBytes { p in
            for (i, v) in values.enumerated() { encodeElement(v, p, i, type) }
        }
        return Tensor(name: name, elementType: type, dims: dims, payload: .raw(Bytes(out)))
    }

    /// Stores `v` as element `i` of packed little-endian data of `type`, rounded once (round to nearest
    /// even for floating point; integers truncate and clamp). The float8/float4 types round without
    /// saturating, so that every value of the type (infinity and NaN too) is stored as it is; float8e8m0
    /// rounds up. Sub-byte types are ORed into their packed byte, so the buffer must start zeroed. Other
    /// types are left as zero bytes.
    @inline(__always)
    public static func encodeElement(_ v: Double, _ p: UnsafeMutableRawBufferPointer, _ i: Int, _ type: ElementType) {
        switch type {
        case .float: p.storeBytes(of: Float(v).bitPattern.littleEndian, toByteOffset: i * 4, as: UInt32.self)
        case .double: p.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: i * 8, as: UInt64.self)
        case .float16: p.storeBytes(of: HalfPrecision.half(fromDouble: v).littleEndian, toByteOffset: i * 2, as: UInt16.self)
        case .bfloat16: p.storeBytes(of: HalfPrecision.bfloat16(fromDouble: v).littleEndian, toByteOffset: i * 2, as: UInt16.self)
        case .int8: p[i] = UInt8(bitPattern: Int8(clamping: saturatingInt64(v)))
        case .uint8: p[i] = UInt8(clamping: saturatingInt64(v))
        case .bool: p[i] = v != 0 ? 1 : 0
        case .int16: p.storeBytes(of: Int16(clamping: saturatingInt64(v)).littleEndian, toByteOffset: i * 2, as: Int16.self)
        case .uint16: p.storeBytes(of: UInt16(clamping: saturatingInt64(v)).littleEndian, toByteOffset: i * 2, as: UInt16.self)
        case .int32: p.storeBytes(of: Int32(clamping: saturatingInt64(v)).littleEndian, toByteOffset: i * 4, as: Int32.self)
        case .uint32: p.storeBytes(of: UInt32(clamping: saturatingInt64(v)).littleEndian, toByteOffset: i * 4, as: UInt32.self)
        case .int64: p.storeBytes(of: saturatingInt64(v).littleEndian, toByteOffset: i * 8, as: Int64.self)
        case .uint64:
            let u: UInt64 = v.isNaN || v <= 0 ? 0 : v >= 0x1p64 ? .max : UInt64(v.rounded(.towardZero))
            p.storeBytes(of: u.littleEndian, toByteOffset: i * 8, as: UInt64.self)
        case .float8e4m3fn: p[i] = MiniFloat.e4m3fn.encode(v, saturate: false)
        case .float8e4m3fnuz: p[i] = MiniFloat.e4m3fnuz.encode(v, saturate: false)
        case .float8e5m2: p[i] = MiniFloat.e5m2.encode(v, saturate: false)
        case .float8e5m2fnuz: p[i] = MiniFloat.e5m2fnuz.encode(v, saturate: false)
        case .float8e8m0: p[i] = Float8E8M0.encode(v, saturate: true, roundMode: .up)
        case .float4e2m1: storePackedBits(MiniFloat.e2m1.encode(v, saturate: false), p, i, width: 4)
        case .uint4, .int4, .uint2, .int2:
            let range = type.packedIntegerRange ?? 0...0
            let n = v.isNaN ? 0 : min(max(v.rounded(.towardZero), Double(range.lowerBound)), Double(range.upperBound))
            storePackedBits(UInt8(truncatingIfNeeded: Int64(n)), p, i, width: type.bitWidth ?? 8)
        default: break
        }
    }

    /// `v` toward zero, saturated to Int64's range; NaN is 0 (no trap on values a fold or a test supplies).
    @inline(__always)
    static func saturatingInt64(_ v: Double) -> Int64 {
        if v.isNaN { return 0 }
        if v >= 0x1p63 { return .max }
        if v < -0x1p63 { return .min }
        return Int64(v.rounded(.towardZero))
    }

    /// An int64 tensor holding `values` exactly (Double cannot hold every int64).
    public static func makeInt64(name: String, dims: [Int64], values: [Int64]) -> Tensor {
        var out = [UInt8](repeating: 0, count: values.count * 8)
        out.withUnsafeMutableBytes { p in
            for (i, v) in values.enumerated() { p.storeBytes(of: v.littleEndian, toByteOffset: i * 8, as: Int64.self) }
        }
        return Tensor(name: name, elementType: .int64, dims: dims, payload: .raw(Bytes(out)))
    }
}
