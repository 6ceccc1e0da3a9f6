import Testing
@testable import FreezerIR
@testable import FreezerKernels

// Bodies use only Identity (and nested control flow), so these tests need no other operator family.
// Expected values follow from the operators' definitions; the Scan cases marked "onnxruntime" were
// checked with onnxruntime 1.32.0 (models built with onnx.helper as described at each test).

/// A small builder for graphs with subgraphs.
enum CF {
    static func vi(_ name: String, _ type: ElementType = .float, _ shape: [Int64]? = nil) -> ValueInfo {
        ValueInfo(name: name, type: ValueType(tensor: TensorType(elementType: type, shape: shape?.map { .value($0) })))
    }

    static func node(_ op: String, _ inputs: [String], _ outputs: [String], _ attributes: [Attribute] = [],
                     opset: Int64 = 17) -> NodeSpec {
        NodeSpec(name: "\(op)_\(outputs.first ?? "")", opType: op, opsetVersion: opset, inputs: inputs, outputs: outputs,
                 attributes: attributes)
    }

    static func identity(_ from: String, _ to: String) -> NodeSpec { node("Identity", [from], [to]) }

    static func graph(_ name: String, inputs: [ValueInfo], outputs: [ValueInfo], nodes: [NodeSpec],
                      initializers: [Tensor] = [], outer: Set<String> = []) -> Graph {
        Graph(name: name, inputs: inputs, outputs: outputs, initializers: initializers, nodes: nodes, outerScope: outer)
    }

    static func attr(_ name: String, _ g: Graph) -> Attribute { Attribute(name: name, value: .graph(g)) }

    /// Runs a main graph and returns the requested outputs (default: all graph outputs).
    static func run(_ graph: Graph, opset: Int64 = 17, _ feeds: [String: NDArray]) throws -> [String: NDArray] {
        let model = Model(irVersion: 8, opsetImports: [OpsetImport(domain: "", version: opset)], graph: graph)
        return try Interpreter(model: model).run(feeds)
    }

    static func f(_ v: [Float], _ shape: [Int]) -> NDArray { NDArray(floats: v, shape: shape) }
    static func i(_ v: [Int64], _ shape: [Int]) -> NDArray { NDArray(ints: v, shape: shape) }
    static func b(_ v: Bool) -> NDArray { NDArray(bools: [v], shape: []) }
}

/// The text of an evaluation error, for `#expect(... contains ...)`.
func cfErrorText(_ body: () throws -> Void) -> String {
    do { try body(); return "" } catch { return "\(error)" }
}

@Suite("Control flow: If")
struct IfTests {
    /// then: Identity(x) (outer scope); else: a constant of another shape (allowed from opset 11).
    static func model() -> Graph {
        let z = Tensor.make(name: "z", type: .float, dims: [3], values: [7, 8, 9])
        let thenBranch = CF.graph("then", inputs: [], outputs: [CF.vi("t")], nodes: [CF.identity("x", "t")], outer: ["x", "z"])
        let elseBranch = CF.graph("else", inputs: [], outputs: [CF.vi("e")], nodes: [CF.identity("z", "e")], outer: ["x", "z"])
        return CF.graph("main", inputs: [CF.vi("cond", .bool, []), CF.vi("x", .float, [2])], outputs: [CF.vi("y")],
                        nodes: [CF.node("If", ["cond"], ["y"], [CF.attr("then_branch", thenBranch), CF.attr("else_branch", elseBranch)])],
                        initializers: [z])
    }

    @Test(arguments: [Int64(1), 11, 13, 16, 19, 21, 23])
    func selectsBranchAndReadsOuterScope(opset: Int64) throws {
        let x = CF.f([1, 2], [2])
        #expect(try CF.run(Self.model(), opset: opset, ["cond": CF.b(true), "x": x])["y"] == x)
        #expect(try CF.run(Self.model(), opset: opset, ["cond": CF.b(false), "x": x])["y"] == CF.f([7, 8, 9], [3]))
    }

