/// A tensor value: an initializer, a `Constant` attribute, or test data.
///
/// The payload is never copied on load: inline `raw_data` and external data are slices of memory-mapped
/// files, so only the tensors a pass actually rewrites are ever read.
public struct Tensor: Sendable, Equatable {
    public var name: String
    public var elementType: ElementType
    public var dims: [Int64]
    public var payload: TensorPayload
    public var docString: String
    /// Where the payload was stored outside the model file, if it was. Informational: saving decides anew.
    public var externalSource: ExternalSource?
    public var residual: Residual

    public init(name: String, elementType: ElementType, dims: [Int64], payload: TensorPayload,
                docString: String = "", externalSource: ExternalSource? = nil, residual: Residual = .none) {
        self.name = name
        self.elementType = elementType
        self.dims = dims
        self.payload = payload
        self.docString = docString
        self.externalSource = externalSource
        self.residual = residual
    }

    /// Number of elements from `dims`, or nil when a dim is negative or the product overflows.
    public var elementCount: Int? {
        var n = 1
        for d in dims {
            guard d >= 0, d <= Int64(Int.max) else { return nil }
            let (p, overflow) = n.multipliedReportingOverflow(by: Int(d))
            if overflow { return nil }
            n = p
        }
        return n
    }

    /// Tensors are equal when they hold the same values under the same name and type; where the
    /// payload was stored (`externalSource`) is provenance, not content.
    public static func == (a: Tensor, b: Tensor) -> Bool {
        a.name == b.name && a.elementType == b.elementType && a.dims == b.dims && a.payload == b.payload
            && a.docString == b.docString && a.residual == b.residual
    }

    /// Size of the payload as stored, in bytes (typed fields counted at their element width).
    public var storedByteCount: Int {
        switch payload {
        case .raw(let bytes): bytes.count
        case .fields(let f): f.byteCount
        }
    }
}

/// How a tensor's values are stored.
public enum TensorPayload: Sendable, Equatable {
    /// Little-endian packed values, as in `raw_data` or an external data file.
    case raw(Bytes)
    /// Values in the typed fields of `TensorProto` (`float_data`, `int32_data`, ...), exactly as stored.
    case fields(TypedFields)
}

/// The typed value fields of an ONNX `TensorProto`. Which one holds the values depends on the element
/// type: for example float16 bits live in `int32Data`, one value per entry.
public struct TypedFields: Sendable, Equatable {
    public var floatData: [Float] = []
    public var int32Data: [Int32] = []
    public var stringData: [[UInt8]] = []
    public var int64Data: [Int64] = []
    public var doubleData: [Double] = []
    public var uint64Data: [UInt64] = []
    public init() {}

    var byteCount: Int {
        floatData.count * 4 + int32Data.count * 4 + stringData.reduce(0) { $0 + $1.count }
            + int64Data.count * 8 + doubleData.count * 8 + uint64Data.count * 8
    }
}

/// Where an external tensor was read from: the `location`, `offset` and `length` keys, resolved.
public struct ExternalSource: Sendable, Equatable, Hashable {
    /// The `location` as written in the model, relative to the model's directory.
    public var location: String
    public var offset: Int
    public var length: Int
    public init(location: String, offset: Int, length: Int) {
        self.location = location
        self.offset = offset
        self.length = length
    }
}
