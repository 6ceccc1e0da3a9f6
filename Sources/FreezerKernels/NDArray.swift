import CFreezerKernels
import FreezerIR

/// A runtime tensor of the reference evaluator: a shape and contiguous row-major values.
///
/// Values are held in one of five computation types. float16, bfloat16 and the float8/float4 formats are
/// held in Float and rounded to their own precision whenever a node produces them; every integer type
/// (int4, uint4, int2 and uint2 too) is held as Int64 (uint64 as its bit pattern). `elementType`
/// remembers the ONNX type the values stand for.
public struct NDArray: Sendable, Equatable, CustomStringConvertible {
    public var elementType: ElementType
    public var shape: [Int]
    public var storage: Storage

    public enum Storage: Sendable, Equatable {
        case float([Float])
        case double([Double])
        case int([Int64])
        case bool([Bool])
        case string([String])

        var count: Int {
            switch self {
            case .float(let v): v.count
            case .double(let v): v.count
            case .int(let v): v.count
            case .bool(let v): v.count
            case .string(let v): v.count
            }
        }
    }

    /// The computation type that holds values of `type`.
    public enum Kind: Sendable { case float, double, int, bool, string }

    /// The element types the evaluator holds and computes with: one rule, used when tensors are read
    /// and by anything that decides beforehand whether a model can be evaluated.
    public static let supportedElementTypes: Set<ElementType> = [
        .float, .float16, .bfloat16, .double, .int8, .int16, .int32, .int64,
        .uint8, .uint16, .uint32, .uint64, .bool, .string,
        .float8e4m3fn, .float8e4m3fnuz, .float8e5m2, .float8e5m2fnuz, .float8e8m0, .float4e2m1,
        .uint4, .int4, .uint2, .int2,
    ]

    public static func kind(of type: ElementType) -> Kind {
        switch type {
        case .float, .float16, .bfloat16, .float8e4m3fn, .float8e4m3fnuz, .float8e5m2, .float8e5m2fnuz,
             .float8e8m0, .float4e2m1: .float
        case .double: .double
        case .bool: .bool
        case .string: .string
        default: .int
        }
    }

    public init(elementType: ElementType, shape: [Int], storage: Storage) {
        precondition(storage.count == shape.reduce(1, *), "NDArray: \(storage.count) values for shape \(shape)")
        self.elementType = elementType
        self.shape = shape
        self.storage = storage
    }

    public init(floats: [Float], shape: [Int], type: ElementType = .float) {
        self.init(elementType: type, shape: shape, storage: .float(floats))
    }

    public init(doubles: [Double], shape: [Int]) {
        self.init(elementType: .double, shape: shape, storage: .double(doubles))
    }

    public init(ints: [Int64], shape: [Int], type: ElementType = .int64) {
        self.init(elementType: type, shape: shape, storage: .int(ints))
    }

    public init(bools: [Bool], shape: [Int]) {
        self.init(elementType: .bool, shape: shape, storage: .bool(bools))
    }

    public init(strings: [String], shape: [Int]) {
        self.init(elementType: .string, shape: shape, storage: .string(strings))
    }

    /// A scalar (rank 0) of `type` with value `v`.
    public static func scalar(_ v: Double, type: ElementType) -> NDArray {
        NDArray.filled(v, shape: [], type: type)
    }

    /// A tensor of `shape` with every element `v`, in `type`.
    public static func filled(_ v: Double, shape: [Int], type: ElementType) -> NDArray {
        let n = shape.reduce(1, *)
        switch kind(of: type) {
        case .float: return NDArray(elementType: type, shape: shape, storage: .float([Float](repeating: Float(v), count: n))).rounded()
        case .double: return NDArray(elementType: type, shape: shape, storage: .double([Double](repeating: v, count: n)))
        case .int: return NDArray(elementType: type, shape: shape, storage: .int([Int64](repeating: Int64(v), count: n)))
        case .bool: return NDArray(elementType: type, shape: shape, storage: .bool([Bool](repeating: v != 0, count: n)))
        case .string: return NDArray(elementType: type, shape: shape, storage: .string([String](repeating: "", count: n)))
        }
    }

