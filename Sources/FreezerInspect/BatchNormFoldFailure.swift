/// The first condition a BatchNormalization fold failed. Its `description` is the skip reason in the log
/// and inspect's `notFoldableReason`, word for word.
public enum BatchNormFoldFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// Still computes batch statistics (only when the caller does not convert it to inference form first).
    case trainingMode(attribute: String, value: Int64)
    /// `spatial = 0` (opset ≤ 7): one statistic per activation, which no per-channel weight can absorb.
    case perActivation
    /// `role` is `X`, `scale`, `B`, `mean` or `var`.
    case missingInput(role: String)
    /// X is not computed by a node of the BN's graph; `origin` says what it is.
    case inputNotFromNode(value: String, origin: String)
    case producerNotLinear(node: String, opType: String)
    case addNotBinary(add: String, operands: Int)
    case addWithoutMatMul(add: String)
    case addBiasNotConstant(add: String, bias: String)
    /// The value read is not the operator's result (output 0), the one a fold rewires.
    case notFirstOutput(value: String, node: String, opType: String)
    case outputIsGraphOutput(node: String, opType: String, value: String)
    case outputReadByOthers(node: String, opType: String, value: String, readers: [String])
    case missingOperand(role: String, node: String, opType: String)
    case operandNotConstant(role: String, value: String, node: String, opType: String, origin: String)
    case statisticNotConstant(role: String, value: String, origin: String)
    /// The operand is dequantized (a quantized model's weight): folding into it would change its integers.
    case quantizedOperand(role: String, value: String, node: String, opType: String, quantizer: String)
    /// A dequantized Conv weight whose scales cannot absorb the factor exactly.
    case quantizedWeightNotFoldable(node: String, reason: String)
    /// A factor ≤ 0 would need a scale ≤ 0 (or negated integers).
    case quantizedScaleSign(node: String, channel: Int, multiplier: Double)
    /// A factor or shift that is infinite or NaN (a variance + ε of 0, statistics that overflow).
    case nonFiniteFactor(channel: Int, factor: Double, shift: Double)
    case unreadable(role: String, value: String, reason: String)
    /// A tensor the fold would rewrite is not float32, float16, bfloat16 or float64.
    case unsupportedType(role: String, value: String, type: String)
    case emptyWeight(value: String, node: String, opType: String)
    case statisticsDifferInLength([Int])
    case noChannels
    /// `unit` is `channels` or `features`.
    case channelMismatch(channels: Int, node: String, opType: String, produced: Int, unit: String)
    case groupMismatch(dims: [Int64], group: Int64)
    case weightNot2D(value: String, node: String, opType: String, dims: [Int64])
    case biasShape(value: String, node: String, opType: String, dims: [Int64], channels: Int)
    case gemmBiasShape(dims: [Int64], features: Int)
    case matMulRankUnknown(node: String, input: String)
    case matMulRank(node: String, rank: Int)

    public var description: String {
        switch self {
        case let .trainingMode(attribute, value): "still in training mode (\(attribute) = \(value))"
        case .perActivation: "spatial = 0: statistics are per activation, not per channel; kept as inference-form BatchNormalization"
        case let .missingInput(role): role == "X" ? "X input is missing" : "BatchNormalization \(role) input is missing"
        case let .inputNotFromNode(value, origin): "X '\(value)' is \(origin), not the output of a node in this graph"
        case let .producerNotLinear(node, op): "X is produced by \(op) '\(node)', not by Conv, ConvTranspose, Gemm or MatMul"
        case let .addNotBinary(add, n): "X is produced by Add '\(add)' with \(n) operands"
        case let .addWithoutMatMul(add): "X is produced by Add '\(add)', which does not add a constant bias to a MatMul"
        case let .addBiasNotConstant(add, bias): "X is produced by Add '\(add)' whose bias '\(bias)' is not a constant"
        case let .notFirstOutput(value, node, op): "'\(value)' is not the result (output 0) of \(op) '\(node)'"
        case let .outputIsGraphOutput(node, op, value): "output '\(value)' of \(op) '\(node)' is also a graph output"
        case let .outputReadByOthers(node, op, value, readers):
            "output '\(value)' of \(op) '\(node)' is also read by " + readers.map { "'\($0)'" }.joined(separator: ", ")
        case let .missingOperand(role, node, op): "\(op) '\(node)' has no \(role)"
        case let .operandNotConstant(role, value, node, op, origin): "\(role) '\(value)' of \(op) '\(node)' is not a constant (\(origin))"
        case let .statisticNotConstant(role, value, origin): "BatchNormalization \(role) '\(value)' is not a constant (\(origin))"
        case let .quantizedWeightNotFoldable(node, reason):
            "the weight is dequantized by '\(node)', and \(reason); a quantized model keeps its integers, so the BatchNormalization stays in inference form"
        case let .quantizedScaleSign(node, channel, multiplier):
            "channel \(channel)'s BatchNormalization factor is \(multiplier), so the scale of '\(node)' would not stay positive; a quantized model keeps its integers, so the BatchNormalization stays in inference form"
        case let .quantizedOperand(role, value, node, op, quantizer):
            "\(role) '\(value)' of \(op) '\(node)' is dequantized by '\(quantizer)': a quantized model keeps its integer weights and their scales as quantization chose them, so the BatchNormalization stays in inference form rather than change them"
        case let .nonFiniteFactor(channel, factor, shift):
            "channel \(channel)'s factor scale/√(var + ε) is \(factor) and its shift \(shift): folded weights would hold infinities or NaN for every input, where the BatchNormalization gives them only for some, so it stays in inference form"
        case let .unreadable(role, value, reason): "the \(role) '\(value)' cannot be read: \(reason)"
        case let .unsupportedType(role, value, type):
            "the \(role) '\(value)' is \(type); folds are computed for float32, float16, bfloat16 and float64 tensors"
        case let .emptyWeight(value, node, op): "the weight '\(value)' of \(op) '\(node)' has no elements"
        case let .statisticsDifferInLength(lengths): "scale, B, mean and var differ in length (\(lengths.map(String.init).joined(separator: ", ")))"
        case .noChannels: "scale, B, mean and var are empty: there is no channel to fold"
        case let .channelMismatch(channels, node, op, produced, unit):
            "BatchNormalization has \(channels) channels but \(op) '\(node)' produces \(produced) \(unit)"
        case let .groupMismatch(dims, group): "ConvTranspose weight shape \(dims) does not fit group \(group)"
        case let .weightNot2D(value, node, op, dims): "the weight '\(value)' of \(op) '\(node)' has shape \(dims), not 2-D"
        case let .biasShape(value, node, op, dims, channels):
            "the bias '\(value)' of \(op) '\(node)' has shape \(dims), not one value per output channel (\(channels))"
        case let .gemmBiasShape(dims, n): "Gemm bias C has shape \(dims), which does not broadcast over \(n) output features"
        case let .matMulRankUnknown(node, input):
            "the rank of MatMul '\(node)' input '\(input)' is unknown, so its features cannot be shown to be BatchNormalization's channel axis"
        case let .matMulRank(node, rank):
            "MatMul '\(node)' output is \(rank)-D: BatchNormalization normalizes axis 1, but MatMul's features are on the last axis"
        }
    }
}
