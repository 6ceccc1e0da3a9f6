/// The element type of a value, proven from the graph where no type is declared (an output chosen among
/// internal values needs one: ONNX requires types on the main graph's outputs).
extension Graph {
    /// The element type of `id`: its declared type; a constant's; Cast's `to`; int64 for Shape, Size and
    /// the index outputs; bool for comparisons; else, for operators whose output has the type of their
    /// first input by the ONNX specification, that input's. nil when it cannot be proven.
    public func inferredElementType(_ id: ValueID) -> ElementType? {
        var seen = Set<ValueID>()
        var current = id
        while seen.insert(current).inserted {
            if let type = value(current).type?.tensor?.elementType, type != .undefined { return type }
            if let tensor = constantValue(current) { return tensor.elementType }
            guard case .node(let n, let slot) = value(current).producer else { return nil }
            let node = node(n)
            guard node.isDefaultDomain else { return nil }
            switch node.opType {
            case "Cast": return node.attribute("to")?.intValue.map { ElementType(rawValue: Int32($0)) }
            case "Shape", "Size", "NonZero", "ArgMax", "ArgMin": return .int64
            case "TopK" where slot == 1: return .int64
            case "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor", "Not", "IsNaN", "IsInf":
                return .bool
            case "Where":
                guard node.inputs.count > 1, let v = node.inputs[1] else { return nil }
                current = v
            case "CastLike":
                guard node.inputs.count > 1, let v = node.inputs[1] else { return nil }
                current = v
            default:
                // Outputs beyond the first (masks, indices, statistics) have types of their own.
                guard slot == 0, Self.firstInputType.contains(node.opType), let v = node.inputs.first ?? nil else { return nil }
                current = v
            }
        }
        return nil
    }

    private static let firstInputType: Set<String> = [
        "Relu", "LeakyRelu", "PRelu", "Sigmoid", "Tanh", "Elu", "Selu", "Celu", "Gelu", "Erf", "Exp", "Log", "Abs", "Neg",
        "Sqrt", "Reciprocal", "Softplus", "Softsign", "HardSigmoid", "HardSwish", "Mish", "ThresholdedRelu", "Clip",
        "Identity", "Floor", "Ceil", "Round", "Sign", "Sin", "Cos", "Dropout", "BatchNormalization",
        "InstanceNormalization", "LayerNormalization", "GroupNormalization", "LRN", "Softmax", "LogSoftmax",
        "RotaryEmbedding", "SwiGLU", "Hardmax", "LpNormalization", "MeanVarianceNormalization", "Shrink", "Swish",
        "Conv", "ConvTranspose", "MaxPool", "AveragePool", "LpPool", "GlobalAveragePool", "GlobalMaxPool", "Transpose",
        "Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Sum", "Mean", "MatMul", "Gemm", "Flatten", "Reshape",
        "Squeeze", "Unsqueeze", "Concat", "Slice", "Gather", "Expand", "Tile", "Pad", "Resize", "Split",
        "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "Einsum",
    ]
}
