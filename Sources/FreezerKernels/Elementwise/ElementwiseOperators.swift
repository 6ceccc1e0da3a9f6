/// Unary and binary element-wise math, activations, comparisons, logic, casts, softmax.
enum ElementwiseOperators {
    static func register(_ r: inout KernelRegistry) {
    }
}