    @Test func conditionMayBeOneElementOfAnyRank() throws {
        var m = Self.model()
        m = CF.graph("main", inputs: [CF.vi("cond", .bool, [1, 1]), CF.vi("x", .float, [2])], outputs: [CF.vi("y")],
                     nodes: m.nodes.map { n in CF.node("If", ["cond"], ["y"], n.attributes) },
                     initializers: m.initializers.map(\.tensor))
        #expect(try CF.run(m, ["cond": NDArray(bools: [false], shape: [1, 1]), "x": CF.f([1, 2], [2])])["y"] == CF.f([7, 8, 9], [3]))
    }

    @Test func nestedIfReadsEveryEnclosingScope() throws {
        let inner = CF.graph("inner_then", inputs: [], outputs: [CF.vi("it")], nodes: [CF.identity("x", "it")], outer: ["x", "c2"])
        let innerElse = CF.graph("inner_else", inputs: [], outputs: [CF.vi("ie")], nodes: [CF.identity("x", "ie")], outer: ["x", "c2"])
        let outerThen = CF.graph("outer_then", inputs: [], outputs: [CF.vi("ot")],
                                 nodes: [CF.node("If", ["c2"], ["ot"], [CF.attr("then_branch", inner), CF.attr("else_branch", innerElse)])],
                                 outer: ["x", "c2"])
        let outerElse = CF.graph("outer_else", inputs: [], outputs: [CF.vi("oe")], nodes: [CF.identity("c2", "oe")], outer: ["x", "c2"])
        let main = CF.graph("main", inputs: [CF.vi("c1", .bool, []), CF.vi("c2", .bool, []), CF.vi("x", .float, [1])],
                            outputs: [CF.vi("y")],
                            nodes: [CF.node("If", ["c1"], ["y"], [CF.attr("then_branch", outerThen), CF.attr("else_branch", outerElse)])])
        #expect(try CF.run(main, ["c1": CF.b(true), "c2": CF.b(true), "x": CF.f([5], [1])])["y"] == CF.f([5], [1]))
    }

    @Test func rejectsNonBoolOrMultiElementCondition() throws {
        let m = Self.model()
        let asFloat = CF.graph("main", inputs: [CF.vi("cond", .float, []), CF.vi("x", .float, [2])], outputs: [CF.vi("y")],
                               nodes: m.nodes.map { CF.node("If", ["cond"], ["y"], $0.attributes) },
                               initializers: m.initializers.map(\.tensor))
        let text = cfErrorText { _ = try CF.run(asFloat, ["cond": NDArray(floats: [1], shape: []), "x": CF.f([1, 2], [2])]) }
        #expect(text.contains("'cond' must be a bool tensor with exactly one element, but is float32[]"))
        let two = CF.graph("main", inputs: [CF.vi("cond", .bool, [2]), CF.vi("x", .float, [2])], outputs: [CF.vi("y")],
                           nodes: m.nodes.map { CF.node("If", ["cond"], ["y"], $0.attributes) },
                           initializers: m.initializers.map(\.tensor))
        #expect(cfErrorText { _ = try CF.run(two, ["cond": NDArray(bools: [true, false], shape: [2]), "x": CF.f([1, 2], [2])]) }
            .contains("exactly one element, but is bool[2]"))
    }

    @Test func branchesMustMatchTheNodeOutputCount() throws {
        let one = CF.graph("then", inputs: [], outputs: [CF.vi("t")], nodes: [CF.identity("x", "t")], outer: ["x"])
        let two = CF.graph("else", inputs: [], outputs: [CF.vi("e1"), CF.vi("e2")],
                           nodes: [CF.identity("x", "e1"), CF.identity("x", "e2")], outer: ["x"])
        let main = CF.graph("main", inputs: [CF.vi("cond", .bool, []), CF.vi("x", .float, [1])], outputs: [CF.vi("y")],
                            nodes: [CF.node("If", ["cond"], ["y"], [CF.attr("then_branch", one), CF.attr("else_branch", two)])])
        // Refused whichever branch the condition selects.
        let text = cfErrorText { _ = try CF.run(main, ["cond": CF.b(true), "x": CF.f([1], [1])]) }
        #expect(text.contains("the node has 1 output but then_branch has 1 and else_branch has 2"))
    }

    @Test func errorsInsideABranchNameTheBranch() throws {
        let broken = CF.graph("then", inputs: [], outputs: [CF.vi("t")],
                              nodes: [CF.node("If", ["x"], ["t"], [])], outer: ["x"]) // If without branches, on a float
        let fine = CF.graph("else", inputs: [], outputs: [CF.vi("e")], nodes: [CF.identity("x", "e")], outer: ["x"])
        let main = CF.graph("main", inputs: [CF.vi("cond", .bool, []), CF.vi("x", .float, [1])], outputs: [CF.vi("y")],
                            nodes: [CF.node("If", ["cond"], ["y"], [CF.attr("then_branch", broken), CF.attr("else_branch", fine)])])
        let text = cfErrorText { _ = try CF.run(main, ["cond": CF.b(true), "x": CF.f([1], [1])]) }
        #expect(text.contains("then_branch failed"))
        #expect(try CF.run(main, ["cond": CF.b(false), "x": CF.f([1], [1])])["y"] == CF.f([1], [1]))
    }
}

