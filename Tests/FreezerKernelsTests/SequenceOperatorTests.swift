import Testing
@testable import FreezerIR
@testable import FreezerKernels

// Expected values follow from the operators' definitions (ONNX Operators.md), worked out by hand.

/// Builds and runs small graphs whose inputs and outputs may be sequences and optionals.
enum Seq {
    static func tensorInput(_ name: String, _ a: NDArray) -> ValueInfo {
        ValueInfo(name: name, type: ValueType(tensor: TensorType(elementType: a.elementType, shape: a.shape.map { .value(Int64($0)) })))
    }

    static func otherInput(_ name: String, _ kind: String) -> ValueInfo {
        ValueInfo(name: name, type: ValueType(tensor: nil, otherKind: kind, encoding: nil))
    }

    /// Runs one node on `inputs` (nil: absent input), returning its outputs.
    static func runNode(_ op: String, _ inputs: [RuntimeValue?], attributes: [Attribute] = [], outputs: Int = 1,
                        opset: Int64 = 18, domain: String = "", precision: Precision = .own) throws -> [RuntimeValue] {
        var infos: [ValueInfo] = []
        for (k, v) in inputs.enumerated() {
            switch v {
            case .tensor(let a): infos.append(tensorInput("in\(k)", a))
            case .sequence: infos.append(otherInput("in\(k)", "sequence"))
            case .optional: infos.append(otherInput("in\(k)", "optional"))
            case nil: break
            }
        }
        let inputNames = inputs.enumerated().map { $0.element == nil ? "" : "in\($0.offset)" }
        let outputNames = (0..<outputs).map { "out\($0)" }
        let graph = Graph(name: "single", inputs: infos, outputs: outputNames.map { ValueInfo(name: $0, type: nil) },
                          nodes: [NodeSpec(name: "n", opType: op, domain: domain, opsetVersion: opset, inputs: inputNames,
                                           outputs: outputNames, attributes: attributes)])
        var opsets = [OpsetImport(domain: "", version: opset)]
        if !domain.isEmpty { opsets.append(OpsetImport(domain: domain, version: opset)) }
        let model = Model(irVersion: 8, opsetImports: opsets, graph: graph)
        var feeds: [String: RuntimeValue] = [:]
        for (k, v) in inputs.enumerated() { if let v { feeds["in\(k)"] = v } }
        let result = try Interpreter(model: model, options: .init(precision: precision)).runValues(feeds)
        return outputNames.map { result[$0]! }
    }

    static func f(_ v: [Float], _ shape: [Int]) -> NDArray { NDArray(floats: v, shape: shape) }
    static func i(_ v: Int64) -> RuntimeValue { .tensor(NDArray(ints: [v], shape: [])) }

    /// The sequence of float scalars `values`.
    static func scalars(_ values: [Float]) -> RuntimeValue {
        .sequence(TensorSequence(elementType: .float, elements: values.map { f([$0], []) }))
    }

    /// The values of a sequence of one-element tensors.
    static func values(_ v: RuntimeValue) -> [Double]? {
        guard case .sequence(let s) = v else { return nil }
        return s.elements.map { $0.asDoubles[0] }
    }
}

@Suite("Sequence operators")
struct SequenceOperatorTests {
    static let insertions: [(Int64, [Double])] = [(0, [9, 1, 2, 3]), (1, [1, 9, 2, 3]), (3, [1, 2, 3, 9]), (-1, [1, 2, 9, 3]), (-3, [9, 1, 2, 3])]
    static let erasures: [(Int64, [Double])] = [(0, [2, 3]), (-1, [1, 2]), (-3, [2, 3]), (1, [1, 3])]

    @Test(arguments: insertions)
    func insertCountsNegativePositionsFromTheBack(position: Int64, expected: [Double]) throws {
        let out = try Seq.runNode("SequenceInsert", [Seq.scalars([1, 2, 3]), .tensor(Seq.f([9], [])), Seq.i(position)])
        #expect(Seq.values(out[0]) == expected)
    }

