import Foundation
import FreezerKernels
import Testing
@testable import FreezerIR
@testable import FreezerInspect
@testable import FreezerPasses

/// Models with random-draw regularizers as exporters write them: x [2, 3, 4, 4] → Relu → r → regularizer → y.
@Suite("RemoveStochasticRegularizers")
struct RemoveStochasticRegularizersTests {
    static let keep = 0.8
    /// 1 − keep as the recognition computes it, from the float32 constant.
    static let dropProbability = 1 - Double(Float(keep))

    /// x → Relu → r, plus the per-sample template [2, 1, 1, 1] and the keep constant.
    static func base(opset: Int64 = 17) -> GraphSketch {
        var s = GraphSketch(opset: opset)
        s.input("x", [2, 3, 4, 4])
        s.node("Relu", ["x"], ["r"])
        s.constant("template", [0, 0], [2, 1, 1, 1])
        s.constant("keep", [keep], [])
        s.output("y")
        return s
    }

    static func uniform(_ s: inout GraphSketch, like template: String = "template", _ out: String = "u", low: Float = 0, high: Float = 1) {
        s.node("RandomUniformLike", [template], [out], [Attribute(name: "dtype", value: .int(1)),
                                                      Attribute(name: "low", value: .float(low)), Attribute(name: "high", value: .float(high))])
    }

    static let castToFloat = [Attribute(name: "to", value: .int(1))]

    /// torchvision StochasticDepth / timm DropPath: Mul(r, Div(Cast(Less(U, keep)), keep)).
    static func dropPath(opset: Int64 = 17) -> GraphSketch {
        var s = base(opset: opset)
        uniform(&s)
        s.node("Less", ["u", "keep"], ["kept"])
        s.node("Cast", ["kept"], ["mask"], castToFloat)
        s.node("Div", ["mask", "keep"], ["factor"])
        s.node("Mul", ["r", "factor"], ["y"])
        return s
    }

    /// The older floor form with the scale on the data side: (r / keep) · ⌊keep + U⌋.
    static func floorForm() -> GraphSketch {
        var s = base()
        uniform(&s)
        s.node("Add", ["keep", "u"], ["shifted"])
        s.node("Floor", ["shifted"], ["mask"])
        s.node("Div", ["r", "keep"], ["scaled"])
        s.node("Mul", ["scaled", "mask"], ["y"])
        return s
    }

    /// Bernoulli(keep) per channel, multiplied in, then divided: (r · mask) / keep.
    static func bernoulliPerChannel() -> GraphSketch {
        var s = base()
        s.constant("probabilities", [Double](repeating: keep, count: 6), [2, 3, 1, 1])
        s.node("Bernoulli", ["probabilities"], ["mask"], [Attribute(name: "dtype", value: .int(1))])
        s.node("Mul", ["r", "mask"], ["masked"])
        s.node("Div", ["masked", "keep"], ["y"])
        return s
    }

    /// Element-wise: Where(U < keep, r / keep, 0).
    static func whereForm() -> GraphSketch {
        var s = base()
        uniform(&s, like: "r")
        s.constant("zero", [0], [])
        s.node("Less", ["u", "keep"], ["kept"])
        s.node("Div", ["r", "keep"], ["scaled"])
        s.node("Where", ["kept", "scaled", "zero"], ["y"])
        return s
    }

    /// r + σ·N(0, 1) (additive), or r · (1 + σ·N(0, 1)) (multiplicative).
    static func gaussian(multiplicative: Bool) -> GraphSketch {
        var s = base()
        s.constant("sigma", [0.1], [])
        s.constant("one", [1], [])
        s.node("RandomNormalLike", ["r"], ["n"], [Attribute(name: "mean", value: .float(0)), Attribute(name: "scale", value: .float(1))])
        s.node("Mul", ["n", "sigma"], ["noise"])
        if multiplicative {
            s.node("Add", ["one", "noise"], ["factor"])
            s.node("Mul", ["r", "factor"], ["y"])
        } else {
            s.node("Add", ["r", "noise"], ["y"])
        }
        return s
    }

