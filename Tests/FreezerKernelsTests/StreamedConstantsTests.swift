import Testing
@testable import FreezerIR
@testable import FreezerKernels
import FreezerVerify

/// Evaluation without kept constants (the equivalence check on large models): each initializer is read
/// by its first reader and released after its last, all samples of a batch run node by node, and the
/// results are the same bits as the default evaluation.
@Suite("Streamed constants and batches")
struct StreamedConstantsTests {
    /// x → MatMul(w1) → Add(b1) → Relu → Transpose(w2ᵀ) … : weights read by one node, one read by two,
    /// a graph input with a default, and a Transpose of a weight (computed ahead only when constants are kept).
    func model() -> Model {
        var g = SeededGenerator(seed: 5)
        func weights(_ name: String, _ dims: [Int64]) -> Tensor {
            .make(name: name, type: .float, dims: dims, values: (0..<Int(dims.reduce(1, *))).map { _ in Double(g.next() % 2001) / 1000 - 1 })
        }
        let x = ValueInfo(name: "x", type: ValueType(tensor: TensorType(elementType: .float, shape: [.value(3), .value(8)])))
        let scale = ValueInfo(name: "scale", type: ValueType(tensor: TensorType(elementType: .float, shape: [])))
        let y = ValueInfo(name: "y", type: nil)
        let graph = Graph(name: "g", inputs: [x, scale], outputs: [y],
                          initializers: [weights("w1", [8, 40]), weights("b1", [40]), weights("w2", [6, 40]),
                                         .make(name: "scale", type: .float, dims: [], values: [0.5])],
                          nodes: [
                            NodeSpec(opType: "MatMul", opsetVersion: 17, inputs: ["x", "w1"], outputs: ["h"]),
                            NodeSpec(opType: "Add", opsetVersion: 17, inputs: ["h", "b1"], outputs: ["h1"]),
                            NodeSpec(opType: "Relu", opsetVersion: 17, inputs: ["h1"], outputs: ["r"]),
                            NodeSpec(opType: "Transpose", opsetVersion: 17, inputs: ["w2"], outputs: ["w2t"]),
                            NodeSpec(opType: "MatMul", opsetVersion: 17, inputs: ["r", "w2t"], outputs: ["o"]),
                            NodeSpec(opType: "Mul", opsetVersion: 17, inputs: ["o", "scale"], outputs: ["m"]),
                            NodeSpec(opType: "Add", opsetVersion: 17, inputs: ["m", "b1x"], outputs: ["y"]),
                            NodeSpec(opType: "ReduceSum", opsetVersion: 17, inputs: ["b1"], outputs: ["b1x"],
                                     attributes: [.init(name: "keepdims", value: .int(0))]),
                          ])
        return Model(irVersion: 8, opsetImports: [.init(domain: "", version: 17)], graph: graph)
    }

    func samples(_ n: Int) -> [[String: NDArray]] {
        var g = SeededGenerator(seed: 9)
        return (0..<n).map { _ in ["x": NDArray(floats: (0..<24).map { _ in Float(Double(g.next() % 2001) / 1000 - 1) }, shape: [3, 8])] }
    }

    @Test(arguments: [Precision.own, .float64])
    func batchesWithoutKeptConstantsGiveTheSameBits(_ precision: Precision) throws {
        let kept = Interpreter(model: model(), options: .init(precision: precision))
        let streamed = Interpreter(model: model(), options: .init(precision: precision, keepsConstants: false))
        let inputs = samples(4)
        let one = try inputs.map { try kept.run($0)["y"]! }
        let batch = try streamed.run(batch: inputs).map { $0["y"]! }
        // Stacked float products are freezer's fma chains: the same bits; BLAS's (float64) agree closely.
        if precision == .own && Interpreter.usesNativeKernels {
            #expect(batch == one)
        } else {
            for (b, o) in zip(batch, one) {
                #expect(b.shape == o.shape)
                for (x, y) in zip(b.asDoubles, o.asDoubles) { #expect(abs(x - y) <= 1e-13 * max(1, abs(y))) }
            }
        }
        // Again: the plan is reused, every initializer is read anew, and the batch gives the same bits.
        #expect(try streamed.run(batch: inputs).map { $0["y"]! } == batch)
        #expect(streamed.constants.count == 0)
        #expect(kept.constants.count > 0)
    }

    @Test func aFedDefaultReplacesTheInitializerInEverySample() throws {
        let streamed = Interpreter(model: model(), options: .init(keepsConstants: false))
        let kept = Interpreter(model: model())
        var inputs = samples(2)
        inputs[1]["scale"] = NDArray(floats: [2], shape: [])
        #expect(try streamed.run(batch: inputs).map { $0["y"]! } == (try inputs.map { try kept.run($0)["y"]! }))
    }

    @Test func initializersAreLoadedByTheirFirstReader() throws {
        let m = model()
        let plan = try ExecutionPlan(m.graph, wanted: m.graph.outputs, registry: .standard)
        let loaded = plan.steps.flatMap { $0.loads.map { m.graph.value($0.value).name } }
        #expect(Set(loaded) == ["w1", "b1", "w2", "scale"])
        #expect(loaded.count == 4) // b1 is read twice but loaded once
        #expect(!plan.sources.contains { if case .constant = $0.source { true } else { false } })
    }

    @Test(arguments: [Precision.own, .float64])
    func convolutionsOfAllSamplesRunAsOneBatch(_ precision: Precision) throws {
        var g = SeededGenerator(seed: 11)
        func values(_ n: Int) -> [Double] { (0..<n).map { _ in Double(g.next() % 2001) / 1000 - 1 } }
        let x = ValueInfo(name: "x", type: ValueType(tensor: TensorType(elementType: .float, shape: [.value(1), .value(3), .value(8), .value(8)])))
        let graph = Graph(name: "g", inputs: [x], outputs: [ValueInfo(name: "y", type: nil)],
                          initializers: [.make(name: "w", type: .float, dims: [4, 3, 3, 3], values: values(108)),
                                         .make(name: "b", type: .float, dims: [4], values: values(4))],
                          nodes: [NodeSpec(opType: "Conv", opsetVersion: 17, inputs: ["x", "w", "b"], outputs: ["c"],
                                           attributes: [.init(name: "pads", value: .ints([1, 1, 1, 1]))]),
                                  NodeSpec(opType: "Relu", opsetVersion: 17, inputs: ["c"], outputs: ["y"])])
        let model = Model(irVersion: 8, opsetImports: [.init(domain: "", version: 17)], graph: graph)
        let inputs = (0..<3).map { _ in ["x": NDArray(floats: values(192).map(Float.init), shape: [1, 3, 8, 8])] }
        let one = try inputs.map { try Interpreter(model: model, options: .init(precision: precision)).run($0)["y"]! }
        let batch = try Interpreter(model: model, options: .init(precision: precision, keepsConstants: false)).run(batch: inputs).map { $0["y"]! }
        #expect(batch.map(\.shape) == one.map(\.shape))
        if precision == .own && Interpreter.usesNativeKernels {
            #expect(batch == one)
        } else {
            for (b, o) in zip(batch, one) {
                for (u, v) in zip(b.asDoubles, o.asDoubles) { #expect(abs(u - v) <= 1e-13 * max(1, abs(v))) }
            }
        }
    }
}