    public var count: Int { storage.count }
    public var rank: Int { shape.count }
    public var kind: Kind { Self.kind(of: elementType) }

    /// Row-major strides in elements.
    public var strides: [Int] { NDArray.strides(of: shape) }

    public static func strides(of shape: [Int]) -> [Int] {
        var s = [Int](repeating: 1, count: shape.count)
        var acc = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            s[i] = acc
            acc *= shape[i]
        }
        return s
    }

    public var floats: [Float] {
        get { if case .float(let v) = storage { return v }; preconditionFailure("NDArray holds \(elementType), not float") }
        set { storage = .float(newValue) }
    }
    public var doubles: [Double] {
        get { if case .double(let v) = storage { return v }; preconditionFailure("NDArray holds \(elementType), not double") }
        set { storage = .double(newValue) }
    }
    public var ints: [Int64] {
        get { if case .int(let v) = storage { return v }; preconditionFailure("NDArray holds \(elementType), not an integer type") }
        set { storage = .int(newValue) }
    }
    public var bools: [Bool] {
        get { if case .bool(let v) = storage { return v }; preconditionFailure("NDArray holds \(elementType), not bool") }
        set { storage = .bool(newValue) }
    }
    public var strings: [String] {
        get { if case .string(let v) = storage { return v }; preconditionFailure("NDArray holds \(elementType), not string") }
        set { storage = .string(newValue) }
    }

    /// Every value as Double (strings are not numbers: NaN).
    public var asDoubles: [Double] {
        switch storage {
        case .float(let v): v.map(Double.init)
        case .double(let v): v
        case .int(let v): elementType == .uint64 ? v.map { Double(UInt64(bitPattern: $0)) } : v.map(Double.init)
        case .bool(let v): v.map { $0 ? 1 : 0 }
        case .string(let v): v.map { _ in .nan }
        }
    }

    /// Every value as Int64 (floating values truncated toward zero).
    public var asInts: [Int64] {
        switch storage {
        case .int(let v): v
        case .bool(let v): v.map { $0 ? 1 : 0 }
        default: asDoubles.map { $0.isFinite ? Int64(clamping: Int64(exactly: $0.rounded(.towardZero)) ?? ($0 < 0 ? .min : .max)) : 0 }
        }
    }

    /// Values rounded to the precision of `elementType` (float16/bfloat16 and the float8/float4 formats to
    /// nearest even, beyond the range to infinity or NaN as the format has them: saturation is Cast's and
    /// QuantizeLinear's choice, made by them; float8e8m0 rounds up; other types unchanged). Values of
    /// the type are unchanged, infinities and NaN included.
    public func rounded() -> NDArray {
        guard elementType != .float, case .float(var v) = storage else { return self }
        if let format = MiniFloat.format(of: elementType) {
            for i in v.indices { v[i] = format.rounded(Double(v[i]), saturate: false) }
        } else if elementType == .float8e8m0 {
            for i in v.indices { v[i] = Float8E8M0.decode(Float8E8M0.encode(Double(v[i]), saturate: true, roundMode: .up)) }
        } else if elementType != .float16 && elementType != .bfloat16 {
            return self
        } else if elementType == .float16 && NativeKernels.isAvailable {
            v.withUnsafeMutableBufferPointer { if let base = $0.baseAddress { fz_round_to_half(base, $0.count) } }
        } else if elementType == .float16 {
            for i in v.indices { v[i] = HalfPrecision.float(fromHalf: HalfPrecision.half(fromDouble: Double(v[i]))) }
        } else {
            for i in v.indices { v[i] = HalfPrecision.float(fromBFloat16: HalfPrecision.bfloat16(fromDouble: Double(v[i]))) }
        }
        var r = self
        r.storage = .float(v)
        return r
    }

    /// Same values, new shape (element counts must match).
    public func reshaped(_ newShape: [Int]) -> NDArray {
        NDArray(elementType: elementType, shape: newShape, storage: storage)
    }

    public var description: String { "\(elementType)\(shape)" }
}
