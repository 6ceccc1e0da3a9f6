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
