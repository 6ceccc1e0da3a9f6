import Testing
@testable import FreezerIR
@testable import FreezerKernels

/// The same inputs give bit-identical outputs, run after run and interpreter after interpreter (one
/// BLAS thread; kernels with a fixed order of operations; buffers reused across runs must not leak state).
@Suite("Determinism")
struct DeterminismTests {
    private static func values(_ n: Int, seed: UInt64) -> [Float] {
        var state = seed
        return (0..<n).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int(truncatingIfNeeded: state >> 40) % 2001 - 1000) / 997
        }
    }

    private static func tensor(_ name: String, _ dims: [Int64], seed: UInt64) -> Tensor {
        Tensor.make(name: name, type: .float, dims: dims, values: values(Int(dims.reduce(1, *)), seed: seed).map(Double.init))
    }

    /// x [1,3,12,12] → Conv 3×3 (8) → Relu → MaxPool 2×2 → depthwise Conv 3×3 → Add → Flatten → Gemm → Softmax.
    private static let model: Model = {
        let nodes = [
            NodeSpec(opType: "Conv", opsetVersion: 17, inputs: ["x", "w1", "b1"], outputs: ["c1"],
                     attributes: [Attribute(name: "pads", value: .ints([1, 1, 1, 1]))]),
            NodeSpec(opType: "Relu", opsetVersion: 17, inputs: ["c1"], outputs: ["r1"]),
            NodeSpec(opType: "MaxPool", opsetVersion: 17, inputs: ["r1"], outputs: ["p1"],
                     attributes: [Attribute(name: "kernel_shape", value: .ints([2, 2])), Attribute(name: "strides", value: .ints([2, 2]))]),
            NodeSpec(opType: "Conv", opsetVersion: 17, inputs: ["p1", "w2", "b2"], outputs: ["c2"],
                     attributes: [Attribute(name: "pads", value: .ints([1, 1, 1, 1])), Attribute(name: "group", value: .int(8))]),
            NodeSpec(opType: "Add", opsetVersion: 17, inputs: ["c2", "p1"], outputs: ["s"]),
            NodeSpec(opType: "Flatten", opsetVersion: 17, inputs: ["s"], outputs: ["f"]),
            NodeSpec(opType: "Gemm", opsetVersion: 17, inputs: ["f", "w3", "b3"], outputs: ["g"],
                     attributes: [Attribute(name: "transB", value: .int(1))]),
            NodeSpec(opType: "Softmax", opsetVersion: 17, inputs: ["g"], outputs: ["y"]),
        ]
        let graph = Graph(name: "g", inputs: [ValueInfo(name: "x", type: nil)], outputs: [ValueInfo(name: "y", type: nil)],
                          initializers: [tensor("w1", [8, 3, 3, 3], seed: 1), tensor("b1", [8], seed: 2),
                                         tensor("w2", [8, 1, 3, 3], seed: 3), tensor("b2", [8], seed: 4),
                                         tensor("w3", [10, 288], seed: 5), tensor("b3", [10], seed: 6)],
                          nodes: nodes)
        return Model(irVersion: 8, opsetImports: [.init(domain: "", version: 17)], graph: graph)
    }()

    @Test func sameInputsGiveBitIdenticalOutputs() throws {
        let x = NDArray(floats: Self.values(432, seed: 7), shape: [1, 3, 12, 12])
        let first = Interpreter(model: Self.model)
        let reference = try first.run(["x": x])["y"]!.floats.map(\.bitPattern)
        #expect(reference.count == 10)
        for _ in 0..<3 {
            #expect(try first.run(["x": x])["y"]!.floats.map(\.bitPattern) == reference)
        }
        // Another interpreter, after other inputs went through the first one.
        _ = try first.run(["x": NDArray(floats: Self.values(432, seed: 8), shape: [1, 3, 12, 12])])
        #expect(try first.run(["x": x])["y"]!.floats.map(\.bitPattern) == reference)
        #expect(try Interpreter(model: Self.model).run(["x": x])["y"]!.floats.map(\.bitPattern) == reference)
        #expect(x.floats == Self.values(432, seed: 7))
    }
}
