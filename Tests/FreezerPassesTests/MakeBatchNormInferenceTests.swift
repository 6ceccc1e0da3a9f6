import FreezerKernels
import Testing
@testable import FreezerIR
@testable import FreezerPasses

@Suite("MakeBatchNormInference")
struct MakeBatchNormInferenceTests {
    static let stats = BatchNormStats.random(3, seed: 41)

    /// x[2,3,2,2] → BatchNormalization in the opset's training form → y, its statistics outputs unread.
    static func model(opset: Int64, type: ElementType = .float, training: Bool = true, statistics: Bool = true,
                      consumedInputs: Bool = true) -> Model {
        var s = GraphSketch(opset: opset)
        s.input("x", [2, 3, 2, 2], type: type)
        var attributes: [Attribute] = []
        var outs = ["y"]
        switch opset {
        case ...6:
            attributes = [Attribute(name: "is_test", value: .int(training ? 0 : 1))]
            if consumedInputs { attributes.append(Attribute(name: "consumed_inputs", value: .ints([0, 0, 0, 1, 1]))) }
            if statistics { outs += ["mean_out", "var_out", "saved_mean", "saved_var"] }
        case 7..<14:
            if statistics { outs += ["mean_out", "var_out", "saved_mean", "saved_var"] }
        default:
            if training { attributes = [Attribute(name: "training_mode", value: .int(1))] }
            if statistics { outs += ["mean_out", "var_out"] }
        }
        s.batchNorm("x", "y", stats: stats, type: type, attributes)
        s.nodes[s.nodes.count - 1].outputs = outs
        s.output("y", type: type)
        return s.model
    }

    static let feeds = ["x": seededInput([2, 3, 2, 2], seed: 42)]

    @Test(arguments: [Int64(14), 15, 22])
    func trainingModeIsRemovedAndStatisticsOutputsDropped(opset: Int64) throws {
        let original = Self.model(opset: opset)
        let (frozen, context) = try apply(MakeBatchNormInference(), to: original)
        let bn = frozen.graph.nodes[0]
        #expect(bn.attribute("training_mode") == nil)
        #expect(bn.outputs.count == 1)
        #expect(frozen.graph.outputNames() == ["y"])
        #expect(context.skips.isEmpty)
        #expect(context.changes.map(\.action) == ["converted to inference form"])
        #expect(context.changes[0].nodes == ["bn"] && context.changes[0].category == .batchNormalization)
        #expect(context.changes[0].detail == "training_mode 1 → 0; dropped unused output 1 'mean_out'; dropped unused output 2 'var_out'")
        #expect(Validator.validate(frozen).isEmpty, "\(Validator.validate(frozen))")
        try expectSameOutputs(original, frozen, Self.feeds, tolerance: 1e-5)
    }

    @Test func opset6IsTestBecomesOneAndConsumedInputsGoes() throws {
        let original = Self.model(opset: 6)
        let (frozen, context) = try apply(MakeBatchNormInference(), to: original)
        let bn = frozen.graph.nodes[0]
        #expect(bn.attribute("is_test")?.intValue == 1)
        #expect(bn.attribute("consumed_inputs") == nil)
        #expect(bn.outputs.count == 1)
        #expect(context.changes.count == 1)
        #expect(context.changes[0].detail.hasPrefix("is_test 0 → 1; dropped unused output 1 'mean_out'"))
        #expect(context.changes[0].detail.hasSuffix("removed consumed_inputs"))
        #expect(Validator.validate(frozen).isEmpty, "\(Validator.validate(frozen))")
        try expectSameOutputs(original, frozen, Self.feeds, tolerance: 1e-5)
    }

    /// Opsets 7–13 have no training attribute: unused statistics outputs are still dropped.
    @Test(arguments: [Int64(7), 9])
    func inferenceModeWithUnusedStatisticsOutputs(opset: Int64) throws {
        let original = Self.model(opset: opset)
        let (frozen, context) = try apply(MakeBatchNormInference(), to: original)
        #expect(frozen.graph.nodes[0].outputs.count == 1)
        #expect(context.changes.count == 1)
        #expect(context.changes[0].detail.hasPrefix("training mode already off; dropped unused output 1 'mean_out'"))
        #expect(Validator.validate(frozen).isEmpty, "\(Validator.validate(frozen))")
        try expectSameOutputs(original, frozen, Self.feeds, tolerance: 1e-5)
    }

    @Test(arguments: [Int64(6), 9, 15])
    func skipsABatchNormAlreadyInInferenceForm(opset: Int64) throws {
        let original = Self.model(opset: opset, training: false, statistics: false, consumedInputs: false)
        let (frozen, context) = try apply(MakeBatchNormInference(), to: original)
        #expect(frozen == original)
        #expect(context.changes.isEmpty)
        #expect(context.skips.map(\.reason) == ["already in inference form"])
        #expect(context.skips[0].node == "bn" && context.skips[0].graph == "main")
        #expect(Validator.validate(frozen).isEmpty, "\(Validator.validate(frozen))")
    }

