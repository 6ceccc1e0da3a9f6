/// The rank of a value, proven from the graph where no shape is declared (exports often declare shapes
/// only for graph inputs and outputs).
extension Graph {
    /// The rank of `id`: its declared shape; else that of a constant; else, for the output of an
    /// operator whose output rank follows from its inputs' ranks by the ONNX specification (element-wise
    /// operators, broadcasting, MatMul, normalization, convolution, pooling, Gemm, Flatten, Transpose,
    /// Reshape to a constant shape, Squeeze and Unsqueeze with known axes, Concat, Slice, Split, the
    /// recurrent operators), the rank those rules give. nil when it cannot be proven.
    public func inferredRank(_ id: ValueID) -> Int? {
        var memo: [ValueID: Int?] = [:]
        return inferredRank(id, &memo)
    }

    private static let sameRankAsInput: Set<String> = [
        "Relu", "LeakyRelu", "PRelu", "Sigmoid", "Tanh", "Elu", "Selu", "Celu", "Gelu", "Erf", "Exp", "Log", "Abs", "Neg",
        "Sqrt", "Reciprocal", "Softplus", "Softsign", "HardSigmoid", "HardSwish", "Mish", "ThresholdedRelu", "Clip",
        "Identity", "Cast", "CastLike", "Floor", "Ceil", "Round", "Sign", "Sin", "Cos", "Not", "IsNaN", "IsInf",
        "Dropout", "BatchNormalization", "InstanceNormalization", "LayerNormalization", "LRN", "Softmax", "LogSoftmax",
        "RMSNormalization", "RotaryEmbedding", "SwiGLU", "QuantizeLinear", "DequantizeLinear", "Hardmax", "LpNormalization",
        "MeanVarianceNormalization", "Shrink", "Swish", "Tan", "Asin", "Acos", "Atan", "Sinh", "Cosh", "Asinh", "Acosh", "Atanh",
        "Conv", "ConvTranspose", "MaxPool", "AveragePool", "LpPool", "GlobalAveragePool", "GlobalMaxPool", "Transpose",
        "Concat", "Slice", "Pad", "Tile",
    ]
    private static let broadcasting: Set<String> = ["Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Sum", "Mean", "Where",
                                                    "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor"]

    private func inferredRank(_ id: ValueID, _ memo: inout [ValueID: Int?]) -> Int? {
        if let known = memo[id] { return known }
        memo[id] = .some(nil) // a cycle proves nothing
        let rank = provenRank(id, &memo)
        memo[id] = rank
        return rank
    }

    private func provenRank(_ id: ValueID, _ memo: inout [ValueID: Int?]) -> Int? {
        if let shape = value(id).type?.tensor?.shape { return shape.count }
        if let tensor = constantValue(id) { return tensor.dims.count }
        guard case .node(let n, let slot) = value(id).producer else { return nil }
        let node = node(n)
        guard node.isDefaultDomain else { return nil }
        func input(_ k: Int) -> Int? {
            guard k < node.inputs.count, let v = node.inputs[k] else { return nil }
            return inferredRank(v, &memo)
        }
        if Self.sameRankAsInput.contains(node.opType) {
            // Outputs beyond the first (running statistics, pooling indices, normalization statistics) differ.
            return slot == 0 || node.opType == "Dropout" ? input(0) : nil
        }
        if Self.broadcasting.contains(node.opType) {
            var ranks: [Int] = []
            for k in node.inputs.indices where node.inputs[k] != nil {
                guard let r = input(k) else { return nil }
                ranks.append(r)
            }
            return ranks.max()
        }
        switch node.opType {
        case "MatMul":
            guard let a = input(0), let b = input(1), a >= 1, b >= 1 else { return nil }
            switch (a, b) {
            case (1, 1): return 0
            case (1, _): return b - 1
            case (_, 1): return a - 1
            default: return max(a, b)
            }
        case "Gemm", "Flatten":
            return 2
        case "Reshape":
            guard node.inputs.count > 1, let shape = node.inputs[1], let t = constantValue(shape), t.dims.count == 1 else { return nil }
            return Int(t.dims[0])
        case "Split":
            return input(0)
        case "RNN", "GRU", "LSTM":
            // Y is [seq, directions, batch, hidden] (layout 1: [batch, seq, directions, hidden]); Y_h and Y_c
            // are [directions, batch, hidden] (layout 1: [batch, directions, hidden]).
            return slot == 0 ? 4 : 3
        case "Squeeze", "Unsqueeze":
            // Axes from opset 13 an input, before it an attribute; without them Squeeze drops every 1,
            // which only the shape tells.
            guard let r = input(0), let axes = squeezeAxes(of: node) else { return nil }
            let result = node.opType == "Squeeze" ? r - axes.count : r + axes.count
            let valid = node.opType == "Squeeze" ? r : result
            let normalized = Set(axes.map { $0 < 0 ? $0 + Int64(valid) : $0 })
            guard normalized.count == axes.count, normalized.allSatisfy({ $0 >= 0 && $0 < Int64(valid) }), result >= 0 else { return nil }
            return result
        default:
            return nil
        }
    }

    /// Squeeze's or Unsqueeze's axes: the attribute (before opset 13) or a constant second input.
    private func squeezeAxes(of node: Node) -> [Int64]? {
        if let axes = node.attribute("axes")?.intsValue { return axes }
        guard node.inputs.count > 1, let v = node.inputs[1], let t = constantValue(v), t.dims.count == 1 else { return nil }
        return try? t.int64s()
    }
}