@Suite("Control flow: Loop")
struct LoopTests {
    /// Loop(M, cond, v) with body: cond_out = Identity(cond_in), v_out = Identity(v_in),
    /// scan outputs iteration_num and v_in.
    static func counting(m: Bool, cond: Bool, opset: Int64 = 17, mShape: [Int64]? = []) -> Graph {
        let body = CF.graph("body", inputs: [CF.vi("i", .int64, []), CF.vi("c", .bool, []), CF.vi("v_in", .float, [2])],
                            outputs: [CF.vi("c_out", .bool, []), CF.vi("v_out", .float, [2]), CF.vi("i_scan", .int64, []), CF.vi("v_scan", .float, [2])],
                            nodes: [CF.identity("c", "c_out"), CF.identity("v_in", "v_out"), CF.identity("i", "i_scan"), CF.identity("v_in", "v_scan")])
        var inputs = [CF.vi("v", .float, [2])]
        if m { inputs.append(CF.vi("M", .int64, mShape)) }
        if cond { inputs.append(CF.vi("cond", .bool, [])) }
        return CF.graph("main", inputs: inputs, outputs: [CF.vi("v_final"), CF.vi("iters"), CF.vi("vs")],
                        nodes: [CF.node("Loop", [m ? "M" : "", cond ? "cond" : "", "v"], ["v_final", "iters", "vs"], [CF.attr("body", body)], opset: opset)])
    }

    @Test(arguments: [Int64(1), 11, 13, 16, 19, 21])
    func tripCountOnly(opset: Int64) throws {
        let v = CF.f([1, 2], [2])
        let r = try CF.run(Self.counting(m: true, cond: false, opset: opset), opset: opset, ["v": v, "M": CF.i([3], [])])
        #expect(r["v_final"] == v)
        #expect(r["iters"] == CF.i([0, 1, 2], [3]))
        #expect(r["vs"] == CF.f([1, 2, 1, 2, 1, 2], [3, 2]))
    }

    @Test func zeroAndNegativeTripCountsRunNothing() throws {
        for m: Int64 in [0, -4] {
            let r = try CF.run(Self.counting(m: true, cond: false), ["v": CF.f([1, 2], [2]), "M": CF.i([m], [])])
            #expect(r["v_final"] == CF.f([1, 2], [2]))
            // Empty scan outputs take their element shape from the body's declaration.
            #expect(r["iters"] == CF.i([], [0]))
            #expect(r["vs"] == CF.f([], [0, 2]))
        }
    }

    @Test func falseInitialConditionRunsNothing() throws {
        let r = try CF.run(Self.counting(m: true, cond: true), ["v": CF.f([1, 2], [2]), "M": CF.i([5], []), "cond": CF.b(false)])
        #expect(r["iters"] == CF.i([], [0]))
    }

