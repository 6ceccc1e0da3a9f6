import CFreezerKernels

/// freezer's C kernels (CFreezerKernels): AVX-512 code for the hottest loops, chosen at run time.
enum NativeKernels {
    /// Whether this CPU runs them; when not, the evaluator uses BLAS and its Swift loops.
    static let isAvailable: Bool = fz_kernels_supported() != 0
}
