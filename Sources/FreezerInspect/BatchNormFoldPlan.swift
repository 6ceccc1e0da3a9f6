import FreezerIR

/// How a BatchNormalization folds into the linear operator before it: the facts the matcher proved and
/// the per-channel arithmetic, computed once in Double from the stored statistics.
///
/// Y = a_c · (Z − mean_c) + B_c = a_c · Z + shift_c, with a_c = scale_c / √(var_c + ε) and
/// shift_c = B_c − mean_c · a_c, where Z is the linear operator's output.
public struct BatchNormFoldPlan: Sendable {
    public enum Target: Sendable, Equatable {
        case conv
        case convTranspose(group: Int)
        case gemm(transB: Bool, alpha: Double, beta: Double)
        /// MatMul alone: the shift becomes the bias of a new Add.
        case matMul
        /// MatMul followed by an Add of a constant bias, which absorbs the shift.
        case matMulAdd

        /// The name the log uses for the target (`MatMul+Add` for the pair).
        public var name: String {
            switch self {
            case .conv: "Conv"
            case .convTranspose: "ConvTranspose"
            case .gemm: "Gemm"
            case .matMul: "MatMul"
            case .matMulAdd: "MatMul+Add"
            }
        }
    }

    public var batchNormalization: NodeID
    public var target: Target
    /// The Conv, ConvTranspose, Gemm or MatMul whose weight is scaled.
    public var linear: NodeID
    /// The node whose input `biasSlot` holds the bias: the linear node, or the Add after a MatMul.
    /// A MatMul alone has none: the fold adds one.
    public var biasNode: NodeID?
    public var biasSlot: Int?
    /// The weight axis holding output channels: 0 for Conv and Gemm with transB, 1 for ConvTranspose
    /// (within each group of `group` blocks on axis 0), Gemm and MatMul.
    public var weightChannelAxis: Int
    /// The tensor the multiplier scales: the linear node's weight, or for a quantized Conv the per-channel
    /// scale of the DequantizeLinear that produces its weight (the integers stay as they are).
    public var weight: FoldConstant
    /// Where `weight` is read: nil for the linear node's input 1; else the DequantizeLinear node (input 1).
    public var weightScaleOf: NodeID?
    /// The present bias (Conv/ConvTranspose B, Gemm C, the Add's constant); nil when absent.
    public var bias: FoldConstant?
    /// a_c, one per channel.
    public var multiplier: [Double]
    /// shift_c, one per channel.
    public var shift: [Double]
    public var epsilon: Double
    /// Whether other nodes read the weight too (in the graph that defines it), so a fold must copy it.
    public var weightShared: Bool

    public var channels: Int { multiplier.count }
}
