/// One dimension of a tensor shape: a number, a named symbol (`batch`), or unknown.
public enum Dimension: Sendable, Hashable, CustomStringConvertible {
    case value(Int64)
    case symbol(String)
    case unknown

    public var description: String {
        switch self {
        case .value(let v): String(v)
        case .symbol(let s): s
        case .unknown: "?"
        }
    }
}

/// The type of a graph value, as far as freezer reads it.
///
/// Tensor types are modelled; sequence, map, optional and opaque types are kept as their encoding.
/// `encoding` holds the type as it was in the file, reused on export while `tensor` is unchanged, so
/// details freezer does not model (dimension denotations, unknown fields) survive a round trip.
public struct ValueType: Sendable, Equatable {
    public var tensor: TensorType?
    /// Human-readable kind when not a tensor (`sequence`, `map`, `optional`, `sparse_tensor`, ...).
    public var otherKind: String?
    public var encoding: Encoded?

    public struct Encoded: Sendable, Equatable {
        public var bytes: [UInt8]
        public var tensorAsRead: TensorType?
        public init(bytes: [UInt8], tensorAsRead: TensorType?) {
            self.bytes = bytes
            self.tensorAsRead = tensorAsRead
        }
    }

    public init(tensor: TensorType) { self.tensor = tensor }
    public init(tensor: TensorType?, otherKind: String?, encoding: Encoded?) {
        self.tensor = tensor
        self.otherKind = otherKind
        self.encoding = encoding
    }

    /// The stored encoding, when the modelled part is still what was read.
    public var reusableEncoding: [UInt8]? {
        guard let encoding, encoding.tensorAsRead == tensor else { return nil }
        return encoding.bytes
    }
}

extension ValueType: CustomStringConvertible {
    public var description: String {
        if let tensor { return tensor.description }
        return otherKind ?? "unknown type"
    }
}

/// A tensor type: element type and, when known, the shape.
public struct TensorType: Sendable, Hashable, CustomStringConvertible {
    public var elementType: ElementType
    /// nil when the rank is unknown.
    public var shape: [Dimension]?
    public init(elementType: ElementType, shape: [Dimension]?) {
        self.elementType = elementType
        self.shape = shape
    }

    public var description: String {
        guard let shape else { return "\(elementType)[rank ?]" }
        return "\(elementType)[\(shape.map(\.description).joined(separator: ","))]"
    }
}

/// A named, typed value declared in a graph's input, output or value_info list.
public struct ValueInfo: Sendable, Equatable {
    public var name: String
    public var type: ValueType?
    public var docString: String
    public var residual: Residual
    public init(name: String, type: ValueType?, docString: String = "", residual: Residual = .none) {
        self.name = name
        self.type = type
        self.docString = docString
        self.residual = residual
    }
}
