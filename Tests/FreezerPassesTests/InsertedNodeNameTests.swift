import Testing
@testable import FreezerIR
@testable import FreezerPasses

/// Nodes the passes insert have names no other node of their graph has: onnxruntime refuses a graph in
/// which two nodes share a name. Each model has two sites the pass names alike (unnamed nodes, or nodes
/// the input names alike), so a pass that named its nodes on its own would name both the same.
@Suite("Inserted node names")
struct InsertedNodeNameTests {
    static let stats = BatchNormStats.random(2, seed: 61)

    /// Valid, judged against the original: a node name repeats only where the original repeated it.
    func expectValid(_ frozen: Model, from original: Model, sourceLocation: SourceLocation = #_sourceLocation) {
        let issues = Validator.validate(frozen, derivedFrom: original)
        #expect(issues.isEmpty, "\(issues)", sourceLocation: sourceLocation)
    }

    func names(of op: String, in g: Graph) -> [String] { g.nodes.filter { $0.opType == op }.map(\.name) }

    /// x[4,2] → MatMul → BatchNormalization → MatMul → BatchNormalization → y, the nodes named `names`
    /// (MatMul, BN, MatMul, BN; "" unnamed); the BatchNormalizations in training form when `training`.
    static func twoMatMulFolds(names: [String], training: Bool = false, extra: (inout GraphSketch) -> Void = { _ in }) -> GraphSketch {
        var s = GraphSketch(opset: 15)
        s.input("x", [4, 2])
        var x = "x"
        for i in 0..<2 {
            s.constant("W\(i)", seededValues(4, -1...1, seed: UInt64(62 + i)), [2, 2])
            s.statistics(Self.stats, for: "bn\(i)")
            s.node("MatMul", [x, "W\(i)"], ["m\(i)"], name: names[2 * i])
            s.node("BatchNormalization", ["m\(i)", "bn\(i)_scale", "bn\(i)_bias", "bn\(i)_mean", "bn\(i)_var"],
                   training ? ["y\(i)", "rm\(i)", "rv\(i)"] : ["y\(i)"], name: names[2 * i + 1],
                   training ? [Attribute(name: "training_mode", value: .int(1))] : [])
            x = "y\(i)"
        }
        extra(&s)
        s.output(x)
        return s
    }

    static let feeds = ["x": seededInput([4, 2], seed: 64)]

    @Test func twoUnnamedMatMulFoldsAddBiasesNamedAfterTheirOutputs() throws {
        let original = Self.twoMatMulFolds(names: ["", "", "", ""]).model
        let (frozen, _) = try apply(FoldBatchNorm(), to: original)
        #expect(frozen.graph.ops() == ["MatMul", "Add", "MatMul", "Add"])
        #expect(names(of: "Add", in: frozen.graph) == ["m0_biased", "m1_biased"])
        expectValid(frozen, from: original)
        try expectSameOutputs(original, frozen, Self.feeds, tolerance: 1e-5)
    }

    /// The input names both BatchNormalizations "bn" (its repeat is left as it is) and already has a node
    /// named "bn_bias", the name the first Add would take.
    @Test func equallyNamedBatchNormsGetAddsNamedApartFromEveryNode() throws {
        let original = Self.twoMatMulFolds(names: ["mm0", "bn", "mm1", "bn"]) { s in
            s.node("Relu", ["y1"], ["r"], name: "bn_bias")
        }.model
        #expect(original.graph.repeatedNodeNames == ["bn"])
        let (frozen, _) = try apply(FoldBatchNorm(), to: original)
        #expect(names(of: "Add", in: frozen.graph) == ["bn_bias_1", "bn_bias_2"])
        #expect(names(of: "Relu", in: frozen.graph) == ["bn_bias"], "the input's own node keeps its name")
        expectValid(frozen, from: original)
    }