    /// timm's fast DropBlock on r [2, 3, 4, 4] with block 3: seed mask grown by MaxPool, inverted,
    /// renormalized by numel / (sum + ε).
    static func dropBlock(numel: Double = 96, block: Int64 = 3) -> GraphSketch {
        var s = base()
        s.constant("seed_template", [Double](repeating: 0, count: 96), [2, 3, 4, 4])
        s.constant("gamma", [0.05], [])
        s.constant("one", [1], [])
        s.constant("eps", [1e-6], [])
        s.constant("numel", [numel], [])
        uniform(&s, like: "seed_template")
        s.node("Less", ["u", "gamma"], ["seeds"])
        s.node("Cast", ["seeds"], ["seed_mask"], castToFloat)
        s.node("MaxPool", ["seed_mask"], ["grown"], [Attribute(name: "kernel_shape", value: .ints([block, block])),
                                                     Attribute(name: "pads", value: .ints([block / 2, block / 2, block / 2, block / 2])),
                                                     Attribute(name: "strides", value: .ints([1, 1]))])
        s.node("Sub", ["one", "grown"], ["block_mask"])
        s.node("ReduceSum", ["block_mask"], ["count"], [Attribute(name: "keepdims", value: .int(0))])
        s.node("Add", ["count", "eps"], ["count_eps"])
        s.node("Div", ["numel", "count_eps"], ["normalize"])
        s.node("Mul", ["block_mask", "normalize"], ["factor"])
        s.node("Mul", ["r", "factor"], ["y"])
        return s
    }

    /// Removes the regularizer and checks structure, validity, the record and the numbers against the
    /// original evaluated with the recognized inference meaning.
    @discardableResult
    func expectRemoved(_ s: GraphSketch, variant: StochasticRegularizer.Variant, dropProbability: Double? = nil,
                       sourceLocation: SourceLocation = #_sourceLocation) throws -> PassContext {
        let original = s.model
        var (frozen, context) = try apply(RemoveStochasticRegularizers(), to: original)
        (frozen, _) = try apply(RemoveUnusedDefinitions(), to: frozen)
        #expect(frozen.graph.ops() == ["Relu"], "left: \(frozen.graph.ops())", sourceLocation: sourceLocation)
        #expect(frozen.graph.outputNames() == ["y"], sourceLocation: sourceLocation)
        #expect(Validator.validate(frozen).isEmpty, sourceLocation: sourceLocation)
        let removed = context.changes.filter { $0.category == .dropout }
        #expect(removed.map(\.action) == ["\(variant.rawValue) removed"], sourceLocation: sourceLocation)
        if let dropProbability {
            #expect(removed.first?.evidence["dropProbability"] == NumberText.short(dropProbability), sourceLocation: sourceLocation)
        }
        #expect(TrainingAudit.violations(in: frozen).isEmpty, sourceLocation: sourceLocation)
        let reference = StochasticRegularizers.referenceMeaning(of: original)
        #expect(reference.counts == [variant: 1], sourceLocation: sourceLocation)
        try expectSameOutputs(reference.model, frozen, ["x": seededInput([2, 3, 4, 4], seed: 7)], tolerance: 0,
                              sourceLocation: sourceLocation)
        return context
    }

    @Test(arguments: [Int64(7), 13, 17, 22])
    func dropPathPerSampleAtEveryOpset(opset: Int64) throws {
        let context = try expectRemoved(Self.dropPath(opset: opset), variant: .dropPath, dropProbability: Self.dropProbability)
        let change = try #require(context.changes.first)
        #expect(change.nodes.count == 5)
        #expect(change.evidence["expectation"] == "1")
        #expect(change.detail.contains("expectation 1"))
    }

    @Test func floorFormWithTheScaleOnTheDataSide() throws {
        let context = try expectRemoved(Self.floorForm(), variant: .dropPath, dropProbability: Self.dropProbability)
        #expect(context.changes[0].detail.contains("scales the data before the mask"))
    }

    @Test func bernoulliPerChannelDividedAfterTheProduct() throws {
        try expectRemoved(Self.bernoulliPerChannel(), variant: .dropoutMask, dropProbability: Self.dropProbability)
    }

    @Test func elementwiseMaskThroughWhere() throws {
        try expectRemoved(Self.whereForm(), variant: .dropoutMask, dropProbability: Self.dropProbability)
    }