    @Test func refusesWhenARunningStatisticIsRead() throws {
        var original = Self.model(opset: 15)
        var g = original.graph
        g.setOutputs(g.outputs + [g.value(named: "mean_out")!])
        original.graph = g
        #expect {
            try apply(MakeBatchNormInference(), to: original)
        } throws: { error in
            let message = (error as? PassError)?.message ?? ""
            return message.contains("'bn' output 1 ('mean_out'") && message.contains("the graph outputs")
        }
    }

    @Test func float16() throws {
        let original = Self.model(opset: 15, type: .float16)
        let (frozen, context) = try apply(MakeBatchNormInference(), to: original)
        #expect(frozen.graph.nodes[0].attribute("training_mode") == nil)
        #expect(context.changes.count == 1)
        #expect(Validator.validate(frozen).isEmpty, "\(Validator.validate(frozen))")
        try expectSameOutputs(original, frozen, ["x": seededInput([2, 3, 2, 2], seed: 43, type: .float16)], tolerance: 1e-2)
    }

    /// A BatchNormalization in an If branch is converted there, reading its statistics from the main graph.
    @Test func walksIfBranches() throws {
        var then = GraphSketch(name: "then", outerScope: ["x", "bn_scale", "bn_bias", "bn_mean", "bn_var"], opset: 15)
        then.batchNorm("x", "t", stats: nil, [Attribute(name: "training_mode", value: .int(1))])
        then.nodes[0].outputs = ["t", "t_mean", "t_var"]
        then.output("t")
        var orElse = GraphSketch(name: "else", outerScope: ["x"], opset: 15)
        orElse.node("Neg", ["x"], ["e"])
        orElse.output("e")
        let s = GraphSketch.branching(then: then, else: orElse, x: [2, 3, 2, 2]) { $0.statistics(Self.stats) }
        let (frozen, context) = try apply(MakeBatchNormInference(), to: s.model)
        let branch = frozen.graph.nodes[0].attribute("then_branch")!.subgraphs[0]
        #expect(branch.nodes[0].attribute("training_mode") == nil)
        #expect(branch.nodes[0].outputs.count == 1)
        #expect(context.changes.map(\.graph) == ["main/if.then_branch"])
        #expect(Validator.validate(frozen).isEmpty, "\(Validator.validate(frozen))")
        try expectSameOutputsOnBothBranches(s.model, frozen, seed: 44, x: [2, 3, 2, 2], tolerance: 1e-5)
    }

    /// onnxruntime-training's BatchNormInternal (saved mean and inverse std outputs, one of them absent)
    /// becomes the standard BatchNormalization on the running statistics, with its epsilon.
    @Test func onnxruntimeBatchNormInternalBecomesBatchNormalization() throws {
        var s = GraphSketch(opset: 17)
        s.imports = [OpsetImport(domain: "com.microsoft", version: 1)]
        s.input("x", [2, 3, 2, 2])
        s.statistics(Self.stats, for: "bn")
        s.node("BatchNormInternal", ["x", "bn_scale", "bn_bias", "bn_mean", "bn_var"], ["y", "running_mean", "", "saved_mean", "saved_inv_std"],
               name: "bn", domain: "com.microsoft", [Attribute(name: "epsilon", value: .float(1e-3)), Attribute(name: "momentum", value: .float(0.9))])
        s.output("y")
        let (frozen, context) = try apply(MakeBatchNormInference(), to: s.model)
        let bn = frozen.graph.nodes[0]
        #expect(bn.isOnnx("BatchNormalization"))
        #expect(bn.outputs.count == 1)
        #expect(bn.attributes.map(\.name) == ["epsilon"])
        #expect(context.changes("converted to inference form").first?.detail.contains("BatchNormInternal") == true)
        #expect(Validator.validate(frozen).isEmpty)
        #expect(bn.opsetVersion == 17)
        try expectSameOutputs(s.model, frozen, Self.feeds, tolerance: 0)
    }

    @Test func batchNormInternalWhoseSavedStatisticIsReadIsRefused() throws {
        var s = GraphSketch(opset: 17)
        s.imports = [OpsetImport(domain: "com.microsoft", version: 1)]
        s.input("x", [2, 3, 2, 2])
        s.statistics(Self.stats, for: "bn")
        s.node("BatchNormInternal", ["x", "bn_scale", "bn_bias", "bn_mean", "bn_var"], ["y", "running_mean", "running_var", "saved_mean"],
               name: "bn", domain: "com.microsoft")
        s.node("Neg", ["saved_mean"], ["m"])
        s.output("y")
        s.output("m")
        #expect {
            try apply(MakeBatchNormInference(), to: s.model)
        } throws: { error in
            ((error as? PassError)?.message ?? "").contains("output 3 ('saved_mean', a training statistic) is read by 'm'")
        }
    }
}
