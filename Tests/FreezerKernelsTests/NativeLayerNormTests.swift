import FreezerVerify
import Testing
@testable import FreezerKernels

/// The vectorized layer normalization (C kernel) against the Swift loops: the same operations per
/// element, sums in a different (fixed) order, so results agree to a few ulp and statistics closely.
@Suite("Vectorized layer normalization", .enabled(if: NativeKernels.isAvailable, "runs where the CPU has AVX-512"))
struct NativeLayerNormTests {
    typealias Ops = NeuralNetworkOperators

    @Test(arguments: [(1, 1), (3, 7), (5, 8), (4, 9), (32, 128), (2, 1000)])
    func agreesWithTheSwiftLoops(_ shape: (rows: Int, size: Int)) {
        var generator = SeededGenerator(seed: UInt64(shape.rows * 10_007 + shape.size))
        func value() -> Double { Double(Int(generator.next() % 20001) - 10000) / 2500 }
        let x = (0..<(shape.rows * shape.size)).map { _ in Float(value()) + 3 }
        let scale = (0..<shape.size).map { _ in value() }, bias = (0..<shape.size).map { _ in value() }
        let layout = Ops.LayerLayout(rows: shape.rows, size: shape.size)
        for withBias in [true, false] {
            let fast = Ops.layerNormRows(x, scale: scale, bias: withBias ? bias : nil, layout, 1e-5)
            let slow = Ops.layerNorm(x, scale: (scale, false), bias: withBias ? (bias, false) : nil, layout, 1e-5)
            for (f, s) in zip(fast.0, slow.0) {
                #expect(abs(f - s) <= 4 * max(abs(s), 1) * Float.ulpOfOne, "\(shape) bias \(withBias): \(f) vs \(s)")
            }
            for (f, s) in zip(fast.1 + fast.2, slow.1 + slow.2) { #expect(abs(f - s) <= 1e-12 * max(abs(s), 1)) }
        }
    }

    @Test func emptyRowsKeepTheirNaNStatistics() throws {
        // Rows of no elements have no mean: the operator leaves them to the Swift loops, which say NaN.
        let outputs = try runNode("LayerNormalization", [NDArray(floats: [], shape: [2, 0]), NDArray(floats: [], shape: [0])],
                                  outputs: 3)
        #expect(outputs[0].shape == [2, 0])
        #expect(outputs[1].floats.count == 2 && outputs[1].floats.allSatisfy(\.isNaN))
        #expect(outputs[2].floats.count == 2 && outputs[2].floats.allSatisfy(\.isNaN))
    }

    @Test func aConstantRowNormalizesToTheBias() {
        // Zero variance: (x − mean) is exactly 0, so y is the bias whatever the scale.
        let layout = Ops.LayerLayout(rows: 2, size: 11)
        let y = Ops.layerNormRows([Float](repeating: 2.5, count: 22), scale: [Double](repeating: 3, count: 11),
                                  bias: (0..<11).map(Double.init), layout, 1e-5)
        #expect(y.0 == (0..<22).map { Float($0 % 11) })
        #expect(y.1 == [2.5, 2.5])
    }
}
