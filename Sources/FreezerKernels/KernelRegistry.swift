import FreezerIR

/// Computes a node's outputs from its inputs. Returns one entry per declared output (nil: not produced).
public typealias Kernel = (KernelContext) throws -> [NDArray?]

/// A kernel that reads or produces sequences and optionals (see `RuntimeValue`): returns one entry per
/// declared output (nil: not produced). Only the operators that handle non-tensor values are written so.
public typealias ValueKernel = (KernelContext) throws -> [RuntimeValue?]

/// A registered kernel: most compute tensors from tensors; a few take or produce any value.
public enum RegisteredKernel {
    case tensors(Kernel)
    case values(ValueKernel)

    /// Runs the kernel: its outputs as values, whichever kind it is.
    func callAsFunction(_ context: KernelContext) throws -> [RuntimeValue?] {
        switch self {
        case .tensors(let kernel): try kernel(context).map { $0.map(RuntimeValue.tensor) }
        case .values(let kernel): try kernel(context)
        }
    }
}

/// The operators the evaluator implements, by domain, op type and the opset versions each covers.
///
/// Built once from an immutable list of operator families (see `KernelRegistry.standard`); lookups are
/// by the opset version in effect for the node, so an operator whose semantics changed between
/// versions can register one kernel per version range.
public struct KernelRegistry: Sendable {
    struct Entry: @unchecked Sendable {
        var versions: ClosedRange<Int64>
        var kernel: RegisteredKernel
    }
    private var table: [String: [Entry]] = [:]

    public init() {}

    static func key(_ domain: String, _ op: String) -> String {
        let d = Domain.key(domain)
        return d.isEmpty ? op : "\(d)::\(op)"
    }

    /// Registers `kernel` for `op` in `domain` at opset versions `versions`.
    public mutating func register(_ op: String, domain: String = "", versions: ClosedRange<Int64> = 1...Int64.max,
                                  _ kernel: @escaping Kernel) {
        table[Self.key(domain, op), default: []].append(Entry(versions: versions, kernel: .tensors(kernel)))
    }

    /// Registers `kernel`, which takes or produces sequences or optionals, for `op` in `domain` at opset
    /// versions `versions`.
    public mutating func registerValues(_ op: String, domain: String = "", versions: ClosedRange<Int64> = 1...Int64.max,
                                        _ kernel: @escaping ValueKernel) {
        table[Self.key(domain, op), default: []].append(Entry(versions: versions, kernel: .values(kernel)))
    }

    /// The kernel for a node, or nil when unsupported at its opset version.
    public func kernel(domain: String, op: String, version: Int64?) -> RegisteredKernel? {
        guard let entries = table[Self.key(domain, op)] else { return nil }
        // A node in an imported domain always has a version; treat unknown as the newest.
        let v = version ?? Int64.max
        return entries.last { $0.versions.contains(v) }?.kernel
    }

    /// `domain::Op` names of everything registered, sorted, for error messages and docs.
    public var supportedOperators: [String] { table.keys.sorted() }
}