    /// A while loop: the condition comes from rotating carried bools (true, true, false), so the body
    /// reports true, true, false and the loop runs three times.
    @Test func conditionDrivenWhileLoop() throws {
        let body = CF.graph("body", inputs: [CF.vi("i", .int64, []), CF.vi("c", .bool, []),
                                             CF.vi("a", .bool, []), CF.vi("b", .bool, []), CF.vi("d", .bool, [])],
                            outputs: [CF.vi("c_out", .bool, []), CF.vi("a_out", .bool, []), CF.vi("b_out", .bool, []),
                                      CF.vi("d_out", .bool, []), CF.vi("i_scan", .int64, []), CF.vi("c_scan", .bool, [])],
                            nodes: [CF.identity("a", "c_out"), CF.identity("b", "a_out"), CF.identity("d", "b_out"),
                                    CF.identity("a", "d_out"), CF.identity("i", "i_scan"), CF.identity("c", "c_scan")])
        let main = CF.graph("main", inputs: [CF.vi("cond", .bool, []), CF.vi("a0", .bool, []), CF.vi("b0", .bool, []), CF.vi("d0", .bool, [])],
                            outputs: [CF.vi("a_f"), CF.vi("b_f"), CF.vi("d_f"), CF.vi("iters"), CF.vi("conds")],
                            nodes: [CF.node("Loop", ["", "cond", "a0", "b0", "d0"], ["a_f", "b_f", "d_f", "iters", "conds"], [CF.attr("body", body)])])
        let r = try CF.run(main, ["cond": CF.b(true), "a0": CF.b(true), "b0": CF.b(true), "d0": CF.b(false)])
        #expect(r["iters"] == CF.i([0, 1, 2], [3]))
        // The body sees the condition in effect for its iteration.
        #expect(r["conds"] == NDArray(bools: [true, true, true], shape: [3]))
        #expect(r["a_f"] == CF.b(true) && r["b_f"] == CF.b(true) && r["d_f"] == CF.b(false))
    }

    @Test func withoutConditionInputTheBodyConditionIsIgnored() throws {
        // Body returns false as its condition; with only M given the loop still runs M times.
        let f = Tensor.make(name: "f", type: .bool, dims: [], values: [0])
        let body = CF.graph("body", inputs: [CF.vi("i", .int64, []), CF.vi("c", .bool, [])],
                            outputs: [CF.vi("c_out", .bool, []), CF.vi("i_scan", .int64, [])],
                            nodes: [CF.identity("f", "c_out"), CF.identity("i", "i_scan")], initializers: [f])
        let main = CF.graph("main", inputs: [CF.vi("M", .int64, [])], outputs: [CF.vi("iters")],
                            nodes: [CF.node("Loop", ["M", ""], ["iters"], [CF.attr("body", body)])])
        #expect(try CF.run(main, ["M": CF.i([4], [])])["iters"] == CF.i([0, 1, 2, 3], [4]))
    }

    @Test func endlessLoopStopsAtTheIterationLimit() throws {
        let text = ControlFlowOperators.$maxLoopIterations.withValue(50) {
            cfErrorText { _ = try CF.run(Self.counting(m: false, cond: false), ["v": CF.f([1, 2], [2])]) }
        }
        #expect(text.contains("the loop ran 50 iterations without stopping (trip count not given, condition not given)"))
        // A trip count at the limit is fine.
        let r = try ControlFlowOperators.$maxLoopIterations.withValue(50) {
            try CF.run(Self.counting(m: true, cond: false), ["v": CF.f([1, 2], [2]), "M": CF.i([50], [])])
        }
        #expect(r["iters"]?.shape == [50])
        #expect(ControlFlowOperators.maxLoopIterations == 1_000_000)
    }

    @Test func bodyReadsOuterScopeAndNestedLoopsCapture() throws {
        // Inner loop (M = 2) stacks the outer iteration number; the outer loop (M = 3) stacks those.
        let inner = CF.graph("inner", inputs: [CF.vi("j", .int64, []), CF.vi("ci", .bool, [])],
                             outputs: [CF.vi("ci_out", .bool, []), CF.vi("outer_i", .int64, []), CF.vi("w", .float, [1])],
                             nodes: [CF.identity("ci", "ci_out"), CF.identity("i", "outer_i"), CF.identity("x", "w")],
                             outer: ["i", "c", "x", "two", "three"])
        let outer = CF.graph("outer", inputs: [CF.vi("i", .int64, []), CF.vi("c", .bool, [])],
                             outputs: [CF.vi("c_out", .bool, []), CF.vi("rows", .int64, [2]), CF.vi("ws", .float, [2, 1])],
                             nodes: [CF.identity("c", "c_out"), CF.node("Loop", ["two", ""], ["rows", "ws"], [CF.attr("body", inner)])],
                             outer: ["x", "two", "three"])
        let main = CF.graph("main", inputs: [CF.vi("x", .float, [1])], outputs: [CF.vi("grid"), CF.vi("xs")],
                            nodes: [CF.node("Loop", ["three", ""], ["grid", "xs"], [CF.attr("body", outer)])],
                            initializers: [Tensor.makeInt64(name: "two", dims: [], values: [2]),
                                           Tensor.makeInt64(name: "three", dims: [], values: [3])])
        let r = try CF.run(main, ["x": CF.f([9], [1])])
        #expect(r["grid"] == CF.i([0, 0, 1, 1, 2, 2], [3, 2]))
        #expect(r["xs"] == CF.f([9, 9, 9, 9, 9, 9], [3, 2, 1]))
    }