    /// Conv, Gemm and MatMul with an Add folds change tensors only; a MatMul alone gets an Add. All unnamed,
    /// through the standard pipeline from training form.
    @Test func unnamedFoldsOfEveryKindThroughThePipeline() throws {
        var s = GraphSketch(opset: 15)
        s.input("x", [2, 2, 3, 3])
        s.constant("K", seededValues(4, -1...1, seed: 65), [2, 2, 1, 1])
        s.constant("shape", [2, 18], [2], type: .int64)
        s.constant("G", seededValues(36, -1...1, seed: 66), [18, 2])
        s.constant("W", seededValues(4, -1...1, seed: 67), [2, 2])
        s.constant("B", [0.5, -0.5], [2])
        let training = [Attribute(name: "training_mode", value: .int(1))]
        func bn(_ i: Int, _ x: String, _ y: String) {
            s.statistics(Self.stats, for: "bn\(i)")
            s.node("BatchNormalization", [x, "bn\(i)_scale", "bn\(i)_bias", "bn\(i)_mean", "bn\(i)_var"], [y, "rm\(i)", "rv\(i)"], name: "", training)
        }
        s.node("Conv", ["x", "K"], ["c"], name: "")
        bn(0, "c", "cn")
        s.node("Reshape", ["cn", "shape"], ["flat"], name: "")
        s.node("Gemm", ["flat", "G"], ["g"], name: "")
        bn(1, "g", "gn")
        s.node("MatMul", ["gn", "W"], ["m"], name: "")
        s.node("Add", ["m", "B"], ["a"], name: "")
        bn(2, "a", "an")
        for i in 3..<5 {
            s.node("MatMul", [i == 3 ? "an" : "y3", "W"], ["m\(i)"], name: "")
            bn(i, "m\(i)", "y\(i)")
        }
        s.output("y4")
        let original = s.model
        let frozen = try Pipeline.standard().run(original).model
        #expect(frozen.graph.ops() == ["Conv", "Reshape", "Gemm", "MatMul", "Add", "MatMul", "Add", "MatMul", "Add"])
        #expect(names(of: "Add", in: frozen.graph) == ["", "m3_biased", "m4_biased"], "the input's unnamed Add stays unnamed")
        expectValid(frozen, from: original)
        try expectSameOutputs(original, frozen, ["x": seededInput([2, 2, 3, 3], seed: 68)], tolerance: 1e-5)
    }

    /// Two Dropouts whose masks are read: each mask becomes ConstantOfShape(Shape(X)), two new nodes each.
    @Test(arguments: [["", ""], ["drop", "drop"]])
    func usedMasksOfTwoDropoutsGetDistinctNodes(dropoutNames: [String]) throws {
        var s = GraphSketch(opset: 13)
        s.input("x", [2, 3])
        for i in 0..<2 {
            s.node("Dropout", ["x"], ["d\(i)", "mask\(i)"], name: dropoutNames[i])
            s.node("Cast", ["mask\(i)"], ["f\(i)"], name: "", [Attribute(name: "to", value: .int(1))])
        }
        s.node("Add", ["f0", "f1"], ["y"], name: "")
        s.output("y")
        let original = s.model
        let (frozen, _) = try apply(RemoveDropout(), to: original)
        let inserted = names(of: "Shape", in: frozen.graph) + names(of: "ConstantOfShape", in: frozen.graph)
        #expect(inserted == (dropoutNames[0].isEmpty
            ? ["mask0_shape", "mask1_shape", "mask0_all_true", "mask1_all_true"]
            : ["drop_mask_shape", "drop_mask_shape_1", "drop_mask", "drop_mask_1"]))
        expectValid(frozen, from: original)
        try expectSameOutputs(original, frozen, ["x": seededInput([2, 3], seed: 69)])
    }

    /// Two unnamed legacy broadcasts of one computed value: each gets an Unsqueeze named after that value.
    @Test func twoUnnamedLegacyBroadcastsGetDistinctUnsqueezes() throws {
        let broadcast = [Attribute(name: "broadcast", value: .int(1)), Attribute(name: "axis", value: .int(1))]
        let g = Graph(name: "g", inputs: [f32("x", [2, 3, 4]), f32("c", [3])], outputs: [f32("y", [2, 3, 4])],
                      nodes: [NodeSpec(opType: "Sub", opsetVersion: 6, inputs: ["x", "c"], outputs: ["s"], attributes: broadcast),
                              NodeSpec(opType: "Mul", opsetVersion: 6, inputs: ["s", "c"], outputs: ["y"], attributes: broadcast)])
        let original = model(g, opset: 6, ir: 3)
        let (upgraded, _) = try apply(UpgradeLegacyOpset(), to: original)
        #expect(names(of: "Unsqueeze", in: upgraded.graph) == ["c_unsqueeze", "c_unsqueeze_1"])
        expectValid(upgraded, from: original)
    }
}
