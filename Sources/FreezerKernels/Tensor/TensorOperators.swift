/// Shape manipulation, indexing, reductions and other tensor-level operators.
enum TensorOperators {
    static func register(_ r: inout KernelRegistry) {
    }
}