    @Test func plannedBodiesReadFreshValuesOnEveryRunAndIteration() throws {
        // Body plans are kept with their Loop node across iterations and runs: outer-scope values and
        // carried values must still be read anew each time.
        let body = CF.graph("body", inputs: [CF.vi("i", .int64, []), CF.vi("c", .bool, []), CF.vi("acc")],
                            outputs: [CF.vi("c_out", .bool, []), CF.vi("acc_out"), CF.vi("seen")],
                            nodes: [CF.identity("c", "c_out"), CF.node("Add", ["acc", "x"], ["acc_out"]), CF.identity("i", "seen")],
                            outer: ["x", "four"])
        let main = CF.graph("main", inputs: [CF.vi("x", .float, [1])], outputs: [CF.vi("total"), CF.vi("steps")],
                            nodes: [CF.node("Loop", ["four", "", "zero"], ["total", "steps"], [CF.attr("body", body)])],
                            initializers: [Tensor.makeInt64(name: "four", dims: [], values: [4]),
                                           Tensor.make(name: "zero", type: .float, dims: [1], values: [0])])
        let model = Model(irVersion: 8, opsetImports: [OpsetImport(domain: "", version: 17)], graph: main)
        let interpreter = Interpreter(model: model)
        for x in [Float(1.5), 10, -2] {
            let r = try interpreter.run(["x": CF.f([x], [1])])
            #expect(r["total"] == CF.f([4 * x], [1]))
            #expect(r["steps"] == CF.i([0, 1, 2, 3], [4]))
        }
    }

    @Test func carriedShapesMayChangeButScanOutputsMayNot() throws {
        // Carried p [2] and q [3] swap every iteration (allowed); scanning p then fails on iteration 1.
        let body = CF.graph("body", inputs: [CF.vi("i", .int64, []), CF.vi("c", .bool, []), CF.vi("p", .float, nil), CF.vi("q", .float, nil)],
                            outputs: [CF.vi("c_out", .bool, []), CF.vi("p_out"), CF.vi("q_out"), CF.vi("p_scan")],
                            nodes: [CF.identity("c", "c_out"), CF.identity("q", "p_out"), CF.identity("p", "q_out"), CF.identity("p", "p_scan")])
        let swapOnly = CF.graph("main", inputs: [CF.vi("M", .int64, []), CF.vi("p0"), CF.vi("q0")], outputs: [CF.vi("pf"), CF.vi("qf")],
                                nodes: [CF.node("Loop", ["M", "", "p0", "q0"], ["pf", "qf"], [CF.attr("body", body)])])
        let feeds = ["M": CF.i([3], []), "p0": CF.f([1, 2], [2]), "q0": CF.f([3, 4, 5], [3])]
        let r = try CF.run(swapOnly, feeds)
        #expect(r["pf"] == CF.f([3, 4, 5], [3]))
        #expect(r["qf"] == CF.f([1, 2], [2]))
        let scanning = CF.graph("main", inputs: [CF.vi("M", .int64, []), CF.vi("p0"), CF.vi("q0")],
                                outputs: [CF.vi("pf"), CF.vi("qf"), CF.vi("ps")],
                                nodes: [CF.node("Loop", ["M", "", "p0", "q0"], ["pf", "qf", "ps"], [CF.attr("body", body)])])
        let text = cfErrorText { _ = try CF.run(scanning, feeds) }
        #expect(text.contains("scan output 'p_scan' cannot be assembled: element 1 is float32[3] but element 0 is float32[2]"))
    }