    @Test func insertWithoutPositionAppends() throws {
        let out = try Seq.runNode("SequenceInsert", [Seq.scalars([1, 2]), .tensor(Seq.f([9], []))])
        #expect(Seq.values(out[0]) == [1, 2, 9])
    }

    @Test(arguments: [Int64(4), -4])
    func insertRefusesPositionsOutsideMinusNToN(position: Int64) {
        let text = cfErrorText { _ = try Seq.runNode("SequenceInsert", [Seq.scalars([1, 2, 3]), .tensor(Seq.f([9], [])), Seq.i(position)]) }
        #expect(text.contains("out of range [-3, 3]"))
    }

    @Test func insertRefusesAnotherElementType() {
        let text = cfErrorText { _ = try Seq.runNode("SequenceInsert", [Seq.scalars([1]), Seq.i(2)]) }
        #expect(text.contains("int64") && text.contains("float32"))
    }

    @Test(arguments: erasures)
    func eraseCountsNegativePositionsFromTheBack(position: Int64, expected: [Double]) throws {
        let out = try Seq.runNode("SequenceErase", [Seq.scalars([1, 2, 3]), Seq.i(position)])
        #expect(Seq.values(out[0]) == expected)
    }

    @Test func eraseWithoutPositionRemovesTheLast() throws {
        #expect(Seq.values(try Seq.runNode("SequenceErase", [Seq.scalars([1, 2, 3])])[0]) == [1, 2])
        #expect(cfErrorText { _ = try Seq.runNode("SequenceErase", [Seq.scalars([1, 2, 3]), Seq.i(3)]) }.contains("out of range [-3, 2]"))
        #expect(cfErrorText { _ = try Seq.runNode("SequenceErase", [Seq.scalars([])]) }.contains("empty sequence"))
    }

    @Test func atLengthAndConstruct() throws {
        #expect(try Seq.runNode("SequenceAt", [Seq.scalars([1, 2, 3]), Seq.i(-1)])[0] == .tensor(Seq.f([3], [])))
        #expect(try Seq.runNode("SequenceLength", [Seq.scalars([1, 2, 3])])[0] == Seq.i(3))
        let built = try Seq.runNode("SequenceConstruct", [.tensor(Seq.f([1, 2], [2])), .tensor(Seq.f([3], [1]))])[0]
        #expect(built == .sequence(TensorSequence(elementType: .float, elements: [Seq.f([1, 2], [2]), Seq.f([3], [1])])))
        let empty = try Seq.runNode("SequenceEmpty", [], attributes: [attr("dtype", Int64(7))])[0]
        #expect(empty == .sequence(TensorSequence(elementType: .int64)))
    }

    /// Three [2]-tensors a, b, c: new_axis 1 stacks them (numpy.stack), new_axis 0 concatenates.
    @Test func concatFromSequenceStacksOnANewAxis() throws {
        let seq = RuntimeValue.sequence(TensorSequence(elementType: .float, elements: [Seq.f([1, 2], [2]), Seq.f([3, 4], [2]), Seq.f([5, 6], [2])]))
        func run(_ axis: Int64, _ newAxis: Int64) throws -> RuntimeValue {
            try Seq.runNode("ConcatFromSequence", [seq], attributes: [attr("axis", axis), attr("new_axis", newAxis)])[0]
        }
        #expect(try run(0, 0) == .tensor(Seq.f([1, 2, 3, 4, 5, 6], [6])))
        #expect(try run(0, 1) == .tensor(Seq.f([1, 2, 3, 4, 5, 6], [3, 2])))
        // axis 1 (= -1: the back of the rank-2 result): element k becomes column k.
        #expect(try run(1, 1) == .tensor(Seq.f([1, 3, 5, 2, 4, 6], [2, 3])))
        #expect(try run(-1, 1) == .tensor(Seq.f([1, 3, 5, 2, 4, 6], [2, 3])))
        #expect(try run(-2, 1) == .tensor(Seq.f([1, 2, 3, 4, 5, 6], [3, 2])))
        #expect(cfErrorText { _ = try run(2, 1) }.contains("out of range"))
        #expect(cfErrorText { _ = try run(1, 0) }.contains("out of range"))
    }

