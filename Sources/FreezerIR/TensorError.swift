/// Why a tensor's values cannot be read.
public enum TensorError: Error, Equatable, CustomStringConvertible {
    case invalidDims(tensor: String, dims: [Int64])
    case sizeMismatch(tensor: String, elementType: ElementType, dims: [Int64], expected: Int, actual: Int, field: String)
    case unsupportedElementType(tensor: String, elementType: ElementType, operation: String)

    public var description: String {
        switch self {
        case let .invalidDims(t, dims):
            "tensor '\(t)' has invalid dims \(dims): every dimension must be zero or positive and their product must fit in memory"
        case let .sizeMismatch(t, type, dims, expected, actual, field):
            "tensor '\(t)' (\(type), shape \(dims)) should hold \(expected) \(field == "raw_data" || field == "external data" ? "bytes" : "values") in \(field) but holds \(actual); the file is corrupt or was written by a faulty exporter"
        case let .unsupportedElementType(t, type, op):
            "tensor '\(t)' has element type \(type), which freezer cannot \(op)"
        }
    }
}