    @Test func bodyArityIsChecked() throws {
        let body = CF.graph("body", inputs: [CF.vi("i", .int64, []), CF.vi("c", .bool, [])],
                            outputs: [CF.vi("c_out", .bool, [])], nodes: [CF.identity("c", "c_out")])
        let main = CF.graph("main", inputs: [CF.vi("M", .int64, []), CF.vi("v")], outputs: [CF.vi("vf")],
                            nodes: [CF.node("Loop", ["M", "", "v"], ["vf"], [CF.attr("body", body)])])
        let text = cfErrorText { _ = try CF.run(main, ["M": CF.i([1], []), "v": CF.f([1], [1])]) }
        #expect(text.contains("the node has 1 loop-carried input, so body must have 3 inputs"))
    }

    @Test func tripCountMustBeOneInteger() throws {
        let text = cfErrorText {
            _ = try CF.run(Self.counting(m: true, cond: false, mShape: nil), ["v": CF.f([1, 2], [2]), "M": CF.i([1, 2], [2])])
        }
        #expect(text.contains("input 'M' (trip count) must be an int64 tensor with exactly one element, but is int64[2]"))
    }
}

@Suite("Control flow: Scan")
struct ScanTests {
    /// Body: s_out = Identity(x_t) (the state becomes the current element), o = Identity(s_in)
    /// (the previous state), o2 = Identity(x_t).
    static let body = CF.graph("body", inputs: [CF.vi("s_in", .float, [2]), CF.vi("x_t", .float, [2])],
                               outputs: [CF.vi("s_out", .float, [2]), CF.vi("o", .float, [2]), CF.vi("o2", .float, [2])],
                               nodes: [CF.identity("x_t", "s_out"), CF.identity("s_in", "o"), CF.identity("x_t", "o2")])

    static func scan9(_ attributes: [Attribute], opset: Int64 = 11) -> Graph {
        CF.graph("main", inputs: [CF.vi("s", .float, [2]), CF.vi("x")], outputs: [CF.vi("sf"), CF.vi("out"), CF.vi("out2")],
                 nodes: [CF.node("Scan", ["s", "x"], ["sf", "out", "out2"], [attr("num_scan_inputs", Int64(1)), CF.attr("body", body)] + attributes, opset: opset)])
    }

    @Test(arguments: [Int64(9), 11, 16, 19, 21])
    func forwardScanAlongAxis0(opset: Int64) throws {
        let r = try CF.run(Self.scan9([], opset: opset), opset: opset, ["s": CF.f([-1, -2], [2]), "x": CF.f([1, 2, 3, 4, 5, 6], [3, 2])])
        #expect(r["sf"] == CF.f([5, 6], [2]))
        #expect(r["out"] == CF.f([-1, -2, 1, 2, 3, 4], [3, 2]))
        #expect(r["out2"] == CF.f([1, 2, 3, 4, 5, 6], [3, 2]))
    }

    /// onnxruntime: Scan-11 with scan_input_axes=[-1], scan_input_directions=[1], scan_output_axes=[1,0],
    /// scan_output_directions=[1,0], s = [-1,-2], x = [[1,2,3],[4,5,6]].
    @Test func axesAndDirections() throws {
        let g = Self.scan9([attr("scan_input_axes", [Int64(-1)]), attr("scan_input_directions", [Int64(1)]),
                            attr("scan_output_axes", [Int64(1), 0]), attr("scan_output_directions", [Int64(1), 0])])
        let r = try CF.run(g, opset: 11, ["s": CF.f([-1, -2], [2]), "x": CF.f([1, 2, 3, 4, 5, 6], [2, 3])])
        #expect(r["sf"] == CF.f([1, 4], [2]))
        #expect(r["out"] == CF.f([2, 3, -1, 5, 6, -2], [2, 3]))
        #expect(r["out2"] == CF.f([3, 6, 2, 5, 1, 4], [3, 2]))
    }

    @Test func emptySequenceGivesEmptyScanOutputs() throws {
        let r = try CF.run(Self.scan9([]), opset: 11, ["s": CF.f([-1, -2], [2]), "x": CF.f([], [0, 2])])
        #expect(r["sf"] == CF.f([-1, -2], [2]))
        #expect(r["out"] == CF.f([], [0, 2]))
    }