    @Test func splitToSequenceKeepdimsAndScalarSplit() throws {
        let x = RuntimeValue.tensor(Seq.f([1, 2, 3, 4, 5, 6], [3, 2]))
        let squeezed = try Seq.runNode("SplitToSequence", [x], attributes: [attr("axis", Int64(0)), attr("keepdims", Int64(0))])[0]
        #expect(squeezed == .sequence(TensorSequence(elementType: .float, elements: [Seq.f([1, 2], [2]), Seq.f([3, 4], [2]), Seq.f([5, 6], [2])])))
        // A scalar split of 2 on 3 rows: chunks of 2 and 1; keepdims does not apply with a split.
        let chunks = try Seq.runNode("SplitToSequence", [x, .tensor(NDArray(ints: [2], shape: []))], attributes: [attr("keepdims", Int64(0))])[0]
        #expect(chunks == .sequence(TensorSequence(elementType: .float, elements: [Seq.f([1, 2, 3, 4], [2, 2]), Seq.f([5, 6], [1, 2])])))
        let columns = try Seq.runNode("SplitToSequence", [x, .tensor(NDArray(ints: [1, 1], shape: [2]))], attributes: [attr("axis", Int64(-1))])[0]
        #expect(columns == .sequence(TensorSequence(elementType: .float, elements: [Seq.f([1, 3, 5], [3, 1]), Seq.f([2, 4, 6], [3, 1])])))
    }

    @Test func optionalOperators() throws {
        let x = RuntimeValue.tensor(Seq.f([1], [1]))
        let wrapped = try Seq.runNode("Optional", [x])[0]
        #expect(wrapped == .optional(x))
        #expect(try Seq.runNode("OptionalHasElement", [wrapped])[0] == .tensor(NDArray(bools: [true], shape: [])))
        #expect(try Seq.runNode("OptionalHasElement", [.optional(nil)])[0] == .tensor(NDArray(bools: [false], shape: [])))
        // Opset 18: an absent input has no element; a tensor is its own element.
        #expect(try Seq.runNode("OptionalHasElement", [nil])[0] == .tensor(NDArray(bools: [false], shape: [])))
        #expect(try Seq.runNode("OptionalGetElement", [x])[0] == x)
        #expect(try Seq.runNode("OptionalGetElement", [wrapped])[0] == x)
        #expect(cfErrorText { _ = try Seq.runNode("OptionalGetElement", [.optional(nil)]) }.contains("empty"))
        #expect(cfErrorText { _ = try Seq.runNode("OptionalGetElement", [x], opset: 15) }.contains("before opset 18"))
    }

    @Test func tensorOutputsOfTheTensorAPIRefuseSequences() {
        let model = Model(irVersion: 8, opsetImports: [OpsetImport(domain: "", version: 18)],
                          graph: Graph(name: "g", inputs: [Seq.tensorInput("x", Seq.f([1], [1]))], outputs: [ValueInfo(name: "s", type: nil)],
                                       nodes: [NodeSpec(name: "n", opType: "SequenceConstruct", opsetVersion: 18, inputs: ["x"], outputs: ["s"])]))
        let text = cfErrorText { _ = try Interpreter(model: model).run(["x": Seq.f([1], [1])]) }
        #expect(text.contains("is a sequence, not a tensor"))
    }
}

@Suite("Sequences through control flow")
struct SequenceControlFlowTests {
    /// Loop(M = 3) carrying a sequence that starts empty; each iteration appends Cast(iteration, float).
    /// Expected: [0, 1, 2], as float32 (own precision) or float64 (the exact reference).
    static func loopModel() -> Model {
        let body = CF.graph("body", inputs: [CF.vi("i", .int64, []), CF.vi("c", .bool, []), Seq.otherInput("s_in", "sequence")],
                            outputs: [CF.vi("c_out", .bool, []), Seq.otherInput("s_out", "sequence")],
                            nodes: [CF.identity("c", "c_out"),
                                    CF.node("Cast", ["i"], ["i_float"], [attr("to", Int64(ElementType.float.rawValue))]),
                                    CF.node("SequenceInsert", ["s_in", "i_float"], ["s_out"])])
        let main = CF.graph("main", inputs: [CF.vi("m", .int64, [])], outputs: [Seq.otherInput("result", "sequence")],
                            nodes: [CF.node("SequenceEmpty", [], ["empty"], [attr("dtype", Int64(ElementType.float.rawValue))]),
                                    CF.node("Loop", ["m", "", "empty"], ["result"], [CF.attr("body", body)])])
        return Model(irVersion: 8, opsetImports: [OpsetImport(domain: "", version: 17)], graph: main)
    }

