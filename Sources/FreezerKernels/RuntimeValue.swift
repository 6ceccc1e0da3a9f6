import FreezerIR

/// A value of the reference evaluator: a tensor, a sequence of tensors, or an optional of either.
///
/// Nearly every value of a model is a tensor, and tensor kernels see only `NDArray`s (see
/// `KernelContext.input`); sequences and optionals exist for the operators that build and read them
/// (Sequence*, Optional*, SplitToSequence, ConcatFromSequence) and for If, Loop and Identity, which
/// pass any value through. ONNX's other kinds (maps, sparse tensors) are not held.
public enum RuntimeValue: Sendable, Equatable, CustomStringConvertible {
    case tensor(NDArray)
    case sequence(TensorSequence)
    /// An optional: `nil` is the empty optional, else a tensor or a sequence (ONNX has no optional of
    /// an optional).
    indirect case optional(RuntimeValue?)

    /// The tensor this value is, or nil for a sequence or optional.
    @inline(__always)
    public var tensor: NDArray? {
        if case .tensor(let a) = self { return a }
        return nil
    }

    /// This value where an optional is expected: an optional as it is, a tensor or sequence wrapped.
    public var asOptional: RuntimeValue {
        if case .optional = self { return self }
        return .optional(self)
    }

    /// What kind of value this is, for messages: `tensor`, `sequence` or `optional`.
    public var kindName: String {
        switch self {
        case .tensor: "tensor"
        case .sequence: "sequence"
        case .optional: "optional"
        }
    }

    public var description: String {
        switch self {
        case .tensor(let a): a.description
        case .sequence(let s): s.description
        case .optional(nil): "optional(empty)"
        case .optional(let v?): "optional(\(v))"
        }
    }

    /// The same value with every tensor in it as `precision` holds values (see `Precision.adopt`).
    public func adopted(by precision: Precision) -> RuntimeValue {
        switch self {
        case .tensor(let a): .tensor(precision.adopt(a))
        case .sequence(let s): .sequence(s.adopted(by: precision))
        case .optional(let v): .optional(v?.adopted(by: precision))
        }
    }

    /// Whether both values are of the same kind and, for tensors and sequences, element type (the rule
    /// a Loop's carried values follow from one iteration to the next). Empty optionals match any optional.
    public func hasSameKind(as other: RuntimeValue) -> Bool {
        switch (self, other) {
        case (.tensor(let a), .tensor(let b)): a.elementType == b.elementType
        case (.sequence(let a), .sequence(let b)): a.elementType == b.elementType
        case (.optional(let a?), .optional(let b?)): a.hasSameKind(as: b)
        case (.optional, .optional): true
        default: false
        }
    }
}

/// An ONNX sequence: tensors of one element type, each with its own shape.
///
/// The element type is kept with the sequence so that an empty one (SequenceEmpty, or after erasing
/// every element) still knows what it may hold.
public struct TensorSequence: Sendable, Equatable, CustomStringConvertible {
    public var elementType: ElementType
    public var elements: [NDArray]

    public init(elementType: ElementType, elements: [NDArray] = []) {
        self.elementType = elementType
        self.elements = elements
    }

    public var count: Int { elements.count }

    public var description: String { "sequence<\(elementType)>(\(elements.count) tensors)" }

    /// The sequence as `precision` holds values: under float64 the float types become float64.
    public func adopted(by precision: Precision) -> TensorSequence {
        TensorSequence(elementType: precision.castTarget(elementType), elements: elements.map(precision.adopt))
    }
}
