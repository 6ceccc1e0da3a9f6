import FreezerKernels
import FreezerTestSupport
import Testing
@testable import FreezerIR
@testable import FreezerONNX
@testable import FreezerPasses

@Suite("UpgradeLegacyOpset")
struct UpgradeLegacyOpsetTests {
    /// Seeded uniform values in [-2, 2), so runs are reproducible.
    static func random(_ count: Int, seed: UInt64) -> [Float] {
        var state = seed &* 6364136223846793005 &+ 1442695040888963407
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24) * 4 - 2
        }
    }

    static func feed(_ shape: [Int], seed: UInt64) -> NDArray {
        NDArray(floats: random(shape.reduce(1, *), seed: seed), shape: shape)
    }

    /// The outputs of `m` on `feeds`, through the reference evaluator.
    static func outputs(_ m: Model, _ feeds: [String: NDArray]) throws -> [String: NDArray] {
        try Interpreter(model: m).run(feeds)
    }

    /// Runs the pass and checks the opset-7 structure every upgrade must have, then that the original
    /// (at its old opset) and the upgraded model compute the same numbers on seeded random inputs.
    @discardableResult
    static func upgradeAndCompare(_ m: Model, feeds: [String: NDArray], sourceLocation: SourceLocation = #_sourceLocation) throws -> (Model, PassContext) {
        let (upgraded, context) = try apply(UpgradeLegacyOpset(), to: m)
        #expect(upgraded.opsetVersion(for: "") == 7, sourceLocation: sourceLocation)
        #expect(upgraded.irVersion >= 3, sourceLocation: sourceLocation)
        #expect(upgraded.graph.nodes.allSatisfy { $0.opsetVersion == 7 }, sourceLocation: sourceLocation)
        #expect(Validator.validate(upgraded).isEmpty, "\(Validator.validate(upgraded))", sourceLocation: sourceLocation)
        #expect(context.skips.isEmpty, "\(context.skips)", sourceLocation: sourceLocation)
        let before = try outputs(m, feeds), after = try outputs(upgraded, feeds)
        #expect(before.keys.sorted() == after.keys.sorted(), sourceLocation: sourceLocation)
        for (name, expected) in before {
            #expect(after[name] == expected, "output '\(name)' differs", sourceLocation: sourceLocation)
        }
        return (upgraded, context)
    }

    func node(_ g: Graph, _ name: String) -> Node { g.nodes.first { $0.name == name }! }

    @Test func legacyBroadcastWithAxisBecomesNumPyBroadcasting() throws {
        // X [2,3,4,5]: Mul by a per-channel constant at axis 1, Add a [3,4] constant at axis -3,
        // Sub a computed [3] (graph input) at axis 1, Div by an equal-shape constant with broadcast = 0.
        let g = Graph(name: "g", inputs: [f32("x", [2, 3, 4, 5]), f32("c", [3])], outputs: [f32("y", [2, 3, 4, 5])],
                      initializers: [constant("scale", [0.5, -1, 2], [3]), constant("shift", (0..<12).map(Double.init), [3, 4]),
                                     constant("div", [Double](repeating: 4, count: 120), [2, 3, 4, 5])],
                      nodes: [
                          NodeSpec(name: "mul", opType: "Mul", opsetVersion: 6, inputs: ["x", "scale"], outputs: ["m"],
                                   attributes: [Attribute(name: "broadcast", value: .int(1)), Attribute(name: "axis", value: .int(1))]),
                          NodeSpec(name: "add", opType: "Add", opsetVersion: 6, inputs: ["m", "shift"], outputs: ["a"],
                                   attributes: [Attribute(name: "broadcast", value: .int(1)), Attribute(name: "axis", value: .int(-3))]),
                          NodeSpec(name: "sub", opType: "Sub", opsetVersion: 6, inputs: ["a", "c"], outputs: ["s"],
                                   attributes: [Attribute(name: "broadcast", value: .int(1)), Attribute(name: "axis", value: .int(1))]),
                          NodeSpec(name: "div", opType: "Div", opsetVersion: 6, inputs: ["s", "div"], outputs: ["y"],
                                   attributes: [Attribute(name: "broadcast", value: .int(0))]),
                      ])
        let (upgraded, context) = try Self.upgradeAndCompare(model(g, opset: 6, ir: 3),
                                                             feeds: ["x": Self.feed([2, 3, 4, 5], seed: 1), "c": Self.feed([3], seed: 2)])
        let u = upgraded.graph
        for op in ["mul", "add", "sub", "div"] { #expect(node(u, op).attributes.isEmpty, "\(op)") }
        #expect(u.initializer(node(u, "mul").inputs[1]!)?.dims == [3, 1, 1])
        #expect(u.initializer(node(u, "add").inputs[1]!)?.dims == [3, 4, 1])
        #expect(u.tensor("scale")?.dims == [3], "the original constant is left for RemoveUnusedDefinitions")
        let unsqueeze = u.producer(of: node(u, "sub").inputs[1]!)!
        #expect(unsqueeze.opType == "Unsqueeze" && unsqueeze.attribute("axes")?.intsValue == [1, 2])
        #expect(u.value(unsqueeze.inputs[0]!).name == "c")
        #expect(context.changes.first?.nodes == ["mul", "add", "sub", "div"])
        #expect(context.changes.last?.detail.contains("opset_import ai.onnx 6 → 7") == true)
    }

    @Test func consumedInputsIsDroppedAtOpsetOne() throws {
        let g = Graph(name: "g", inputs: [f32("x", [2, 3])], outputs: [f32("y", [2, 3])],
                      initializers: [constant("b", [1, 2, 3], [3])],
                      nodes: [NodeSpec(name: "relu", opType: "Relu", opsetVersion: 1, inputs: ["x"], outputs: ["r"],
                                       attributes: [Attribute(name: "consumed_inputs", value: .ints([0]))]),
                              NodeSpec(name: "add", opType: "Add", opsetVersion: 1, inputs: ["r", "b"], outputs: ["y"],
                                       attributes: [Attribute(name: "consumed_inputs", value: .ints([0, 0])), Attribute(name: "broadcast", value: .int(1))])])
        let (upgraded, _) = try Self.upgradeAndCompare(model(g, opset: 1, ir: 2), feeds: ["x": Self.feed([2, 3], seed: 3)])
        #expect(upgraded.graph.nodes.allSatisfy { $0.attributes.isEmpty })
        #expect(upgraded.irVersion == 3)
        // Trailing alignment is already NumPy's: the constant keeps its shape.
        #expect(upgraded.graph.value(upgraded.graph.nodes[1].inputs[1]!).name == "b")
    }

    @Test(arguments: [true, false])
    func preluSlopeAppliesPerChannel(constantSlope: Bool) throws {
        let g = Graph(name: "g", inputs: [f32("x", [2, 3, 2, 2])] + (constantSlope ? [] : [f32("slope", [3])]),
                      outputs: [f32("y", [2, 3, 2, 2])],
                      initializers: constantSlope ? [constant("slope", [0.25, -0.5, 2], [3])] : [],
                      nodes: [NodeSpec(name: "prelu", opType: "PRelu", opsetVersion: 6, inputs: ["x", "slope"], outputs: ["y"])])
        var feeds = ["x": Self.feed([2, 3, 2, 2], seed: 4)]
        if !constantSlope { feeds["slope"] = Self.feed([3], seed: 5) }
        let (upgraded, _) = try Self.upgradeAndCompare(model(g, opset: 6), feeds: feeds)
        let slope = node(upgraded.graph, "prelu").inputs[1]!
        if constantSlope {
            #expect(upgraded.graph.initializer(slope)?.dims == [3, 1, 1])
        } else {
            #expect(upgraded.graph.producer(of: slope)?.attribute("axes")?.intsValue == [1, 2])
        }
    }

    @Test func batchNormSixInInferenceFormLosesIsTestAndKeepsSpatial() throws {
        // X is a graph input (nothing to fold into): the BatchNormalization itself is upgraded.
        let g = Graph(name: "g", inputs: [f32("x", [2, 3, 2, 2])], outputs: [f32("y", [2, 3, 2, 2])],
                      initializers: [constant("s", [0.5, 1, 2], [3]), constant("b", [0, 1, -1], [3]),
                                     constant("m", [0.25, -0.5, 1], [3]), constant("v", [1, 4, 0.25], [3])],
                      nodes: [NodeSpec(name: "bn", opType: "BatchNormalization", opsetVersion: 6, inputs: ["x", "s", "b", "m", "v"], outputs: ["y"],
                                       attributes: [Attribute(name: "is_test", value: .int(1)), Attribute(name: "spatial", value: .int(1)),
                                                    Attribute(name: "epsilon", value: .float(1e-3))])])
        let (upgraded, context) = try Self.upgradeAndCompare(model(g, opset: 6), feeds: ["x": Self.feed([2, 3, 2, 2], seed: 6)])
        let bn = node(upgraded.graph, "bn")
        #expect(bn.attribute("is_test") == nil)
        #expect(bn.attribute("spatial")?.intValue == 1)
        #expect(bn.attribute("epsilon")?.floatValue == 1e-3)
        #expect(context.changes[0].detail.contains("dropped is_test"))
    }

    @Test func batchNormInTrainingModeIsRefused() throws {
        let g = Graph(name: "g", inputs: [f32("x", [2, 3])], outputs: [f32("y", [2, 3])],
                      initializers: [constant("s", [1, 1, 1], [3]), constant("b", [0, 0, 0], [3]), constant("m", [0, 0, 0], [3]), constant("v", [1, 1, 1], [3])],
                      nodes: [NodeSpec(name: "bn", opType: "BatchNormalization", opsetVersion: 6, inputs: ["x", "s", "b", "m", "v"], outputs: ["y"])])
        let m = model(g, opset: 6)
        let (after, context) = try apply(UpgradeLegacyOpset(), to: m)
        #expect(after == m)
        #expect(context.skips.first?.reason.contains("is_test is 0") == true)
    }

    @Test func dropoutWithAReadMaskIsRefused() throws {
        // RemoveDropout keeps such a Dropout (is_test = 1) when the opset has no ConstantOfShape and the shape is dynamic.
        let g = Graph(name: "g", inputs: [ValueInfo(name: "x", type: nil)], outputs: [ValueInfo(name: "y", type: nil)],
                      nodes: [NodeSpec(name: "drop", opType: "Dropout", opsetVersion: 6, inputs: ["x"], outputs: ["d", "mask"],
                                       attributes: [Attribute(name: "is_test", value: .int(1))]),
                              NodeSpec(name: "add", opType: "Add", opsetVersion: 6, inputs: ["d", "mask"], outputs: ["y"])])
        let m = model(g, opset: 6)
        let (after, context) = try apply(UpgradeLegacyOpset(), to: m)
        #expect(after == m)
        #expect(context.skips.first?.node == "drop")
        #expect(context.skips.first?.reason.contains("all-zero mask") == true)
    }

    @Test func concatGetsItsImplicitAxis() throws {
        let g = Graph(name: "g", inputs: [f32("a", [2, 3]), f32("b", [2, 2])], outputs: [f32("y", [2, 5])],
                      nodes: [NodeSpec(name: "concat", opType: "Concat", opsetVersion: 3, inputs: ["a", "b"], outputs: ["y"])])
        let (upgraded, _) = try Self.upgradeAndCompare(model(g, opset: 3),
                                                       feeds: ["a": Self.feed([2, 3], seed: 7), "b": Self.feed([2, 2], seed: 8)])
        #expect(upgraded.graph.nodes[0].attribute("axis")?.intValue == 1)
    }

    @Test func reshapeShapeAttributeBecomesAnInput() throws {
        let g = Graph(name: "g", inputs: [f32("x", [2, 6])], outputs: [f32("y", [2, 3, 2])],
                      nodes: [NodeSpec(name: "reshape", opType: "Reshape", opsetVersion: 1, inputs: ["x"], outputs: ["y"],
                                       attributes: [Attribute(name: "shape", value: .ints([0, 3, -1])),
                                                    Attribute(name: "consumed_inputs", value: .ints([0]))])])
        let (upgraded, _) = try Self.upgradeAndCompare(model(g, opset: 1), feeds: ["x": Self.feed([2, 6], seed: 9)])
        let reshape = upgraded.graph.nodes[0]
        #expect(reshape.attributes.isEmpty)
        let shape = try #require(upgraded.graph.initializer(reshape.inputs[1]!))
        #expect(shape.elementType == .int64 && shape.dims == [3])
        #expect(try shape.int64s() == [0, 3, -1])
    }

    @Test func nodesInsideSubgraphsAreUpgraded() throws {
        let branch = Graph(name: "then", outputs: [f32("o", [2])],
                           nodes: [NodeSpec(name: "inner", opType: "Relu", opsetVersion: 6, inputs: ["x"], outputs: ["o"],
                                            attributes: [Attribute(name: "consumed_inputs", value: .ints([0]))])],
                           outerScope: ["x"])
        let g = Graph(name: "g", inputs: [f32("x", [2]), ValueInfo(name: "c", type: ValueType(tensor: TensorType(elementType: .bool, shape: [])))],
                      outputs: [f32("y", [2])],
                      nodes: [NodeSpec(name: "if", opType: "If", opsetVersion: 6, inputs: ["c"], outputs: ["y"],
                                       attributes: [Attribute(name: "then_branch", value: .graph(branch)), Attribute(name: "else_branch", value: .graph(branch))])])
        let (upgraded, context) = try apply(UpgradeLegacyOpset(), to: model(g, opset: 6))
        let then = upgraded.graph.nodes[0].attribute("then_branch")!.subgraphs[0]
        #expect(then.nodes[0].attributes.isEmpty && then.nodes[0].opsetVersion == 7)
        #expect(context.changes.map(\.graph).prefix(2) == ["main/if.then_branch", "main/if.else_branch"])
        let feeds = ["x": Self.feed([2], seed: 10), "c": NDArray(bools: [true], shape: [])]
        #expect(try Self.outputs(upgraded, feeds) == Self.outputs(model(g, opset: 6), feeds))
    }

    @Test(arguments: [("Upsample", "Upsample-1"), ("ImageScaler", "no known opset-7 form")])
    func unknownOrUnsupportedOperatorKeepsTheOpset(op: String, reason: String) throws {
        let g = Graph(name: "g", inputs: [f32("x", [1, 1, 2, 2])], outputs: [f32("y", [1, 1, 2, 2])],
                      nodes: [NodeSpec(name: "relu", opType: "Relu", opsetVersion: 6, inputs: ["x"], outputs: ["r"],
                                       attributes: [Attribute(name: "consumed_inputs", value: .ints([0]))]),
                              NodeSpec(name: "odd", opType: op, opsetVersion: 6, inputs: ["r"], outputs: ["y"])])
        let m = model(g, opset: 6)
        let (after, context) = try apply(UpgradeLegacyOpset(), to: m)
        #expect(after == m, "nothing changes when one node cannot be upgraded")
        #expect(context.changes.isEmpty)
        #expect(context.skips.count == 1)
        #expect(context.skips[0].node == "odd")
        #expect(context.skips[0].reason.contains(reason))
        #expect(context.skips[0].reason.contains("keeps opset 6"))
    }

    @Test func legacyBroadcastAtAnAxisOfUnknownRankIsRefused() throws {
        // A's rank is unknown (no declared shape), so the 1-dims after axis 1 cannot be counted.
        let g = Graph(name: "g", inputs: [ValueInfo(name: "x", type: nil)], outputs: [ValueInfo(name: "y", type: nil)],
                      initializers: [constant("scale", [1, 2, 3], [3])],
                      nodes: [NodeSpec(name: "mul", opType: "Mul", opsetVersion: 6, inputs: ["x", "scale"], outputs: ["y"],
                                       attributes: [Attribute(name: "broadcast", value: .int(1)), Attribute(name: "axis", value: .int(1))])])
        let m = model(g, opset: 6)
        let (after, context) = try apply(UpgradeLegacyOpset(), to: m)
        #expect(after == m)
        #expect(context.skips.first?.reason.contains("rank of input 0") == true)
    }

    @Test func opsetSevenAndLaterIsLeftAlone() throws {
        let g = Graph(name: "g", inputs: [f32("x", [2])], outputs: [f32("y", [2])],
                      nodes: [NodeSpec(name: "relu", opType: "Relu", opsetVersion: 7, inputs: ["x"], outputs: ["y"])])
        let (after, context) = try apply(UpgradeLegacyOpset(), to: model(g, opset: 7))
        #expect(after == model(g, opset: 7))
        #expect(context.changes.isEmpty && context.skips.isEmpty)
    }

    /// The legacy fixtures through the whole pipeline: opset 7, and the reference evaluator reproduces the
    /// stored outputs. The frozen files are printed for the onnxruntime check (scripts/ort_run.py).
    @Test(arguments: ["dropout_opset1", "dropout_opset6", "batchnorm_opset1", "batchnorm_opset6"])
    func legacyFixturesFreezeToOpsetSeven(name: String) throws {
        let loaded = try ModelLoader.load(path: Fixtures.model(name))
        let result = try Pipeline.standard().run(loaded.model)
        let frozen = result.model
        #expect(frozen.opsetVersion(for: "") == 7)
        #expect(frozen.irVersion >= 3)
        #expect(Validator.validate(frozen).isEmpty, "\(Validator.validate(frozen))")
        #expect(TrainingAudit.violations(in: frozen).isEmpty)
        #expect(result.context.changes.contains { $0.pass == "UpgradeLegacyOpset" && $0.action == "raised opset" })
        func legacyAttributes(_ g: Graph) -> [String] {
            g.nodes.flatMap { n in n.attributes.map(\.name).filter { ["consumed_inputs", "is_test", "broadcast"].contains($0) }.map { "\(n.opType).\($0)" } }
        }
        #expect(legacyAttributes(frozen.graph).isEmpty)

        let data = try TestDataSet.load(directory: Fixtures.path("\(name)/test_data_set_0"))
        let inputNames = loaded.model.graph.inputs.map { loaded.model.graph.value($0).name }
        var feeds: [String: NDArray] = [:]
        for (k, tensor) in data.inputs.enumerated() {
            let inputName = tensor.name.isEmpty ? inputNames[k] : tensor.name
            if frozen.graph.value(named: inputName).map(frozen.graph.inputs.contains) == true { feeds[inputName] = try NDArray(tensor) }
        }
        let got = try Interpreter(model: frozen).run(feeds)
        let outputName = frozen.graph.value(frozen.graph.outputs[0]).name
        guard case .float(let actual) = got[outputName]!.storage else { Issue.record("not float"); return }
        let expected = try data.outputs[0].doubles()
        #expect(actual.count == expected.count)
        let worst = zip(actual, expected).map { abs(Double($0) - $1) / (1e-5 + 1e-4 * abs($1)) }.max() ?? 0
        #expect(worst <= 1, "largest error \(worst) × tolerance")

        let dir = Fixtures.temporaryDirectory()
        try ModelSaver.save(frozen, to: dir + "/frozen.onnx")
        print("FROZEN \(name) \(dir)/frozen.onnx")
    }
}
