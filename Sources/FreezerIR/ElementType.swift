/// The element type of a tensor, by its ONNX `TensorProto.DataType` number.
///
/// A struct rather than an enum so that a model using a type newer than freezer still loads and
/// round-trips; `isKnown` tells whether freezer can interpret the values.
public struct ElementType: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let undefined = ElementType(rawValue: 0)
    public static let float = ElementType(rawValue: 1)
    public static let uint8 = ElementType(rawValue: 2)
    public static let int8 = ElementType(rawValue: 3)
    public static let uint16 = ElementType(rawValue: 4)
    public static let int16 = ElementType(rawValue: 5)
    public static let int32 = ElementType(rawValue: 6)
    public static let int64 = ElementType(rawValue: 7)
    public static let string = ElementType(rawValue: 8)
    public static let bool = ElementType(rawValue: 9)
    public static let float16 = ElementType(rawValue: 10)
    public static let double = ElementType(rawValue: 11)
    public static let uint32 = ElementType(rawValue: 12)
    public static let uint64 = ElementType(rawValue: 13)
    public static let complex64 = ElementType(rawValue: 14)
    public static let complex128 = ElementType(rawValue: 15)
    public static let bfloat16 = ElementType(rawValue: 16)
    public static let float8e4m3fn = ElementType(rawValue: 17)
    public static let float8e4m3fnuz = ElementType(rawValue: 18)
    public static let float8e5m2 = ElementType(rawValue: 19)
    public static let float8e5m2fnuz = ElementType(rawValue: 20)
    public static let uint4 = ElementType(rawValue: 21)
    public static let int4 = ElementType(rawValue: 22)
    public static let float4e2m1 = ElementType(rawValue: 23)
    public static let float8e8m0 = ElementType(rawValue: 24)
    public static let uint2 = ElementType(rawValue: 25)
    public static let int2 = ElementType(rawValue: 26)

    private static let names: [Int32: String] = [
        0: "undefined", 1: "float32", 2: "uint8", 3: "int8", 4: "uint16", 5: "int16", 6: "int32",
        7: "int64", 8: "string", 9: "bool", 10: "float16", 11: "float64", 12: "uint32", 13: "uint64",
        14: "complex64", 15: "complex128", 16: "bfloat16", 17: "float8e4m3fn", 18: "float8e4m3fnuz",
        19: "float8e5m2", 20: "float8e5m2fnuz", 21: "uint4", 22: "int4", 23: "float4e2m1", 24: "float8e8m0",
        25: "uint2", 26: "int2",
    ]

    /// numpy-style name (`float32`, `int64`, ...), or `type(N)` for a number freezer does not know.
    public var description: String { Self.names[rawValue] ?? "type(\(rawValue))" }

    public var isKnown: Bool { Self.names[rawValue] != nil && self != .undefined }

    /// Bytes per element in `raw_data`; nil for strings, sub-byte types and unknown types.
    public var byteWidth: Int? {
        switch rawValue {
        case 2, 3, 9, 17, 18, 19, 20, 24: 1
        case 4, 5, 10, 16: 2
        case 1, 6, 12: 4
        case 7, 11, 13, 14: 8
        case 15: 16
        default: nil
        }
    }

    /// Bits per element. The packed types store several elements per byte, the first in the lowest
    /// bits: two for the 4-bit types, four for the 2-bit types (ONNX IR "packed" sub-byte layout).
    public var bitWidth: Int? {
        if let w = byteWidth { return w * 8 }
        if [21, 22, 23].contains(rawValue) { return 4 }
        return [25, 26].contains(rawValue) ? 2 : nil
    }

    /// Whether elements are narrower than a byte and packed several to a byte.
    public var isPacked: Bool { (bitWidth ?? 8) < 8 }

    public var isFloatingPoint: Bool { [1, 10, 11, 16, 17, 18, 19, 20, 23, 24].contains(rawValue) }

    /// The 8-bit and 4-bit floating-point formats (float8e4m3fn, float8e4m3fnuz, float8e5m2,
    /// float8e5m2fnuz, float8e8m0, float4e2m1): values held as Float, rounded to the format.
    public var isLowPrecisionFloat: Bool { (17...20).contains(rawValue) || rawValue == 23 || rawValue == 24 }

    /// The value range of the integer types narrower than a byte (int4, uint4, int2, uint2).
    public var packedIntegerRange: ClosedRange<Int64>? {
        switch rawValue {
        case 21: 0...15
        case 22: -8...7
        case 25: 0...3
        case 26: -2...1
        default: nil
        }
    }

    public static func < (a: ElementType, b: ElementType) -> Bool { a.rawValue < b.rawValue }

    /// Bytes that `count` elements take in `raw_data`, or nil when the type has no fixed width.
    public func byteCount(elements count: Int) -> Int? {
        guard let bits = bitWidth else { return nil }
        let (product, overflow) = count.multipliedReportingOverflow(by: bits)
        return overflow ? nil : (product + 7) / 8
    }
}
