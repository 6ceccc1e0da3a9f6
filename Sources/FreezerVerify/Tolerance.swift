import FreezerIR
import FreezerKernels

/// Per-type defaults of the equivalence check, on the evaluator's `Tolerance`:
/// |frozen − original| ≤ atol + rtol·|original|.
extension Tolerance {
    /// Folding rounds weights once more in the model's own precision, so half-precision models need
    /// bounds near their unit roundoff (2^-11 for float16, 2^-8 for bfloat16).
    public static func `default`(for type: ElementType) -> Tolerance {
        switch type {
        case .float16: Tolerance(rtol: 1e-2, atol: 1e-3)
        case .bfloat16: Tolerance(rtol: 2e-2, atol: 1e-2)
        case .double: Tolerance(rtol: 1e-7, atol: 1e-9)
        case .float: Tolerance(rtol: 1e-4, atol: 1e-5)
        default: Tolerance(rtol: 0, atol: 0) // integers and bool must match exactly
        }
    }
}