    @Test func gaussianNoiseAndGaussianDropout() throws {
        try expectRemoved(Self.gaussian(multiplicative: false), variant: .gaussianNoise)
        try expectRemoved(Self.gaussian(multiplicative: true), variant: .gaussianDropout)
    }

    @Test func dropBlockRecordsItsRenormalizationDeviation() throws {
        let context = try expectRemoved(Self.dropBlock(), variant: .dropBlock, dropProbability: 0.05)
        let deviation = try #require(context.changes.first?.evidence["renormalizationDeviation"].flatMap(Double.init))
        #expect(abs(deviation - 1e-6 / (96 + 1e-6)) < 1e-15)
    }

    /// timm's DropBlock with an even block: MaxPool(k 4, pads 2) grows the mask by one along each axis and
    /// two Slices crop the first row and column back.
    @Test func evenDropBlockCropsTheGrownMaskBack() throws {
        var s = Self.dropBlock(block: 4)
        var pool = s.nodes.firstIndex { $0.opType == "MaxPool" }!
        s.nodes[pool].attributes = [Attribute(name: "kernel_shape", value: .ints([4, 4])), Attribute(name: "pads", value: .ints([2, 2, 2, 2])),
                                    Attribute(name: "strides", value: .ints([1, 1]))]
        s.nodes[pool].outputs = ["grown_big"]
        s.constant("one_start", [1], [1], type: .int64)
        s.constant("to_end", [Double(Int64.max)], [1], type: .int64)
        // As the TorchScript exporter writes index constants: Unsqueeze of a scalar Constant.
        s.constant("axis2_scalar", [2], [], type: .int64)
        s.constant("axis3", [3], [1], type: .int64)
        s.constant("unsqueeze_axes", [0], [1], type: .int64)
        s.nodes.insert(NodeSpec(name: "axis2", opType: "Unsqueeze", opsetVersion: 17, inputs: ["axis2_scalar", "unsqueeze_axes"], outputs: ["axis2"]), at: 0)
        pool += 1
        s.nodes.insert(NodeSpec(name: "crop_h", opType: "Slice", opsetVersion: 17, inputs: ["grown_big", "one_start", "to_end", "axis2"], outputs: ["grown_h"]), at: pool + 1)
        s.nodes.insert(NodeSpec(name: "crop_w", opType: "Slice", opsetVersion: 17, inputs: ["grown_h", "one_start", "to_end", "axis3"], outputs: ["grown"]), at: pool + 2)
        let context = try expectRemoved(s, variant: .dropBlock, dropProbability: 0.05)
        #expect(context.changes[0].detail.contains("crops the extra element along axis 3"))
    }

    @Test func evenDropBlockWithoutTheCropIsRefused() throws {
        var s = Self.dropBlock(block: 4)
        let pool = s.nodes.firstIndex { $0.opType == "MaxPool" }!
        s.nodes[pool].attributes = [Attribute(name: "kernel_shape", value: .ints([4, 4])), Attribute(name: "pads", value: .ints([2, 2, 2, 2]))]
        try expectRefused(s, reason: "Sub with the constant 1")
    }

    /// A dynamic-batch export computes the per-sample shape at run time: ConstantOfShape(Concat(N, [1, 1, 1])).
    @Test func perSampleShapeComputedAtRunTimeIsDropPath() throws {
        var s = Self.dropPath()
        s.constant("trailing", [1, 1, 1], [3], type: .int64)
        s.constant("batch_index", [0], [1], type: .int64)
        s.nodes.insert(contentsOf: [
            NodeSpec(name: "shape", opType: "Shape", opsetVersion: 17, inputs: ["r"], outputs: ["r_shape"]),
            NodeSpec(name: "batch", opType: "Gather", opsetVersion: 17, inputs: ["r_shape", "batch_index"], outputs: ["n"]),
            NodeSpec(name: "noise_shape", opType: "Concat", opsetVersion: 17, inputs: ["n", "trailing"], outputs: ["noise_shape"],
                     attributes: [Attribute(name: "axis", value: .int(0))]),
            NodeSpec(name: "fill", opType: "ConstantOfShape", opsetVersion: 17, inputs: ["noise_shape"], outputs: ["dynamic_template"]),
        ], at: 1)
        let draw = s.nodes.firstIndex { $0.opType == "RandomUniformLike" }!
        s.nodes[draw].inputs = ["dynamic_template"]
        try expectRemoved(s, variant: .dropPath, dropProbability: Self.dropProbability)
    }

