import Testing
@testable import FreezerIR
@testable import FreezerKernels

@Suite("Interpreter")
struct InterpreterTests {
    @Test func identityPassesValuesThrough() throws {
        let x = NDArray(floats: [1, 2, 3], shape: [3])
        #expect(try runNode("Identity", [x]) == [x])
    }

    @Test func unsupportedOperatorIsRefusedBeforeEvaluationNamingItsOpset() {
        let error = #expect(throws: EvaluationError.self) {
            try runNode("NoSuchOp", [NDArray(floats: [1], shape: [1])], domain: "com.example")
        }
        #expect(error?.description.contains("com.example::NoSuchOp (opset 17)") == true)
        #expect(error?.description.contains("Identity") == true)
    }

    @Test func missingAndMistypedInputsAreNamed() throws {
        let graph = Graph(name: "g", inputs: [ValueInfo(name: "x", type: ValueType(tensor: TensorType(elementType: .float, shape: [.value(2), .symbol("n")])))],
                          outputs: [ValueInfo(name: "y", type: nil)],
                          nodes: [NodeSpec(opType: "Identity", opsetVersion: 17, inputs: ["x"], outputs: ["y"])])
        let interpreter = Interpreter(model: Model(irVersion: 8, opsetImports: [.init(domain: "", version: 17)], graph: graph))
        #expect(throws: EvaluationError.missingInput(name: "x", expected: ["x"])) { try interpreter.run([:]) }
        #expect(throws: EvaluationError.inputMismatch(name: "x", expected: "float32[2,n]", actual: "float32[3,1]")) {
            try interpreter.run(["x": NDArray(floats: [1, 2, 3], shape: [3, 1])])
        }
        #expect(throws: EvaluationError.inputMismatch(name: "x", expected: "float32[2,n]", actual: "int64[2,1]")) {
            try interpreter.run(["x": NDArray(ints: [1, 2], shape: [2, 1])])
        }
        #expect(throws: EvaluationError.unexpectedInput(name: "z", expected: ["x"])) {
            try interpreter.run(["x": NDArray(floats: [1, 2], shape: [2, 1]), "z": NDArray(floats: [1], shape: [1])])
        }
        #expect(try interpreter.run(["x": NDArray(floats: [1, 2, 3, 4], shape: [2, 2])])["y"]!.floats == [1, 2, 3, 4])
    }

    @Test func onlyNeededNodesRun() throws {
        // The unsupported op feeds an output nobody asks for, so the run succeeds.
        let graph = Graph(name: "g", inputs: [ValueInfo(name: "x", type: nil)],
                          outputs: [ValueInfo(name: "y", type: nil), ValueInfo(name: "loss", type: nil)],
                          nodes: [NodeSpec(opType: "Identity", opsetVersion: 17, inputs: ["x"], outputs: ["y"]),
                                  NodeSpec(opType: "Gradient", domain: "ai.onnx.preview.training", opsetVersion: 1, inputs: ["x"], outputs: ["loss"])])
        let model = Model(irVersion: 8, opsetImports: [.init(domain: "", version: 17), .init(domain: "ai.onnx.preview.training", version: 1)], graph: graph)
        let interpreter = Interpreter(model: model)
        #expect(try interpreter.run(["x": NDArray(floats: [5], shape: [1])], outputs: ["y"])["y"]!.floats == [5])
        #expect(throws: EvaluationError.self) { try interpreter.run(["x": NDArray(floats: [5], shape: [1])]) }
    }

    @Test func float16ResultsAreRoundedToHalfPrecision() {
        let a = NDArray(floats: [1.0001, 65519, 1e-8], shape: [3], type: .float16).rounded()
        #expect(a.floats == [1, 65504, 0])
    }

    @Test func tensorConversionRoundTrips() throws {
        let t = Tensor.make(name: "t", type: .float16, dims: [2], values: [1.5, -2])
        let a = try NDArray(t)
        #expect(a.elementType == .float16 && a.floats == [1.5, -2])
        #expect(try a.tensor(name: "t").doubles() == [1.5, -2])
        let i = try NDArray(Tensor.makeInt64(name: "i", dims: [2], values: [.min, .max]))
        #expect(i.ints == [.min, .max])
    }
}

/// Nodes that read only constants (a weight standardized at run time) run once for all samples of a
/// batch that does not keep constants, their results shared; the results are those of one sample at a time.
@Suite("Constant subgraphs in a batch")
struct SharedConstantSubgraphTests {
    /// y = x · (W − mean(W)) + b, with the standardized weight computed at run time.
    static func model() -> Model {
        let w = Tensor.make(name: "W", type: .float, dims: [4, 3], values: (0..<12).map { Double($0) * 0.37 - 1.1 })
        let b = Tensor.make(name: "b", type: .float, dims: [3], values: [0.5, -0.25, 2])
        let axes = Tensor.makeInt64(name: "axes", dims: [1], values: [0])
        let x = ValueInfo(name: "x", type: ValueType(tensor: TensorType(elementType: .float, shape: [.value(2), .value(4)])))
        let nodes = [NodeSpec(name: "mean", opType: "ReduceMean", opsetVersion: 18, inputs: ["W", "axes"], outputs: ["m"]),
                     NodeSpec(name: "center", opType: "Sub", opsetVersion: 18, inputs: ["W", "m"], outputs: ["w"]),
                     NodeSpec(name: "product", opType: "MatMul", opsetVersion: 18, inputs: ["x", "w"], outputs: ["p"]),
                     NodeSpec(name: "bias", opType: "Add", opsetVersion: 18, inputs: ["p", "b"], outputs: ["y"])]
        let graph = Graph(name: "g", inputs: [x], outputs: [ValueInfo(name: "y", type: nil)], initializers: [w, b, axes], nodes: nodes)
        return Model(irVersion: 8, opsetImports: [.init(domain: "", version: 18)], graph: graph)
    }

    @Test(arguments: [Precision.own, .float64])
    func nodesReadingOnlyConstantsRunOnceForTheBatch(_ precision: Precision) throws {
        let batch = (0..<3).map { k in ["x": NDArray(floats: (0..<8).map { Float($0 + k) * 0.25 - 1 }, shape: [2, 4])] }
        let profile = RunProfile()
        let together = try Interpreter(model: Self.model(), options: .init(precision: precision, keepsConstants: false))
            .run(batch: batch, profile: profile)
        let apart = try batch.map { try Interpreter(model: Self.model(), options: .init(precision: precision, keepsConstants: false)).run($0) }
        #expect(together == apart)
        let calls = Dictionary(uniqueKeysWithValues: profile.operators.map { ($0.opType, $0.calls) })
        #expect(calls["ReduceMean"] == 1 && calls["Sub"] == 1)
        #expect(calls["Add"] == 3)
    }
}
