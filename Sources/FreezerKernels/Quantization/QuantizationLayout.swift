import FreezerIR

/// Which element of a scale (and of its zero point) applies to each element of the quantized tensor:
/// the three granularities of QuantizeLinear and DequantizeLinear.
///
/// - per tensor: the scale has one element (a scalar, or any shape of one element);
/// - per axis: the scale is 1-D with `x.shape[axis]` elements;
/// - blocked (`block_size` B > 0, opset 21+): the scale has x's rank and shape except along `axis`,
///   where it has `ceil(D / B)` elements; element `j` along the axis uses scale element `j / B`.
struct QuantizationLayout {
    private static func text(_ shape: [Int]) -> String { NeuralNetworkOperators.text(shape) }

    enum Mode: Equatable {
        case perTensor
        /// `inner`: elements after the axis; `dim`: x's extent along it.
        case perAxis(inner: Int, dim: Int)
        /// `blocks`: the scale's extent along the axis.
        case blocked(inner: Int, dim: Int, blocks: Int, blockSize: Int)
    }

    let mode: Mode

    init(_ ctx: KernelContext, x: [Int], scale: [Int], what: String = "the scale") throws(EvaluationError) {
        let blockSize = ctx.int("block_size", default: 0)
        guard blockSize >= 0 else { throw ctx.fail("block_size \(blockSize) must not be negative") }
        if scale.reduce(1, *) == 1 {
            mode = .perTensor
            return
        }
        let axis = try ctx.axis(ctx.int("axis", default: 1), rank: x.count)
        let inner = x[(axis + 1)...].reduce(1, *)
        let dim = x[axis]
        if blockSize == 0 {
            guard scale.count == 1, scale[0] == dim else {
                throw ctx.fail("\(what) is \(Self.text(scale)): per-axis quantization along axis \(axis) of \(Self.text(x)) needs a 1-D scale of \(dim) elements (or block_size for blocked quantization)")
            }
            mode = .perAxis(inner: inner, dim: dim)
            return
        }
        let b = Int(clamping: blockSize)
        var expected = x
        expected[axis] = (dim + b - 1) / b
        guard scale == expected else {
            throw ctx.fail("\(what) is \(Self.text(scale)) but blocked quantization of \(Self.text(x)) along axis \(axis) with block_size \(b) needs \(Self.text(expected))")
        }
        mode = .blocked(inner: inner, dim: dim, blocks: expected[axis], blockSize: b)
    }

    /// The scale element of x's flat element `i`.
    @inline(__always)
    func index(_ i: Int) -> Int {
        switch mode {
        case .perTensor: return 0
        case let .perAxis(inner, dim): return (i / inner) % dim
        case let .blocked(inner, dim, blocks, blockSize):
            let outer = i / (inner * dim)
            let along = (i / inner) % dim
            return (outer * blocks + along / blockSize) * inner + i % inner
        }
    }
}

/// Rounding shared by the quantization kernels.
enum QuantizationArithmetic {
    /// `v` rounded once to floating-point `type` (float32, float16, bfloat16); float64 and other types
    /// unchanged.
    @inline(__always)
    static func rounded(_ v: Double, to type: ElementType) -> Double {
        switch type {
        case .float: Double(Float(v))
        case .float16: Double(HalfPrecision.float(fromHalf: HalfPrecision.half(fromDouble: v)))
        case .bfloat16: Double(HalfPrecision.float(fromBFloat16: HalfPrecision.bfloat16(fromDouble: v)))
        default: v
        }
    }

    /// A floating-point result of `type`, rounded once from the exact Double values; under
    /// `Precision.float64` held as float64, unrounded.
    static func floatResult(_ v: [Double], type: ElementType, shape: [Int], precision: Precision) -> NDArray {
        if precision == .float64 || type == .double { return NDArray(doubles: v, shape: shape) }
        return NDArray(elementType: type, shape: shape, storage: .float(v.map { Float(rounded($0, to: type)) }))
    }

    /// The integer range of a quantized integer type.
    static func integerRange(_ type: ElementType) -> ClosedRange<Int64>? {
        switch type {
        case .uint8: 0...255
        case .int8: -128...127
        case .uint16: 0...65535
        case .int16: -32768...32767
        case .int32: Int64(Int32.min)...Int64(Int32.max)
        default: type.packedIntegerRange
        }
    }

    /// `v` rounded half to even and saturated to `range` (NaN gives the lower bound, as the x86-64
    /// conversion of NaN to int32 does in ONNX's reference before its clip).
    @inline(__always)
    static func saturated(_ v: Double, _ range: ClosedRange<Int64>) -> Int64 {
        if v.isNaN { return range.lowerBound }
        let r = v.rounded(.toNearestOrEven)
        if r <= Double(range.lowerBound) { return range.lowerBound }
        if r >= Double(range.upperBound) { return range.upperBound }
        return Int64(r)
    }

    /// The element type an input really has: its array's type, or, where `Precision.float64` widened a
    /// floating-point input to float64, the type the graph declares for it.
    static func sourceType(_ ctx: KernelContext, _ i: Int, _ array: NDArray) -> ElementType {
        guard ctx.precision == .float64, array.elementType == .double,
              let declared = ctx.declaredInputType(i), declared.isFloatingPoint else { return array.elementType }
        return declared
    }
}
