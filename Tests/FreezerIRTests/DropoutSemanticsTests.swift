import Testing
@testable import FreezerIR

/// The one rule for Dropout's training switch, shared by inspect, RemoveDropout and the evaluator.
@Suite("Dropout's training mode per opset")
struct DropoutSemanticsTests {
    /// A graph with a Dropout at `opset` reading x and, when given, a ratio and a training_mode input.
    static func graph(opset: Int64?, isTest: Int64? = nil, flag: Flag = .absent) -> Graph {
        var inputs = [f32("x", [2])]
        var initializers: [Tensor] = [weights("ratio", [0.5], dims: [])]
        var nodes: [NodeSpec] = []
        var dropoutInputs = ["x"]
        switch flag {
        case .absent: break
        case .constant(let v):
            initializers.append(.make(name: "t", type: .bool, dims: [], values: [v ? 1 : 0]))
            dropoutInputs += ["ratio", "t"]
        case .constantNode(let v):
            nodes.append(NodeSpec(name: "make_t", opType: "Constant", inputs: [], outputs: ["t"],
                                  attributes: [Attribute(name: "value", value: .tensor(.make(name: "", type: .bool, dims: [], values: [v ? 1 : 0])))]))
            dropoutInputs += ["ratio", "t"]
        case .graphInput:
            inputs.append(ValueInfo(name: "t", type: ValueType(tensor: TensorType(elementType: .bool, shape: []))))
            dropoutInputs += ["ratio", "t"]
        case .computed:
            inputs.append(ValueInfo(name: "u", type: ValueType(tensor: TensorType(elementType: .bool, shape: []))))
            nodes.append(NodeSpec(name: "negate", opType: "Not", opsetVersion: opset, inputs: ["u"], outputs: ["t"]))
            dropoutInputs += ["ratio", "t"]
        case .emptyName:
            dropoutInputs += ["ratio", ""]
        }
        let attributes = isTest.map { [Attribute(name: "is_test", value: .int($0))] } ?? []
        nodes.append(NodeSpec(name: "dropout", opType: "Dropout", opsetVersion: opset, inputs: dropoutInputs,
                              outputs: ["y"], attributes: attributes))
        return Graph(name: "g", inputs: inputs, outputs: [f32("y", [2])], initializers: initializers, nodes: nodes)
    }

    enum Flag { case absent, constant(Bool), constantNode(Bool), graphInput, computed, emptyName }

    static func mode(_ g: Graph) -> DropoutSemantics.TrainingMode {
        DropoutSemantics.trainingMode(of: g.nodes.last!, in: g)
    }

    @Test(arguments: [Int64(1), 5, 6]) func isTestDecidesUpToOpset6(opset: Int64) {
        #expect(Self.mode(Self.graph(opset: opset)) == .training(.isTest(0)))
        #expect(Self.mode(Self.graph(opset: opset, isTest: 0)) == .training(.isTest(0)))
        #expect(Self.mode(Self.graph(opset: opset, isTest: 1)) == .inference(.isTest(1)))
        #expect(DropoutSemantics.trainingSwitch(opset: opset) == .isTestAttribute)
    }

    @Test(arguments: [Int64(7), 10, 11]) func noSwitchFrom7To11(opset: Int64) {
        #expect(Self.mode(Self.graph(opset: opset)) == .inference(.noSwitch))
        // is_test is gone from these schemas; a stray one changes nothing.
        #expect(Self.mode(Self.graph(opset: opset, isTest: 0)) == .inference(.noSwitch))
        #expect(DropoutSemantics.trainingSwitch(opset: opset) == .none)
    }