    @Test func scanInputsMustAgreeOnLength() throws {
        let body = CF.graph("body", inputs: [CF.vi("a", .float, [1]), CF.vi("b", .float, [1])], outputs: [CF.vi("o", .float, [1])],
                            nodes: [CF.identity("a", "o")])
        let g = CF.graph("main", inputs: [CF.vi("x"), CF.vi("y")], outputs: [CF.vi("out")],
                         nodes: [CF.node("Scan", ["x", "y"], ["out"], [attr("num_scan_inputs", Int64(2)), CF.attr("body", body)], opset: 11)])
        let text = cfErrorText { _ = try CF.run(g, opset: 11, ["x": CF.f([1, 2, 3], [3, 1]), "y": CF.f([1, 2], [2, 1])]) }
        #expect(text.contains("scan input 1 is float32[2, 1] with 2 elements along its scan axis 0, but scan input 0 has 3"))
    }

    @Test func statesMustKeepTheirShape() throws {
        let body = CF.graph("body", inputs: [CF.vi("s_in"), CF.vi("x_t")], outputs: [CF.vi("s_out")],
                            nodes: [CF.identity("x_t", "s_out")])
        let g = CF.graph("main", inputs: [CF.vi("s"), CF.vi("x")], outputs: [CF.vi("sf")],
                         nodes: [CF.node("Scan", ["s", "x"], ["sf"], [attr("num_scan_inputs", Int64(1)), CF.attr("body", body)], opset: 11)])
        let text = cfErrorText { _ = try CF.run(g, opset: 11, ["s": CF.f([0], [1]), "x": CF.f([1, 2, 3, 4], [2, 2])]) }
        #expect(text.contains("state variable 0 ('s_in') is float32[1] but body (iteration 0) returned float32[2]"))
    }

    @Test func attributesAreValidated() throws {
        let wrongCount = Self.scan9([attr("scan_output_axes", [Int64(0)])])
        #expect(cfErrorText { _ = try CF.run(wrongCount, opset: 11, ["s": CF.f([0, 0], [2]), "x": CF.f([1, 2], [1, 2])]) }
            .contains("attribute 'scan_output_axes' has 1 entries but there are 2 scan outputs"))
        let badDirection = Self.scan9([attr("scan_input_directions", [Int64(2)])])
        #expect(cfErrorText { _ = try CF.run(badDirection, opset: 11, ["s": CF.f([0, 0], [2]), "x": CF.f([1, 2], [1, 2])]) }
            .contains("directions are 0 (forward) or 1 (reverse)"))
        let badAxis = Self.scan9([attr("scan_input_axes", [Int64(2)])])
        #expect(cfErrorText { _ = try CF.run(badAxis, opset: 11, ["s": CF.f([0, 0], [2]), "x": CF.f([1, 2], [1, 2])]) }
            .contains("axis 2 is out of range for rank 2"))
        let noCount = CF.graph("main", inputs: [CF.vi("s", .float, [2]), CF.vi("x")], outputs: [CF.vi("sf")],
                               nodes: [CF.node("Scan", ["s", "x"], ["sf"], [CF.attr("body", Self.body)], opset: 11)])
        #expect(cfErrorText { _ = try CF.run(noCount, opset: 11, ["s": CF.f([0, 0], [2]), "x": CF.f([1, 2], [1, 2])]) }
            .contains("attribute 'num_scan_inputs' must be between 1 and the 2 state and scan inputs, but is missing"))
    }

    /// onnxruntime: Scan-8 with directions=[1], sequence_lens = [3, 1], s = [[-1,-2],[-3,-4]],
    /// x = arange(1, 13).reshape(2, 3, 2). The short sequence's scan output is zero-padded.
    @Test func opset8BatchesWithSequenceLengths() throws {
        let g = CF.graph("main", inputs: [CF.vi("lens", .int64, [2]), CF.vi("s", .float, [2, 2]), CF.vi("x", .float, [2, 3, 2])],
                         outputs: [CF.vi("sf"), CF.vi("out"), CF.vi("out2")],
                         nodes: [CF.node("Scan", ["lens", "s", "x"], ["sf", "out", "out2"],
                                         [attr("num_scan_inputs", Int64(1)), attr("directions", [Int64(1)]), CF.attr("body", Self.body)], opset: 8)])
        let x = CF.f((1...12).map(Float.init), [2, 3, 2])
        let r = try CF.run(g, opset: 8, ["lens": CF.i([3, 1], [2]), "s": CF.f([-1, -2, -3, -4], [2, 2]), "x": x])
        #expect(r["sf"] == CF.f([1, 2, 7, 8], [2, 2]))
        #expect(r["out"] == CF.f([-1, -2, 5, 6, 3, 4, -3, -4, 0, 0, 0, 0], [2, 3, 2]))
        #expect(r["out2"] == CF.f([5, 6, 3, 4, 1, 2, 7, 8, 0, 0, 0, 0], [2, 3, 2]))
        // Without sequence_lens every sequence has the full length.
        let full = CF.graph("main", inputs: [CF.vi("s", .float, [2, 2]), CF.vi("x", .float, [2, 3, 2])], outputs: [CF.vi("sf")],
                            nodes: [CF.node("Scan", ["", "s", "x"], ["sf"], [attr("num_scan_inputs", Int64(1)), CF.attr("body", Self.body)], opset: 8)])
        #expect(try CF.run(full, opset: 8, ["s": CF.f([0, 0, 0, 0], [2, 2]), "x": x])["sf"] == CF.f([5, 6, 11, 12], [2, 2]))
    }

    @Test func opset8ChecksBatchAndLengths() throws {
        let g = CF.graph("main", inputs: [CF.vi("lens", .int64, [1]), CF.vi("s", .float, [1, 2]), CF.vi("x", .float, [1, 3, 2])],
                         outputs: [CF.vi("sf")],
                         nodes: [CF.node("Scan", ["lens", "s", "x"], ["sf"], [attr("num_scan_inputs", Int64(1)), CF.attr("body", Self.body)], opset: 8)])
        let text = cfErrorText {
            _ = try CF.run(g, opset: 8, ["lens": CF.i([4], [1]), "s": CF.f([0, 0], [1, 2]), "x": CF.f([1, 2, 3, 4, 5, 6], [1, 3, 2])])
        }
        #expect(text.contains("sequence_lens[0] is 4, outside 0...3"))
    }
}

