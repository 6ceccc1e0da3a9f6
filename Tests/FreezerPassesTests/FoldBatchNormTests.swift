import Testing
@testable import FreezerIR
@testable import FreezerPasses

@Suite("FoldBatchNorm")
struct FoldBatchNormTests {
    // Values exactly representable in float32 (and float16), so the expected numbers use the stored values.
    static let scale: [Double] = [0.5, 2], bias: [Double] = [0.125, -0.25], mean: [Double] = [0.375, -1], variance: [Double] = [4, 0.25]
    static let eps = Double(Float(1e-5))
    static func a(_ c: Int) -> Double { scale[c] / (variance[c] + eps).squareRoot() }

    func bnNode(_ input: String, output: String = "y", opset: Int64 = 15) -> NodeSpec {
        NodeSpec(name: "bn", opType: "BatchNormalization", opsetVersion: opset, inputs: [input, "s", "b", "m", "v"], outputs: [output],
                 attributes: [Attribute(name: "epsilon", value: .float(Float(Self.eps)))])
    }

    var stats: [Tensor] {
        [constant("s", Self.scale, [2]), constant("b", Self.bias, [2]), constant("m", Self.mean, [2]), constant("v", Self.variance, [2])]
    }

    @Test func convWeightsAndBiasAreScaledPerOutputChannel() throws {
        let w: [Double] = [1, 2, 3, 4, 5, 6, 7, 8] // [2 out, 1 in, 2, 2]
        let g = Graph(name: "g", inputs: [f32("x", [1, 1, 3, 3])], outputs: [f32("y", [1, 2, 2, 2])],
                      initializers: [constant("W", w, [2, 1, 2, 2]), constant("B", [1, -1], [2])] + stats,
                      nodes: [NodeSpec(name: "conv", opType: "Conv", opsetVersion: 15, inputs: ["x", "W", "B"], outputs: ["c"]), bnNode("c")])
        let (frozen, context) = try apply(FoldBatchNorm(), to: model(g, opset: 15))
        #expect(frozen.graph.ops() == ["Conv"])
        #expect(frozen.graph.outputNames() == ["y"])
        let folded = try frozen.graph.tensor("W")!.doubles()
        for (i, v) in w.enumerated() { #expect(folded[i] == Double(Float(v * Self.a(i / 4)))) }
        let b = try frozen.graph.tensor("B")!.doubles()
        for c in 0..<2 {
            let expected = ([1.0, -1.0][c] - Self.mean[c]) * Self.a(c) + Self.bias[c]
            #expect(b[c] == Double(Float(expected)))
        }
        #expect(context.changes.first?.action == "folded into Conv 'conv'")
        #expect(context.changes.first?.evidence.keys.contains { $0.contains("largest change") } == true)
        #expect(Validator.validate(frozen).isEmpty)
    }

    @Test func convWithoutBiasGetsOne() throws {
        let g = Graph(name: "g", inputs: [f32("x", [1, 1, 2, 2])], outputs: [f32("y", [1, 2, 1, 1])],
                      initializers: [constant("W", [1, 1, 1, 1, 2, 2, 2, 2], [2, 1, 2, 2])] + stats,
                      nodes: [NodeSpec(name: "conv", opType: "Conv", opsetVersion: 15, inputs: ["x", "W"], outputs: ["c"]), bnNode("c")])
        let (frozen, _) = try apply(FoldBatchNorm(), to: model(g, opset: 15))
        let conv = frozen.graph.nodes[0]
        #expect(conv.inputs.count == 3)
        let b = try frozen.graph.initializer(conv.inputs[2]!)!.doubles()
        #expect(b == (0..<2).map { Double(Float(Self.bias[$0] - Self.mean[$0] * Self.a($0))) })
    }

    @Test func sharedWeightIsClonedNotChanged() throws {
        let g = Graph(name: "g", inputs: [f32("x", [1, 1, 2, 2])], outputs: [f32("y", [1, 2, 1, 1]), f32("z", [1, 2, 1, 1])],
                      initializers: [constant("W", [1, 1, 1, 1, 2, 2, 2, 2], [2, 1, 2, 2])] + stats,
                      nodes: [NodeSpec(name: "conv", opType: "Conv", opsetVersion: 15, inputs: ["x", "W"], outputs: ["c"]), bnNode("c"),
                              NodeSpec(name: "conv2", opType: "Conv", opsetVersion: 15, inputs: ["x", "W"], outputs: ["z"])])
        let (frozen, _) = try apply(FoldBatchNorm(), to: model(g, opset: 15))
        #expect(try frozen.graph.tensor("W")!.doubles() == [1, 1, 1, 1, 2, 2, 2, 2])
        let conv = frozen.graph.nodes.first { $0.name == "conv" }!
        #expect(frozen.graph.value(conv.inputs[1]!).name == "W_folded")
        #expect(frozen.graph.value(frozen.graph.nodes.first { $0.name == "conv2" }!.inputs[1]!).name == "W")
    }

    @Test func secondReaderOfTheConvOutputPreventsTheFold() throws {
        let g = Graph(name: "g", inputs: [f32("x", [1, 1, 2, 2])], outputs: [f32("y", [1, 2, 1, 1]), f32("z", [1, 2, 1, 1])],
                      initializers: [constant("W", [1, 1, 1, 1, 2, 2, 2, 2], [2, 1, 2, 2])] + stats,
                      nodes: [NodeSpec(name: "conv", opType: "Conv", opsetVersion: 15, inputs: ["x", "W"], outputs: ["c"]), bnNode("c"),
                              NodeSpec(name: "relu", opType: "Relu", opsetVersion: 15, inputs: ["c"], outputs: ["z"])])
        let (frozen, context) = try apply(FoldBatchNorm(), to: model(g, opset: 15))
        #expect(frozen.graph.ops().contains("BatchNormalization"))
        #expect(context.changes.isEmpty)
        #expect(context.skips.first?.reason.contains("'relu'") == true)
    }

    @Test func convTransposeUsesWeightAxisOneAndGroups() throws {
        // W: [Cin = 2, Cout/group = 1, 1, 1], group = 2 → output channel of input channel c is c.
        let g = Graph(name: "g", inputs: [f32("x", [1, 2, 1, 1])], outputs: [f32("y", [1, 2, 1, 1])],
                      initializers: [constant("W", [3, 5], [2, 1, 1, 1])] + stats,
                      nodes: [NodeSpec(name: "deconv", opType: "ConvTranspose", opsetVersion: 15, inputs: ["x", "W"], outputs: ["c"],
                                       attributes: [Attribute(name: "group", value: .int(2))]), bnNode("c")])
        let (frozen, _) = try apply(FoldBatchNorm(), to: model(g, opset: 15))
        #expect(try frozen.graph.tensor("W")!.doubles() == [Double(Float(3 * Self.a(0))), Double(Float(5 * Self.a(1)))])
    }

    @Test(arguments: [false, true])
    func gemmFoldsAlongOutputFeaturesWithTransB(transB: Bool) throws {
        // B is [K = 3, N = 2] (or [N, K] with transB); C is [N]; beta = 0.5.
        let b: [Double] = transB ? [1, 2, 3, 4, 5, 6] : [1, 4, 2, 5, 3, 6]
        let g = Graph(name: "g", inputs: [f32("x", [4, 3])], outputs: [f32("y", [4, 2])],
                      initializers: [constant("Bw", b, transB ? [2, 3] : [3, 2]), constant("C", [10, 20], [2])] + stats,
                      nodes: [NodeSpec(name: "gemm", opType: "Gemm", opsetVersion: 15, inputs: ["x", "Bw", "C"], outputs: ["c"],
                                       attributes: [Attribute(name: "transB", value: .int(transB ? 1 : 0)), Attribute(name: "beta", value: .float(0.5))]),
                              bnNode("c")])
        let (frozen, _) = try apply(FoldBatchNorm(), to: model(g, opset: 15))
        let w = try frozen.graph.tensor("Bw")!.doubles()
        for n in 0..<2 { for k in 0..<3 {
            let i = transB ? n * 3 + k : k * 2 + n
            #expect(w[i] == Double(Float(b[i] * Self.a(n))))
        } }
        let c = try frozen.graph.tensor("C")!.doubles()
        #expect(c == (0..<2).map { Double(Float(0.5 * [10.0, 20][$0] * Self.a($0) + Self.bias[$0] - Self.mean[$0] * Self.a($0))) })
        #expect(frozen.graph.nodes[0].attribute("beta")?.floatValue == 1)
    }

    @Test(arguments: [0, 1])
    func matMulAddFoldsWithTheBiasOnEitherSide(biasSide: Int) throws {
        let addInputs = biasSide == 1 ? ["mm", "bias"] : ["bias", "mm"]
        let g = Graph(name: "g", inputs: [f32("x", [4, 3])], outputs: [f32("y", [4, 2])],
                      initializers: [constant("W", [1, 2, 3, 4, 5, 6], [3, 2]), constant("bias", [1, 2], [2])] + stats,
                      nodes: [NodeSpec(name: "mm", opType: "MatMul", opsetVersion: 15, inputs: ["x", "W"], outputs: ["mm"]),
                              NodeSpec(name: "add", opType: "Add", opsetVersion: 15, inputs: addInputs, outputs: ["c"]), bnNode("c")])
        let (frozen, _) = try apply(FoldBatchNorm(), to: model(g, opset: 15))
        #expect(frozen.graph.ops() == ["MatMul", "Add"])
        #expect(try frozen.graph.tensor("bias")!.doubles() == (0..<2).map { Double(Float(([1.0, 2][$0] - Self.mean[$0]) * Self.a($0) + Self.bias[$0])) })
        #expect(frozen.graph.outputNames() == ["y"])
    }

    @Test func matMulWithoutAddGetsABiasAdd() throws {
        let g = Graph(name: "g", inputs: [f32("x", [4, 3])], outputs: [f32("y", [4, 2])],
                      initializers: [constant("W", [1, 2, 3, 4, 5, 6], [3, 2])] + stats,
                      nodes: [NodeSpec(name: "mm", opType: "MatMul", opsetVersion: 15, inputs: ["x", "W"], outputs: ["mm"]), bnNode("mm")])
        let (frozen, _) = try apply(FoldBatchNorm(), to: model(g, opset: 15))
        #expect(frozen.graph.ops() == ["MatMul", "Add"])
        #expect(frozen.graph.outputNames() == ["y"])
        #expect(Validator.validate(frozen).isEmpty)
    }

    @Test func threeDimensionalMatMulIsNotFolded() throws {
        let g = Graph(name: "g", inputs: [f32("x", [4, 2, 3])], outputs: [f32("y", [4, 2, 2])],
                      initializers: [constant("W", [1, 2, 3, 4, 5, 6], [3, 2])] + stats,
                      nodes: [NodeSpec(name: "mm", opType: "MatMul", opsetVersion: 15, inputs: ["x", "W"], outputs: ["mm"]), bnNode("mm")])
        let (frozen, context) = try apply(FoldBatchNorm(), to: model(g, opset: 15))
        #expect(frozen.graph.ops() == ["MatMul", "BatchNormalization"])
        #expect(context.skips.first?.reason.contains("3-D") == true)
    }

    @Test func spatialZeroIsKept() throws {
        var bn = bnNode("c", opset: 7)
        bn.attributes.append(Attribute(name: "spatial", value: .int(0)))
        let g = Graph(name: "g", inputs: [f32("x", [1, 1, 2, 2])], outputs: [f32("y", [1, 2, 1, 1])],
                      initializers: [constant("W", [1, 1, 1, 1, 2, 2, 2, 2], [2, 1, 2, 2])] + stats,
                      nodes: [NodeSpec(name: "conv", opType: "Conv", opsetVersion: 7, inputs: ["x", "W"], outputs: ["c"]), bn])
        let (_, context) = try apply(FoldBatchNorm(), to: model(g, opset: 7))
        #expect(context.skips.first?.reason.contains("spatial = 0") == true)
    }

    @Test func float16WeightsAreRoundedOnceToHalf() throws {
        let g = Graph(name: "g", inputs: [ValueInfo(name: "x", type: ValueType(tensor: TensorType(elementType: .float16, shape: [.value(1), .value(1), .value(2), .value(2)])))],
                      outputs: [ValueInfo(name: "y", type: nil)],
                      initializers: [constant("W", [1, 1, 1, 1, 2, 2, 2, 2], [2, 1, 2, 2], type: .float16)]
                          + stats.map { var t = $0; t = Tensor.make(name: t.name, type: .float16, dims: t.dims, values: try! t.doubles()); return t },
                      nodes: [NodeSpec(name: "conv", opType: "Conv", opsetVersion: 15, inputs: ["x", "W"], outputs: ["c"]), bnNode("c")])
        let (frozen, _) = try apply(FoldBatchNorm(), to: model(g, opset: 15))
        let w = frozen.graph.tensor("W")!
        #expect(w.elementType == .float16)
        // Stats are read from their stored float16 values, the product computed in Double and rounded once.
        let s = try stats.map { try Tensor.make(name: "", type: .float16, dims: [2], values: $0.doubles()).doubles() }
        let a0 = s[0][0] / (s[3][0] + Double(Float(Self.eps))).squareRoot()
        #expect(try w.doubles()[0] == Double(HalfPrecision.float(fromHalf: HalfPrecision.half(fromDouble: a0))))
    }

    /// A node without its own opset version takes the model's, or else the newest (as the evaluator does),
    /// never opset 1, whose missing is_test would read as training.
    @Test(arguments: [Int64?.some(15), nil])
    func nodeWithoutOpsetVersionFoldsAtTheModelsOpset(opset: Int64?) throws {
        var s = GraphSketch()
        s.input("x", [1, 2, 3, 3])
        s.constant("W", [1, 2, 3, 4], [2, 2, 1, 1])
        s.node("Conv", ["x", "W"], ["c"], name: "conv")
        s.batchNorm("c", "y", stats: .random(2, seed: 1))
        s.output("y")
        for k in s.nodes.indices { s.nodes[k].opsetVersion = nil }
        var m = s.model
        m.opsetImports = opset.map { [OpsetImport(domain: "", version: $0)] } ?? []
        let (frozen, context) = try apply(FoldBatchNorm(), to: m)
        #expect(context.skips.isEmpty, "\(context.skips)")
        #expect(frozen.graph.ops() == ["Conv"])
    }
}

@Suite("FoldBatchNorm: ranks proven without declared shapes")
struct FoldBatchNormInferredRankTests {
    @Test func aMatMulWhoseInputRankIsProvenFromTheGraphFolds() throws {
        // Exports declare shapes of graph inputs only: Relu's output rank (2) is proven from x.
        let bn = NodeSpec(name: "bn", opType: "BatchNormalization", opsetVersion: 15, inputs: ["a", "s", "bb", "m", "v"], outputs: ["y"])
        let g = Graph(name: "g", inputs: [f32("x", [4, 3])], outputs: [f32("y", [4, 2])],
                      initializers: [constant("W", [1, 2, 3, 4, 5, 6], [3, 2]), constant("B", [0.5, -0.5], [2]),
                                     constant("s", [0.5, 2], [2]), constant("bb", [0.125, -0.25], [2]),
                                     constant("m", [0.375, -1], [2]), constant("v", [4, 0.25], [2])],
                      nodes: [NodeSpec(name: "relu", opType: "Relu", opsetVersion: 15, inputs: ["x"], outputs: ["r"]),
                              NodeSpec(name: "mm", opType: "MatMul", opsetVersion: 15, inputs: ["r", "W"], outputs: ["p"]),
                              NodeSpec(name: "add", opType: "Add", opsetVersion: 15, inputs: ["p", "B"], outputs: ["a"]), bn])
        let (frozen, context) = try apply(FoldBatchNorm(), to: model(g, opset: 15))
        #expect(frozen.graph.ops() == ["Relu", "MatMul", "Add"])
        #expect(context.skips.isEmpty)
    }
}

@Suite("FoldBatchNorm: quantized weights")
struct FoldBatchNormQuantizedTests {
    /// Conv(x, DequantizeLinear(int8 W, per-channel scale along axis 0, zero point)) → BatchNormalization:
    /// the scales absorb the factor, the integers and zero points stay, and the numbers are the original's.
    @Test(arguments: [Int64(13), 17, 21])
    func perChannelScalesAbsorbTheFactor(opset: Int64) throws {
        var s = GraphSketch(opset: opset)
        s.input("x", [1, 3, 4, 4])
        let integers = seededValues(4 * 3 * 3 * 3, -100...100, seed: 3).map { $0.rounded() }
        s.constant("W_q", integers, [4, 3, 3, 3], type: .int8)
        s.constant("W_scale", [0.01, 0.02, 0.005, 0.03], [4])
        s.constant("W_zero", [0, 1, -2, 0], [4], type: .int8)
        s.constant("B", [0.1, -0.2, 0.3, 0.05], [4])
        s.node("DequantizeLinear", ["W_q", "W_scale", "W_zero"], ["W"], name: "dequantize", [Attribute(name: "axis", value: .int(0))])
        s.node("Conv", ["x", "W", "B"], ["c"], name: "conv", [Attribute(name: "pads", value: .ints([1, 1, 1, 1]))])
        var stats = BatchNormStats.random(4, seed: 9)
        stats.scale = stats.scale.map(abs)  // positive factors: the scales stay positive
        s.batchNorm("c", "y", stats: stats)
        s.output("y")
        let original = s.model
        let (frozen, context) = try apply(FoldBatchNorm(), to: original)
        #expect(frozen.graph.ops() == ["DequantizeLinear", "Conv"])
        #expect(try frozen.graph.tensor("W_q")?.doubles() == integers)
        #expect(try frozen.graph.tensor("W_zero")?.doubles() == [0, 1, -2, 0])
        let change = try #require(context.changes.first)
        #expect(change.detail.contains("per-channel scales"))
        #expect(Validator.validate(frozen).isEmpty)
        try expectSameOutputs(original, frozen, ["x": seededInput([1, 3, 4, 4], seed: 4)], tolerance: 1e-5)
    }