    @Test(arguments: [Int64(12), 13, 22]) func trainingModeInputFrom12(opset: Int64) throws {
        #expect(DropoutSemantics.trainingSwitch(opset: opset) == .trainingModeInput(index: 2))
        #expect(Self.mode(Self.graph(opset: opset)) == .inference(.trainingModeAbsent))
        #expect(Self.mode(Self.graph(opset: opset, flag: .emptyName)) == .inference(.trainingModeAbsent))
        for (flag, training) in [(Flag.constant(true), true), (.constant(false), false), (.constantNode(true), true), (.constantNode(false), false)] {
            let g = Self.graph(opset: opset, flag: flag)
            let t = g.value(named: "t")!
            #expect(Self.mode(g) == (training ? .training(.trainingModeConstant(t)) : .inference(.trainingModeConstant(t))))
            #expect(Self.mode(g).isTraining == training)
        }
        let input = Self.graph(opset: opset, flag: .graphInput)
        #expect(Self.mode(input) == .runtimeInput(flag: input.value(named: "t")!))
        #expect(Self.mode(input).isTraining == nil)
        let computed = Self.graph(opset: opset, flag: .computed)
        #expect(Self.mode(computed) == .unknown(flag: computed.value(named: "t")!, producer: "negate"))
        #expect(Self.mode(computed).isTraining == nil)
    }

    @Test func withoutAnOpsetTheNodesFormDecides() {
        #expect(DropoutSemantics.effectiveOpset(of: Self.graph(opset: nil, isTest: 1).nodes.last!, opset: nil) == 6)
        #expect(Self.mode(Self.graph(opset: nil, isTest: 1)) == .inference(.isTest(1)))
        #expect(Self.mode(Self.graph(opset: nil)) == .inference(.noSwitch))
        let g = Self.graph(opset: nil, flag: .constant(true))
        #expect(Self.mode(g) == .training(.trainingModeConstant(g.value(named: "t")!)))
        #expect(DropoutSemantics.effectiveOpset(of: g.nodes.last!, opset: 9) == 9)
    }

    @Test func fusedFormsNameTheirSwitchInput() {
        // onnxruntime's BiasDropout keeps training_mode at input 4; the caller says where.
        let g = Graph(name: "g", inputs: [f32("x", [2]), f32("b", [2])], outputs: [f32("y", [2])],
                      initializers: [.make(name: "t", type: .bool, dims: [], values: [1])],
                      nodes: [NodeSpec(name: "bd", opType: "BiasDropout", domain: "com.microsoft", inputs: ["x", "b", "", "", "t"], outputs: ["y"])])
        let mode = DropoutSemantics.trainingMode(of: g.nodes[0], switch: .trainingModeInput(index: 4)) { _ in .constant(true) }
        #expect(mode == .training(.trainingModeConstant(g.value(named: "t")!)))
    }
}

@Suite("The default domain")
struct DefaultDomainTests {
    @Test func bothSpellingsAreDefault() {
        for d in ["", "ai.onnx"] {
            #expect(Domain.isDefault(d) && Domain.key(d) == "" && Domain.displayName(d) == "ai.onnx")
            #expect(OpsetImport(domain: d, version: 17).isDefaultDomain)
        }
        for d in ["com.microsoft", "ai.onnx.ml", "ai.onnx.preview.training", "AI.ONNX"] {
            #expect(!Domain.isDefault(d) && Domain.key(d) == d && Domain.displayName(d) == d)
        }
    }

    @Test func nodesInEitherSpellingAreTheSameOperator() {
        let g = Graph(name: "g", inputs: [f32("x", [2])], outputs: [f32("z", [2])],
                      nodes: [NodeSpec(name: "a", opType: "Relu", domain: "ai.onnx", inputs: ["x"], outputs: ["y"]),
                              NodeSpec(name: "b", opType: "Relu", inputs: ["y"], outputs: ["z"])])
        #expect(g.nodes.allSatisfy { $0.isDefaultDomain && $0.isOnnx("Relu") && $0.qualifiedOpType == "Relu" && $0.domainName == "ai.onnx" })
        #expect(g.nodes[0].domain == "ai.onnx")  // kept as written
        let m = Model(irVersion: 8, opsetImports: [OpsetImport(domain: "ai.onnx", version: 17)], graph: g)
        #expect(m.opsetVersion(for: "") == 17)
        #expect(Validator.validate(m).isEmpty)
    }
}
