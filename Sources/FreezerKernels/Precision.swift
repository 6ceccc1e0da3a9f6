import FreezerIR

/// The precision the evaluator computes floating-point values in.
///
/// `own` runs the model as it is written: float32 in Float, float16 and bfloat16 in Float rounded to
/// their type whenever a node produces them, float64 in Double. `float64` is the exact reference of the
/// equivalence check: every float16, bfloat16 and float32 value (inputs, initializers, constants, node
/// results) is widened to float64, which is exact, and every operation is then computed in Double; Cast
/// and CastLike to a float type keep float64, so no rounding to a narrower type happens anywhere.
/// Integer, boolean and string values are the same in both. The float8, float4e2m1 and float8e8m0
/// values widen to float64 exactly as well, but a Cast or QuantizeLinear *to* those types still rounds
/// (and saturates) to them: these are quantization formats, whose rounding is the operator's meaning
/// rather than a choice of precision; the result is held as float64.
public enum Precision: String, Sendable, Codable {
    case own
    case float64

    /// `array` as this precision holds values: a node's result, a feed or a constant.
    @inline(__always)
    public func adopt(_ array: NDArray) -> NDArray {
        switch self {
        case .own: array.rounded()
        case .float64: array.widenedToDouble()
        }
    }

    /// The type a cast to `type` produces: under `float64` every floating-point target is float64.
    public func castTarget(_ type: ElementType) -> ElementType {
        self == .float64 && (type == .float || type == .float16 || type == .bfloat16) ? .double : type
    }
}

extension NDArray {
    /// The same values as float64 when they are float16, bfloat16 or float32 (exact); others unchanged.
    public func widenedToDouble() -> NDArray {
        guard case .float(let v) = storage else { return self }
        return NDArray(elementType: .double, shape: shape, storage: .double(v.map(Double.init)))
    }
}