    /// A quantization-aware-training export quantizes the float weight at run time, reading the same scale
    /// and zero point as the DequantizeLinear: the fold gives DequantizeLinear its own scaled scale, and
    /// QuantizeLinear keeps the original, so the integers it computes are the same.
    @Test func fakeQuantizedWeightFoldsIntoItsOwnCopyOfTheScale() throws {
        var s = GraphSketch(opset: 17)
        s.input("x", [1, 3, 4, 4])
        s.constant("W_float", seededValues(4 * 3 * 3 * 3, -0.5...0.5, seed: 5), [4, 3, 3, 3])
        s.constant("W_scale", [0.004, 0.003, 0.005, 0.002], [4])
        // As torch.ao writes it: the zero point stored as int32, cast to int8 by a node.
        s.constant("W_zero_stored", [0, 0, 0, 0], [4], type: .int32)
        s.node("Cast", ["W_zero_stored"], ["W_zero"], name: "zero_cast", [Attribute(name: "to", value: .int(3))])
        s.node("QuantizeLinear", ["W_float", "W_scale", "W_zero"], ["W_q"], name: "quantize", [Attribute(name: "axis", value: .int(0))])
        s.node("DequantizeLinear", ["W_q", "W_scale", "W_zero"], ["W"], name: "dequantize", [Attribute(name: "axis", value: .int(0))])
        s.node("Conv", ["x", "W"], ["c"], name: "conv", [Attribute(name: "pads", value: .ints([1, 1, 1, 1]))])
        var stats = BatchNormStats.random(4, seed: 6)
        stats.scale = stats.scale.map(abs)
        s.batchNorm("c", "y", stats: stats)
        s.output("y")
        let (frozen, context) = try apply(FoldBatchNorm(), to: s.model)
        #expect(frozen.graph.ops() == ["Cast", "QuantizeLinear", "DequantizeLinear", "Conv"])
        let quantize = frozen.graph.nodes[1], dequantize = frozen.graph.nodes[2]
        #expect(frozen.graph.value(quantize.inputs[1]!).name == "W_scale")
        #expect(try frozen.graph.tensor("W_scale")?.doubles() == [0.004, 0.003, 0.005, 0.002].map { Double(Float($0)) })
        #expect(dequantize.inputs[1] != quantize.inputs[1])
        #expect(context.changes.count == 1 && context.skips.isEmpty)
        try expectSameOutputs(s.model, frozen, ["x": seededInput([1, 3, 4, 4], seed: 8)], tolerance: 1e-5)
    }
}
