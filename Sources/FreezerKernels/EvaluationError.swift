import FreezerIR

/// Why the reference evaluator cannot run a model or a node. Messages name the node, its operator and
/// the input or attribute at fault.
public enum EvaluationError: Error, Equatable, CustomStringConvertible {
    case unsupportedOperators([UnsupportedOperator], supported: [String])
    case missingInput(name: String, expected: [String])
    case unexpectedInput(name: String, expected: [String])
    case inputMismatch(name: String, expected: String, actual: String)
    case unknownOutput(name: String, available: [String])
    case invalidTensor(name: String, reason: String)
    case unsupportedType(ElementType, context: String)
    /// A node failed: its inputs or attributes are not what the operator accepts.
    case node(name: String, opType: String, reason: String)
    case cycle(String)
    /// The operator is supported but not this use of it (a mode, attribute value or type), named.
    case unsupportedFeature(node: String, opType: String, feature: String)
    /// The machine's available memory fell below the reserve while evaluating (`MemoryGuard`).
    case outOfMemory(node: String, availableBytes: Int, residentBytes: Int, reserveBytes: Int, samples: Int)

    public struct UnsupportedOperator: Sendable, Equatable, Hashable, CustomStringConvertible {
        public var domain: String
        public var opType: String
        public var version: Int64?
        public var description: String {
            "\(Domain.displayName(domain))::\(opType) (opset \(version.map(String.init) ?? "not imported"))"
        }
    }

    public var description: String {
        switch self {
        case let .unsupportedOperators(ops, supported):
            "the reference evaluator does not support \(ops.map(\.description).joined(separator: ", ")). Supported operators: \(supported.joined(separator: ", "))"
        case let .missingInput(name, expected):
            "no value given for graph input '\(name)'; the model needs: \(expected.joined(separator: ", "))"
        case let .unexpectedInput(name, expected):
            "'\(name)' is not an input of the model; its inputs are: \(expected.joined(separator: ", "))"
        case let .inputMismatch(name, expected, actual):
            "input '\(name)' should be \(expected) but is \(actual)"
        case let .unknownOutput(name, available):
            "'\(name)' is not a value of the model; outputs are: \(available.joined(separator: ", "))"
        case let .invalidTensor(name, reason):
            "tensor '\(name)' cannot be used: \(reason)"
        case let .unsupportedType(type, context):
            "element type \(type) is not supported by the reference evaluator (\(context))"
        case let .node(name, op, reason):
            "node '\(name)' (\(op)): \(reason)"
        case let .cycle(what):
            "cannot evaluate: \(what)"
        case let .unsupportedFeature(node, op, feature):
            "node '\(node)' (\(op)): \(feature) is not supported by the reference evaluator"
        case let .outOfMemory(node, available, resident, reserve, samples):
            "memory is running out: after node '\(node)' only \(MemoryGuard.text(available)) are available (this process holds \(MemoryGuard.text(resident)); at least \(MemoryGuard.text(reserve)) must stay free), evaluating \(samples) sample\(samples == 1 ? "" : "s") together. Stopped before the system would kill the process; nothing was written. "
                + (samples == 1 ? "Verify on smaller inputs (--input-shape), or on a machine with more memory" : "Verify with fewer samples (--samples), or on a machine with more memory")
        }
    }
}
