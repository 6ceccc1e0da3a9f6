import CFreezerKernels
import FreezerIR

extension NDArray {
    /// The values of an IR tensor, converted to the computation type of its element type.
    public init(_ tensor: Tensor) throws(EvaluationError) {
        guard let n = tensor.elementCount else { throw .invalidTensor(name: tensor.name, reason: "invalid dims \(tensor.dims)") }
        let shape = tensor.dims.map { Int($0) }
        do {
            switch Self.kind(of: tensor.elementType) {
            case .float where tensor.elementType.isLowPrecisionFloat:
                // Every float8/float4 value is a Float: widened exactly.
                self.init(elementType: tensor.elementType, shape: shape, storage: .float(try tensor.floats()))
            case .float:
                self.init(elementType: tensor.elementType, shape: shape, storage: .float(try Self.readFloats(tensor, n)))
            case .double:
                self.init(elementType: .double, shape: shape, storage: .double(try tensor.doubles()))
            case .int:
                guard Self.supportedElementTypes.contains(tensor.elementType) else {
                    throw EvaluationError.unsupportedType(tensor.elementType, context: "tensor '\(tensor.name)'")
                }
                self.init(elementType: tensor.elementType, shape: shape, storage: .int(try tensor.int64s()))
            case .bool:
                self.init(elementType: .bool, shape: shape, storage: .bool(try tensor.doubles().map { $0 != 0 }))
            case .string:
                guard case .fields(let f) = tensor.payload, f.stringData.count == n else {
                    throw EvaluationError.invalidTensor(name: tensor.name, reason: "string tensor without \(n) string_data entries")
                }
                self.init(elementType: .string, shape: shape, storage: .string(f.stringData.map { String(decoding: $0, as: UTF8.self) }))
            }
        } catch let error as TensorError {
            throw .invalidTensor(name: tensor.name, reason: error.description)
        } catch let error as EvaluationError {
            throw error
        } catch {
            throw .invalidTensor(name: tensor.name, reason: "\(error)")
        }
    }

    /// The values of an IR tensor as `precision` holds them: under `float64`, float16, bfloat16 and
    /// float32 payloads are decoded straight into Double (no intermediate Float array of a large weight).
    public init(_ tensor: Tensor, precision: Precision) throws(EvaluationError) {
        guard precision == .float64, [ElementType.float, .float16, .bfloat16].contains(tensor.elementType) else {
            self = precision.adopt(try NDArray(tensor))
            return
        }
        guard let n = tensor.elementCount else { throw .invalidTensor(name: tensor.name, reason: "invalid dims \(tensor.dims)") }
        do {
            let values = try Self.decode(tensor, n) { Double($0) }
            self.init(elementType: .double, shape: tensor.dims.map { Int($0) }, storage: .double(values))
        } catch {
            throw .invalidTensor(name: tensor.name, reason: "\(error)")
        }
    }

    /// float32, float16 and bfloat16 payloads are read straight from their bytes, without a round trip
    /// through a Double array.
    private static func readFloats(_ tensor: Tensor, _ n: Int) throws -> [Float] {
        #if _endian(little)
        // float32 read as float32 is its stored bytes themselves: one copy at memory speed.
        if tensor.elementType == .float {
            let bytes = try tensor.rawBytes()
            return [Float](unsafeUninitializedCapacity: n) { buffer, initialized in
                HugePages.advise(buffer)
                bytes.withUnsafeBytes { raw in
                    if n > 0 { UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: raw.baseAddress!, byteCount: n * 4) }
                }
                initialized = n
            }
        }
        #endif
        return try decode(tensor, n) { $0 }
    }

    /// Decodes the `n` float32/float16/bfloat16 values of `tensor` from its packed bytes (float16 with the
    /// CPU's conversion instructions where freezer's C kernels run, in chunks, so no second array of the
    /// whole weight is made).
    private static func decode<T>(_ tensor: Tensor, _ n: Int, _ convert: (Float) -> T) throws -> [T] {
        let bytes = try tensor.rawBytes()
        let type = tensor.elementType
        return [T](unsafeUninitializedCapacity: n) { buffer, initialized in
            HugePages.advise(buffer)
            bytes.withUnsafeBytes { raw in
                switch type {
                case .float16 where NativeKernels.isAvailable:
                    var chunk = [Float](repeating: 0, count: 4096)
                    var start = 0
                    while start < n {
                        let count = min(4096, n - start)
                        chunk.withUnsafeMutableBufferPointer { c in
                            fz_half_to_float(raw.baseAddress!.advanced(by: start * 2).assumingMemoryBound(to: UInt16.self), c.baseAddress!, count)
                        }
                        for i in 0..<count { buffer[start + i] = convert(chunk[i]) }
                        start += count
                    }
                case .float16:
                    for i in 0..<n { buffer[i] = convert(HalfPrecision.float(fromHalf: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self)))) }
                case .bfloat16:
                    for i in 0..<n { buffer[i] = convert(HalfPrecision.float(fromBFloat16: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self)))) }
                default:
                    for i in 0..<n { buffer[i] = convert(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))) }
                }
            }
            initialized = n
        }
    }

    /// An IR tensor holding these values in `elementType`.
    public func tensor(name: String) -> Tensor {
        let dims = shape.map(Int64.init)
        switch storage {
        case .float(let v) where elementType == .float:
            var bytes = [UInt8](repeating: 0, count: v.count * 4)
            bytes.withUnsafeMutableBytes { p in
                for (i, x) in v.enumerated() { p.storeBytes(of: x.bitPattern.littleEndian, toByteOffset: i * 4, as: UInt32.self) }
            }
            return Tensor(name: name, elementType: .float, dims: dims, payload: .raw(Bytes(bytes)))
        case .int(let v) where elementType == .int64:
            return Tensor.makeInt64(name: name, dims: dims, values: v)
        case .int(let v) where elementType == .uint64:
            return Tensor.makeInt64(name: name, dims: dims, values: v).with(type: .uint64)
        case .string(let v):
            var f = TypedFields()
            f.stringData = v.map { Array($0.utf8) }
            return Tensor(name: name, elementType: .string, dims: dims, payload: .fields(f))
        default:
            return Tensor.make(name: name, type: elementType, dims: dims, values: asDoubles)
        }
    }
}

extension Tensor {
    /// The same bytes under another element type of the same width.
    func with(type: ElementType) -> Tensor {
        var t = self
        t.elementType = type
        return t
    }
}