    /// Two refused draws in series: the second is refused for its own reason, not for the first's.
    @Test func eachRefusedDrawGetsItsOwnReason() throws {
        var s = Self.base()
        Self.uniform(&s, like: "template", "u1")
        Self.uniform(&s, like: "template", "u2")
        s.node("Less", ["u1", "keep"], ["kept1"]); s.node("Cast", ["kept1"], ["mask1"], Self.castToFloat)
        s.node("Mul", ["r", "mask1"], ["h"])
        s.node("Less", ["u2", "keep"], ["kept2"]); s.node("Cast", ["kept2"], ["mask2"], Self.castToFloat)
        s.node("Mul", ["h", "mask2"], ["h2"])
        s.node("Add", ["h2", "r"], ["y"])
        let (_, context) = try apply(RemoveStochasticRegularizers(), to: s.model)
        #expect(context.skips.count == 2)
        #expect(context.skips.allSatisfy { $0.reason.contains("expectation 0.8, not 1") }, "\(context.skips.map(\.reason))")
    }

    @Test func twoDrawsCombinedAreBothRefused() throws {
        var s = Self.base()
        Self.uniform(&s, like: "template", "u1")
        Self.uniform(&s, like: "template", "u2")
        s.node("Add", ["u1", "u2"], ["both"])
        s.node("Mul", ["r", "both"], ["y"])
        let (_, context) = try apply(RemoveStochasticRegularizers(), to: s.model)
        #expect(context.skips.count == 2 && context.skips.allSatisfy { $0.reason.contains("combines two random draws") })
    }

    // MARK: - Refusals