@Suite("NDArray slicing and stacking")
struct StackingTests {
    @Test func sliceRemovesTheAxis() {
        let a = CF.i(Array(0..<24), [2, 3, 4])
        #expect(a.slice(at: 1, axis: 0) == CF.i(Array(12..<24), [3, 4]))
        #expect(a.slice(at: 2, axis: 1) == CF.i([8, 9, 10, 11, 20, 21, 22, 23], [2, 4]))
        #expect(a.slice(at: 3, axis: 2) == CF.i([3, 7, 11, 15, 19, 23], [2, 3]))
    }

    @Test func stackInsertsAnAxis() throws {
        let a = CF.i([1, 2, 3, 4], [2, 2])
        let b = CF.i([5, 6, 7, 8], [2, 2])
        #expect(try NDArray.stacked([a, b], axis: 0) == CF.i([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]))
        #expect(try NDArray.stacked([a, b], axis: 1) == CF.i([1, 2, 5, 6, 3, 4, 7, 8], [2, 2, 2]))
        #expect(try NDArray.stacked([a, b], axis: 2) == CF.i([1, 5, 2, 6, 3, 7, 4, 8], [2, 2, 2]))
        // Slicing undoes stacking.
        let s = try NDArray.stacked([a, b], axis: 1)
        #expect(s.slice(at: 1, axis: 1) == b)
    }

    @Test func stackKeepsElementTypesAndRefusesMixtures() throws {
        let h = NDArray(floats: [1, 2], shape: [2], type: .float16)
        #expect(try NDArray.stacked([h, h], axis: 0).elementType == .float16)
        let strings = NDArray(strings: ["a", "b"], shape: [2])
        #expect(try NDArray.stacked([strings, strings], axis: 1) == NDArray(strings: ["a", "a", "b", "b"], shape: [2, 2]))
        #expect(throws: NDArray.StackError.self) { try NDArray.stacked([h, CF.f([1, 2], [2])], axis: 0) }
        #expect(throws: NDArray.StackError.self) { try NDArray.stacked([], axis: 0) }
        #expect(throws: NDArray.StackError.self) { try NDArray.stacked([h], axis: 2) }
    }
}
