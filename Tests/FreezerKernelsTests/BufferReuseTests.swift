import Testing
@testable import FreezerIR
@testable import FreezerKernels

/// Kernels may write their result into an input's buffer when the node is that value's last reader.
/// These tests make sure that never changes a value somebody else still sees.
@Suite("Buffer reuse across nodes")
struct BufferReuseTests {
    private func model(_ nodes: [NodeSpec], inputs: [String] = ["x"], outputs: [String],
                       initializers: [Tensor] = []) -> Model {
        let graph = Graph(name: "g", inputs: inputs.map { ValueInfo(name: $0, type: nil) },
                          outputs: outputs.map { ValueInfo(name: $0, type: nil) },
                          initializers: initializers, nodes: nodes)
        return Model(irVersion: 8, opsetImports: [.init(domain: "", version: 17)], graph: graph)
    }

    private func node(_ op: String, _ inputs: [String], _ output: String) -> NodeSpec {
        NodeSpec(opType: op, opsetVersion: 17, inputs: inputs, outputs: [output])
    }

    @Test func theCallersInputsAreNeverOverwritten() throws {
        let m = model([node("Neg", ["x"], "a"), node("Relu", ["a"], "b"), node("Add", ["b", "x"], "y")], outputs: ["y"])
        let x = NDArray(floats: [1, -2, 3], shape: [3])
        let y = try Interpreter(model: m).run(["x": x])["y"]!
        #expect(x.floats == [1, -2, 3])
        #expect(y.floats == [1, 0, 3])
    }

    @Test func aValueReadAgainLaterKeepsItsValues() throws {
        // `a` feeds Relu and, later, Sub: Relu must not write into `a`.
        let m = model([node("Neg", ["x"], "a"), node("Relu", ["a"], "b"), node("Sub", ["b", "a"], "y")], outputs: ["y"])
        let y = try Interpreter(model: m).run(["x": NDArray(floats: [1, -2], shape: [2])])["y"]!
        #expect(y.floats == [1, 0])   // relu(-1) - (-1), relu(2) - 2
    }

    @Test func aRequestedIntermediateIsNotOverwrittenByItsReader() throws {
        let m = model([node("Neg", ["x"], "a"), node("Exp", ["a"], "y")], outputs: ["y"])
        let result = try Interpreter(model: m).run(["x": NDArray(floats: [0, 1], shape: [2])], outputs: ["a", "y"])
        #expect(result["a"]!.floats == [0, -1])
        #expect(result["y"]!.floats == [1, Float(0.36787944117144233)])
    }

    @Test func theSameValueTwiceInOneNode() throws {
        let m = model([node("Neg", ["x"], "a"), node("Mul", ["a", "a"], "y")], outputs: ["y"])
        #expect(try Interpreter(model: m).run(["x": NDArray(floats: [3, -4], shape: [2])])["y"]!.floats == [9, 16])
    }

    @Test func constantsStayIntactOverRepeatedRuns() throws {
        let w = Tensor.make(name: "w", type: .float, dims: [2], values: [-1, 2])
        let m = model([node("Relu", ["w"], "r"), node("Add", ["r", "x"], "y")], outputs: ["y"], initializers: [w])
        let interpreter = Interpreter(model: m)
        for _ in 0..<3 {
            #expect(try interpreter.run(["x": NDArray(floats: [10, 10], shape: [2])])["y"]!.floats == [10, 12])
        }
    }

    @Test func broadcastIntoEitherOperand() throws {
        // Output shape is b's: the in-place path writes into the second operand.
        let m = model([node("Neg", ["x"], "a"), node("Neg", ["z"], "b"), node("Sub", ["a", "b"], "y")],
                      inputs: ["x", "z"], outputs: ["y"])
        let y = try Interpreter(model: m).run(["x": NDArray(floats: [1, 2], shape: [2]),
                                               "z": NDArray(floats: [10, 20, 30, 40], shape: [2, 2])])["y"]!
        #expect(y.shape == [2, 2])
        #expect(y.floats == [9, 18, 29, 38])   // -x - (-z)
    }

    @Test func profileCountsEveryNodeByOperator() throws {
        let m = model([node("Neg", ["x"], "a"), node("Relu", ["a"], "b"), node("Neg", ["b"], "y")], outputs: ["y"])
        let interpreter = Interpreter(model: m)
        let profile = RunProfile()
        for _ in 0..<2 { _ = try interpreter.run(["x": NDArray(floats: [1], shape: [1])], profile: profile) }
        #expect(profile.runs == 2)
        #expect(Set(profile.operators.map(\.opType)) == ["Neg", "Relu"])
        #expect(profile.operators.first { $0.opType == "Neg" }?.calls == 4)
        #expect(profile.operators.first { $0.opType == "Relu" }?.calls == 2)
        #expect(profile.totalSeconds > 0)
    }
}