    /// Runs the pass and expects nothing removed and the draw reported unproven with `reason` in its text.
    func expectRefused(_ s: GraphSketch, reason: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let (frozen, context) = try apply(RemoveStochasticRegularizers(), to: s.model)
        #expect(frozen.graph.ops() == s.model.graph.ops(), sourceLocation: sourceLocation)
        #expect(context.changes.isEmpty, sourceLocation: sourceLocation)
        #expect(context.skips.count == 1 && context.skips[0].reason.contains(reason),
                "skips: \(context.skips.map(\.reason))", sourceLocation: sourceLocation)
        let violations = TrainingAudit.violations(in: frozen)
        #expect(violations.contains { $0.kind == .randomDraw && $0.detail.contains(reason) }, sourceLocation: sourceLocation)
    }

    @Test func nonInvertedMaskIsRefusedWithItsExpectation() throws {
        var s = Self.base()
        Self.uniform(&s)
        s.node("Less", ["u", "keep"], ["kept"])
        s.node("Cast", ["kept"], ["mask"], Self.castToFloat)
        s.node("Mul", ["r", "mask"], ["y"])
        try expectRefused(s, reason: "expectation 0.8, not 1")
    }

    @Test func noiseThatIsAlsoAnOutputIsRefused() throws {
        var s = Self.dropPath()
        s.output("mask")
        try expectRefused(s, reason: "'mask', computed from the draw, is a graph output")
    }

    @Test func additiveNoiseWithANonZeroMeanIsRefused() throws {
        var s = Self.base()
        s.node("RandomNormalLike", ["r"], ["n"], [Attribute(name: "mean", value: .float(0.5))])
        s.node("Add", ["r", "n"], ["y"])
        try expectRefused(s, reason: "mean 0.5, not 0")
    }

    @Test func dropBlockWithAWrongCountIsRefused() throws {
        try expectRefused(Self.dropBlock(numel: 48), reason: "not the mask's element count 96")
    }

    @Test func drawsOfCategoriesAreRefused() throws {
        var s = Self.base()
        s.constant("logits", [0, 0], [1, 2])
        s.node("Multinomial", ["logits"], ["k"])
        s.node("Cast", ["k"], ["kf"], Self.castToFloat)
        s.node("Mul", ["r", "kf"], ["y"])
        try expectRefused(s, reason: "category indices")
    }

    @Test func dropBlockWithAStridedPoolIsRefused() throws {
        var s = Self.dropBlock()
        s.nodes[s.nodes.firstIndex { $0.opType == "MaxPool" }!].attributes.append(Attribute(name: "dilations", value: .ints([2, 2])))
        try expectRefused(s, reason: "stride-1 MaxPool")
    }

    // MARK: - Training switches and subgraphs

    @Test func ifWhoseBranchesAgreeAfterTheRemovalGoes() throws {
        var noisy = GraphSketch(opset: 17)
        noisy.outerScope = ["r", "template", "keep"]
        noisy.node("RandomUniformLike", ["template"], ["u"], [Attribute(name: "dtype", value: .int(1))])
        noisy.node("Less", ["u", "keep"], ["kept"])
        noisy.node("Cast", ["kept"], ["mask"], Self.castToFloat)
        noisy.node("Div", ["mask", "keep"], ["factor"])
        noisy.node("Mul", ["r", "factor"], ["branch_y"])
        noisy.output("branch_y")
        var plain = GraphSketch(opset: 17)
        plain.outerScope = ["r"]
        plain.node("Identity", ["r"], ["plain_y"])
        plain.output("plain_y")
        var s = Self.base()
        s.input("training", [], type: .bool)
        s.node("If", ["training"], ["z"], name: "switch", [Attribute(name: "then_branch", value: .graph(noisy.graph)),
                                                          Attribute(name: "else_branch", value: .graph(plain.graph))])
        s.node("Neg", ["z"], ["y"])
        var (frozen, context) = try apply(RemoveStochasticRegularizers(), to: s.model)
        (frozen, _) = try apply(RemoveUnusedDefinitions(), to: frozen)
        #expect(frozen.graph.ops() == ["Relu", "Neg"])
        #expect(context.changes.map(\.action) == ["stochastic depth (drop path) removed", "training switch removed"])
        #expect(context.changes[0].graph == "main/switch.then_branch")
        #expect(Validator.validate(frozen).isEmpty)
        let x = seededInput([2, 3, 4, 4], seed: 3)
        let reference = StochasticRegularizers.referenceMeaning(of: s.model).model
        for flag in [true, false] {
            try expectSameOutputs(reference, frozen, ["x": x, "training": NDArray(bools: [flag], shape: [])], tolerance: 0)
        }
    }

    /// Drop path inside a Loop body, on the loop-carried value, its keep constant read from the main graph.
    @Test func dropPathInsideALoopBodyIsRemoved() throws {
        var body = GraphSketch(opset: 17)
        body.outerScope = ["template", "keep"]
        body.input("i", [], type: .int64)
        body.input("cond_in", [], type: .bool)
        body.input("h", [2, 3, 4, 4])
        body.node("Identity", ["cond_in"], ["cond_out"])
        body.node("RandomUniformLike", ["template"], ["u"], [Attribute(name: "dtype", value: .int(1))])
        body.node("Less", ["u", "keep"], ["kept"])
        body.node("Cast", ["kept"], ["mask"], Self.castToFloat)
        body.node("Div", ["mask", "keep"], ["factor"])
        body.node("Mul", ["h", "factor"], ["dropped"])
        body.node("Relu", ["dropped"], ["h_next"])
        body.output("cond_out", type: .bool)
        body.output("h_next")
        var s = Self.base()
        s.constant("trips", [3], [], type: .int64)
        s.constant("go", [1], [], type: .bool)
        s.node("Loop", ["trips", "go", "r"], ["y"], name: "loop", [Attribute(name: "body", value: .graph(body.graph))])
        var (frozen, context) = try apply(RemoveStochasticRegularizers(), to: s.model)
        (frozen, _) = try apply(RemoveUnusedDefinitions(), to: frozen)
        let loopBody = try #require(frozen.graph.nodes.first { $0.opType == "Loop" }?.attribute("body")?.subgraphs.first)
        #expect(loopBody.ops() == ["Identity", "Relu"])
        #expect(context.changes.map(\.graph) == ["main/loop.body"])
        #expect(Validator.validate(frozen).isEmpty)
        let reference = StochasticRegularizers.referenceMeaning(of: s.model)
        #expect(reference.counts == [.dropPath: 1])
        try expectSameOutputs(reference.model, frozen, ["x": seededInput([2, 3, 4, 4], seed: 12)], tolerance: 0)
    }

    @Test func whereOnAScalarSwitchGoes() throws {
        var s = Self.dropPath()
        s.nodes[s.nodes.count - 1] = NodeSpec(name: "noisy", opType: "Mul", opsetVersion: 17, inputs: ["r", "factor"], outputs: ["noisy"])
        s.input("training", [], type: .bool)
        s.node("Where", ["training", "noisy", "r"], ["y"], name: "switch")
        var (frozen, context) = try apply(RemoveStochasticRegularizers(), to: s.model)
        (frozen, _) = try apply(RemoveUnusedDefinitions(), to: frozen)
        #expect(frozen.graph.ops() == ["Relu"])
        #expect(context.changes.map(\.action) == ["stochastic depth (drop path) removed", "training switch removed"])
    }

    // MARK: - The expectation argument, checked by sampling

    /// Replaces the random node by a constant of `n` seeded draws of its distribution and evaluates the
    /// factor: its mean over the draws must be one within five standard errors (the claim the pass relies on).
    @Test(arguments: ["dropPath", "floor", "bernoulli", "gaussianDropout"])
    func sampledFactorHasMeanOne(form: String) throws {
        let n = 20_000
        var r = SeededNumbers(seed: 11)
        let uniforms = r.values(n, 0...1).map { min($0, 1 - 0x1p-24) }
        var s = GraphSketch(opset: 17)
        s.constant("keep", [Self.keep], [])
        s.constant("one", [1], [])
        s.constant("sigma", [0.1], [])
        switch form {
        case "dropPath":
            s.constant("u", uniforms, [Int64(n)])
            s.node("Less", ["u", "keep"], ["kept"]); s.node("Cast", ["kept"], ["mask"], Self.castToFloat); s.node("Div", ["mask", "keep"], ["f"])
        case "floor":
            s.constant("u", uniforms, [Int64(n)])
            s.node("Add", ["keep", "u"], ["shifted"]); s.node("Floor", ["shifted"], ["mask"]); s.node("Div", ["mask", "keep"], ["f"])
        case "bernoulli":
            s.constant("u", uniforms.map { $0 < Self.keep ? 1 : 0 }, [Int64(n)])
            s.node("Div", ["u", "keep"], ["f"])
        default:
            // Box–Muller from pairs of uniforms gives standard normal draws.
            let normals: [Double] = (0..<n).map { k in
                let radius: Double = (-2 * Foundation.log(max(uniforms[k], 1e-300))).squareRoot()
                return radius * Foundation.cos(2 * Double.pi * uniforms[(k + 1) % n])
            }
            s.constant("u", normals, [Int64(n)])
            s.node("Mul", ["u", "sigma"], ["noise"]); s.node("Add", ["one", "noise"], ["f"])
        }
        s.output("f")
        let f = try #require(try Interpreter(model: s.model).run([:])["f"]?.asDoubles)
        let mean = f.reduce(0, +) / Double(n)
        let sd = (f.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n - 1)).squareRoot()
        #expect(abs(mean - 1) < 5 * sd / Double(n).squareRoot(), "mean \(mean), sd \(sd)")
    }

    // MARK: - Inspection

    @Test func inspectReportsRecognizedAndUnprovenDraws() {
        let recognized = Inspector.inspect(Self.dropBlock().model).findings(.dropout)
        #expect(recognized.map(\.kind) == [.stochasticRegularizer])
        #expect(recognized.first?.state == .training)
        #expect(recognized.first?.stochasticRegularizer?.variant == .dropBlock)
        #expect(recognized.first?.stochasticRegularizer?.nodes.count == 10)

        var s = Self.base()
        Self.uniform(&s)
        s.node("Sin", ["u"], ["y"])
        let unproven = Inspector.inspect(s.model).findings(.dropout)
        #expect(unproven.map(\.kind) == [.randomDraw])
        #expect(unproven.first?.state == .unknown)
        #expect(unproven.first?.stochasticRegularizer?.stoppedAt == "y")
    }
}

extension InspectReport {
    func findings(_ category: FindingCategory) -> [Finding] { categories.first { $0.category == category }?.findings ?? [] }
}
