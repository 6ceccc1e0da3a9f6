/// Convolution, matrix products (on BLAS), normalization, pooling and Dropout.
enum NeuralNetworkOperators {
    static func register(_ r: inout KernelRegistry) {
    }
}
