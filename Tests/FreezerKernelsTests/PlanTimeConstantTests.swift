import Testing
@testable import FreezerIR
@testable import FreezerKernels

/// Nodes whose inputs are all constants of the main graph are computed once, while planning, instead
/// of on every run; everything that could differ between runs is left to the run.
@Suite("Constants computed while planning")
struct PlanTimeConstantTests {
    private func model(_ nodes: [NodeSpec], inputs: [String] = ["x"], outputs: [String] = ["y"],
                       initializers: [Tensor]) -> Model {
        let graph = Graph(name: "g", inputs: inputs.map { ValueInfo(name: $0, type: nil) },
                          outputs: outputs.map { ValueInfo(name: $0, type: nil) },
                          initializers: initializers, nodes: nodes)
        return Model(irVersion: 8, opsetImports: [.init(domain: "", version: 17)], graph: graph)
    }

    private func node(_ op: String, _ inputs: [String], _ outputs: [String], _ attributes: [Attribute] = []) -> NodeSpec {
        NodeSpec(opType: op, opsetVersion: 17, inputs: inputs, outputs: outputs, attributes: attributes)
    }

    /// Operator types the profile saw over `runs` runs.
    private func profiledOperators(_ m: Model, feeds: [String: NDArray], runs: Int = 2) throws -> (Set<String>, [NDArray]) {
        let interpreter = Interpreter(model: m)
        let profile = RunProfile()
        var results: [NDArray] = []
        for _ in 0..<runs { results.append(try #require(try interpreter.run(feeds, profile: profile)["y"])) }
        return (Set(profile.operators.map(\.opType)), results)
    }

    @Test func aWeightTransposedByTheGraphIsTransposedOnceAndReadAsAConstant() throws {
        // y = x · transpose(w) where w is 3×2: the Transpose runs while planning, MatMul on every run.
        let w = Tensor.make(name: "w", type: .float, dims: [3, 2], values: [1, 2, 3, 4, 5, 6])
        let m = model([node("Identity", ["w"], ["w1"]), node("Transpose", ["w1"], ["wt"]), node("MatMul", ["x", "wt"], ["y"])],
                      initializers: [w])
        let x = NDArray(floats: [1, 0, -1, 2, 1, 0], shape: [3, 2])
        let (operators, results) = try profiledOperators(m, feeds: ["x": x])
        #expect(operators == ["MatMul"])
        // x·wᵀ with wᵀ = [[1,3,5],[2,4,6]]
        for y in results { #expect(y.floats == [1, 3, 5, 3, 5, 7, 1, 3, 5]) }
    }

    @Test func aRequestedValueComputedAheadIsStillReturned() throws {
        let w = Tensor.make(name: "w", type: .float, dims: [2], values: [-1, 2])
        let m = model([node("Relu", ["w"], ["r"]), node("Add", ["r", "x"], ["y"])], initializers: [w])
        let result = try Interpreter(model: m).run(["x": NDArray(floats: [1, 1], shape: [2])], outputs: ["r", "y"])
        #expect(result["r"]?.floats == [0, 2])
        #expect(result["y"]?.floats == [1, 3])
    }

    @Test func anInitializerThatIsAlsoAGraphInputIsReadOnEveryRun() throws {
        // `w` has a default but may be fed: the Neg of it depends on the run.
        let w = Tensor.make(name: "w", type: .float, dims: [2], values: [1, 2])
        let m = model([node("Neg", ["w"], ["n"]), node("Add", ["n", "x"], ["y"])], inputs: ["x", "w"], initializers: [w])
        let interpreter = Interpreter(model: m)
        let x = NDArray(floats: [0, 0], shape: [2])
        #expect(try interpreter.run(["x": x])["y"]?.floats == [-1, -2])
        #expect(try interpreter.run(["x": x, "w": NDArray(floats: [5, 6], shape: [2])])["y"]?.floats == [-5, -6])
        #expect(try interpreter.run(["x": x])["y"]?.floats == [-1, -2])
    }

    @Test func dropoutIsNeverComputedAhead() throws {
        // In training mode Dropout is random: it must run (and draw a mask) on every run.
        let w = Tensor.make(name: "w", type: .float, dims: [2], values: [1, 2])
        let ratio = Tensor.make(name: "ratio", type: .float, dims: [], values: [0])
        let m = model([node("Dropout", ["w", "ratio"], ["d"]), node("Add", ["d", "x"], ["y"])], initializers: [w, ratio])
        let (operators, results) = try profiledOperators(m, feeds: ["x": NDArray(floats: [0, 0], shape: [2])])
        #expect(operators.contains("Dropout"))
        for y in results { #expect(y.floats == [1, 2]) }
    }

    @Test func anErrorInAConstantNodeNamesTheNode() throws {
        // A Reshape of constants to an impossible shape fails while planning, with the node's own message.
        let w = Tensor.make(name: "w", type: .float, dims: [3], values: [1, 2, 3])
        let shape = Tensor.make(name: "s", type: .int64, dims: [1], values: [2])
        let m = model([node("Reshape", ["w", "s"], ["r"]), node("Add", ["r", "x"], ["y"])], initializers: [w, shape])
        #expect {
            _ = try Interpreter(model: m).run(["x": NDArray(floats: [0, 0], shape: [2])])
        } throws: { error in
            guard case .node(_, let opType, _)? = error as? EvaluationError else { return false }
            return opType == "Reshape"
        }
    }
}
