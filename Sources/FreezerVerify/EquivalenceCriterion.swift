import FreezerIR
import FreezerKernels

/// How the equivalence check decides whether the frozen model computes what the original computes.
///
/// **As exact as the original** (the default). Rounding makes any two float programs differ, so "equal"
/// cannot be the test, and a fixed tolerance is wrong at one end or the other: too tight for a deep
/// model with outputs around 1e4 (it refuses correct conversions), too loose for a shallow one with
/// outputs around 1e-3 (it accepts wrong ones). Instead the check measures how far the original itself
/// is from exact: on the same inputs it evaluates the verified learning model with inference semantics
/// in float64 (weights and inputs widened exactly: the *exact reference*), the original in its own
/// precision, and the frozen model in its own precision. Per output, the frozen model passes when
///
///     max |frozen − exact| ≤ k · max |original − exact| + floor   and
///     rms |frozen − exact| ≤ k · rms |original − exact| + floor,
///
/// with k = `errorFactor` and floor = `floorULPs` units in the last place of the output's type at the
/// output's scale (the largest |exact| value of the output): the floor covers outputs the original
/// computes exactly, where a correct rewrite may still round once more. Elements where the original or
/// the exact reference is not finite are left out of the errors and must be the same non-finite value
/// (NaN, +inf, −inf) in the frozen model as in the original.
///
/// Integer and boolean outputs must equal the original's, except where the exact reference shows that
/// the original itself is within rounding of a tie (an ArgMax, TopK or comparison on nearly equal
/// values): there the frozen value may equal either, and such elements are counted separately.
///
/// Outputs that the original computes in float64 throughout have no wider reference (their own error
/// is zero): the per-type tolerance decides them. `--rtol`/`--atol` declare a fixed elementwise
/// tolerance instead, |frozen − original| ≤ atol + rtol·|original|, for every floating-point output.
public enum EquivalenceCriterion: Sendable, Equatable {
    /// The default criterion, as a requirement of `freezer qualify`'s specification.
    public static let requirement = (
        id: "EQ-CRITERION",
        statement: "By default the frozen model is accepted only when, per floating-point output, the max and the rms of |frozen − exact| are at most k = \(Int(errorFactor)) times the original's own error against the exact float64 reference plus \(Int(floorULPs)) ULP at the output's scale, and integer and boolean outputs equal the original's (except within rounding of a tie). Correct conversions are accepted; conversions that change what the model computes beyond that are refused.")

    case asExactAsOriginal
    case declaredTolerance(rtol: Double?, atol: Double?)

    /// k: how much larger than the original's own error the frozen model's error may be.
    ///
    /// Measured (docs/equivalence-criterion.md): on correct conversions of ten real architectures the frozen
    /// model's error against the exact reference is 0.60–1.21 times the original's (max) and 0.70–1.01
    /// (rms), at most 30% of the bound; the seven injected faults give at least 7 times the bound. k = 4
    /// leaves a margin of more than 3 on both sides.
    public static let errorFactor = 4.0

    /// The floor of the bound, in units in the last place of the output's type at its scale.
    public static let floorULPs = 4.0

    /// The criterion the options select: a declared tolerance when either `--rtol` or `--atol` is given.
    public init(rtol: Double?, atol: Double?) {
        self = rtol == nil && atol == nil ? .asExactAsOriginal : .declaredTolerance(rtol: rtol, atol: atol)
    }

    /// The declared tolerance for outputs of `type`: the given bounds, the per-type default for the rest.
    func tolerance(for type: ElementType) -> Tolerance {
        var t = Tolerance.default(for: type)
        if case .declaredTolerance(let rtol, let atol) = self, type.isFloatingPoint {
            t.rtol = rtol ?? t.rtol
            t.atol = atol ?? t.atol
        }
        return t
    }

    /// One unit in the last place of a value of `type` with magnitude `scale` (the smallest normal's for 0).
    static func ulp(_ type: ElementType, at scale: Double) -> Double {
        let mantissaBits: Int
        let minExponent: Int
        switch type {
        case .float16: (mantissaBits, minExponent) = (10, -14)
        case .bfloat16: (mantissaBits, minExponent) = (7, -126)
        case .double: (mantissaBits, minExponent) = (52, -1022)
        default: (mantissaBits, minExponent) = (23, -126)
        }
        let exponent = scale > 0 && scale.isFinite ? max(Int(scale.exponent), minExponent) : minExponent
        return Double(sign: .plus, exponent: exponent - mantissaBits, significand: 1)
    }
}

/// The rule that decided one output.
public enum OutputRule: String, Sendable, Codable {
    /// The default criterion: as exact as the original, against the exact reference.
    case asExactAsOriginal
    /// `--rtol`/`--atol` given: a fixed elementwise tolerance against the original.
    case declaredTolerance
    /// A float64 output the original computes without rounding to a narrower type: no wider reference,
    /// the per-type tolerance decides.
    case perTypeTolerance
    /// Integer, boolean and string outputs: equal to the original's (rounding ties reported apart).
    case exactMatch
}