    @Test(arguments: [(Precision.own, ElementType.float), (.float64, .double)])
    func loopCarriesASequence(precision: Precision, type: ElementType) throws {
        let out = try Interpreter(model: Self.loopModel(), options: .init(precision: precision))
            .runValues(["m": .tensor(NDArray(ints: [3], shape: []))])["result"]
        guard case .sequence(let s)? = out else { Issue.record("expected a sequence, got \(String(describing: out))"); return }
        #expect(s.elementType == type)
        #expect(s.elements.map(\.elementType) == [type, type, type])
        #expect(s.elements.map(\.asDoubles) == [[0], [1], [2]])
        #expect(s.elements.allSatisfy { $0.shape == [] })
    }

    @Test func loopOfZeroIterationsReturnsTheInitialSequence() throws {
        let out = try Interpreter(model: Self.loopModel()).runValues(["m": .tensor(NDArray(ints: [0], shape: []))])["result"]
        #expect(out == .sequence(TensorSequence(elementType: .float)))
    }

    /// A carried value declared optional in the body, which the body returns as the sequence it holds
    /// (as ONNX's test_loop16_seq_none does): each iteration gets it wrapped in an optional again, which
    /// OptionalGetElement requires at opset 16. Starting from Optional([7]), three iterations append 0, 1, 2.
    @Test func loopWrapsACarriedValueDeclaredOptional() throws {
        let body = CF.graph("body", inputs: [CF.vi("i", .int64, []), CF.vi("c", .bool, []), Seq.otherInput("o_in", "optional")],
                            outputs: [CF.vi("c_out", .bool, []), Seq.otherInput("s_out", "sequence")],
                            nodes: [CF.identity("c", "c_out"),
                                    CF.node("OptionalGetElement", ["o_in"], ["s"], opset: 16),
                                    CF.node("Cast", ["i"], ["i_float"], [attr("to", Int64(ElementType.float.rawValue))], opset: 16),
                                    CF.node("SequenceInsert", ["s", "i_float"], ["s_out"], opset: 16)])
        let main = CF.graph("main", inputs: [CF.vi("m", .int64, []), CF.vi("x", .float, [])], outputs: [Seq.otherInput("result", "sequence")],
                            nodes: [CF.node("SequenceConstruct", ["x"], ["s0"], opset: 16),
                                    CF.node("Optional", ["s0"], ["o0"], opset: 16),
                                    CF.node("Loop", ["m", "", "o0"], ["result"], [CF.attr("body", body)], opset: 16)])
        let model = Model(irVersion: 8, opsetImports: [OpsetImport(domain: "", version: 16)], graph: main)
        let out = try Interpreter(model: model).runValues(["m": .tensor(NDArray(ints: [3], shape: [])), "x": .tensor(Seq.f([7], []))])["result"]
        #expect(Seq.values(try #require(out)) == [7, 0, 1, 2])
    }

    /// SequenceMap adds the additional tensor input to each element.
    @Test func sequenceMapRunsTheBodyPerElement() throws {
        let body = CF.graph("body", inputs: [CF.vi("e", .float, nil), CF.vi("t", .float, nil)], outputs: [CF.vi("y", .float, nil)],
                            nodes: [CF.node("Add", ["e", "t"], ["y"])])
        let out = try Seq.runNode("SequenceMap", [Seq.scalars([1, 2]), .tensor(Seq.f([10], []))],
                                  attributes: [CF.attr("body", body)], opset: 17, precision: .float64)[0]
        #expect(out == .sequence(TensorSequence(elementType: .double, elements: [NDArray(doubles: [11], shape: []), NDArray(doubles: [12], shape: [])])))
    }
}
