import FreezerKernels
import Testing
@testable import FreezerIR
@testable import FreezerPasses

@Suite("SelectInferenceOutputs")
struct SelectInferenceOutputsTests {
    /// logits = MatMul(x, W); every other output is training-only for its own reason:
    /// loss (a loss operator), dx (a training operator), running_mean_copy (its name), l2 (no runtime input),
    /// stat_mean (a BatchNormalization statistic), mask (a Dropout mask).
    static func trainingModel() -> Model {
        var s = GraphSketch(opset: 15)
        s.imports = [OpsetImport(domain: "com.microsoft", version: 1)]
        s.input("x", [2, 3])
        s.input("label", [2], type: .int64)
        s.constant("W", seededValues(12, -1...1, seed: 51), [3, 4])
        s.node("MatMul", ["x", "W"], ["logits"])
        s.node("SoftmaxCrossEntropyLoss", ["logits", "label"], ["loss"], name: "sce")
        s.node("ReluGrad", ["logits", "logits"], ["dx"], name: "relu_grad", domain: "com.microsoft")
        s.node("Relu", ["logits"], ["running_mean_copy"])
        s.node("ReduceSumSquare", ["W"], ["l2"], [Attribute(name: "keepdims", value: .int(0))])
        s.statistics(BatchNormStats.random(4, seed: 52))
        s.node("Unsqueeze", ["logits", "axes"], ["l4"])
        s.constant("axes", [2], [1], type: .int64)
        s.batchNorm("l4", "bn_y", stats: nil, [Attribute(name: "training_mode", value: .int(1))])
        s.nodes[s.nodes.count - 1].outputs = ["bn_y", "stat_mean", "stat_var"]
        s.constant("ratio", [0.5], [])
        s.node("Dropout", ["logits", "ratio"], ["d", "mask"], name: "drop")
        for name in ["logits", "loss", "dx", "running_mean_copy", "l2", "stat_mean", "mask"] {
            s.output(name, type: name == "mask" ? .bool : .float)
        }
        return s.model
    }

    static let feeds = ["x": seededInput([2, 3], seed: 53), "label": NDArray(ints: [1, 3], shape: [2])]

    @Test func keepsTheInferenceOutputAndRecordsWhyEachOtherWasDropped() throws {
        let original = Self.trainingModel()
        let (frozen, context) = try apply(SelectInferenceOutputs(), to: original)
        #expect(frozen.graph.outputNames() == ["logits"])
        #expect(context.skips.isEmpty)
        let dropped = context.changes("output dropped")
        #expect(dropped.count == 6)
        let reasons = Dictionary(uniqueKeysWithValues: dropped.map { ($0.nodes[0], ($0.category, $0.detail)) })
        #expect(reasons["loss"]?.0 == .loss)
        #expect(reasons["loss"]?.1.contains("computed from loss operator SoftmaxCrossEntropyLoss 'sce'") == true)
        #expect(reasons["dx"]?.0 == .gradientAndOptimizer)
        #expect(reasons["dx"]?.1.contains("computed by training operator com.microsoft::ReluGrad 'relu_grad'") == true)
        #expect(reasons["running_mean_copy"]?.1.contains("its name contains 'running_mean'") == true)
        #expect(reasons["l2"]?.0 == .weightRegularization)
        #expect(reasons["l2"]?.1.contains("it depends on no runtime input") == true)
        #expect(reasons["stat_mean"]?.0 == .batchNormalization)
        #expect(reasons["stat_mean"]?.1.contains("output 1 of BatchNormalization 'bn'") == true)
        #expect(reasons["mask"]?.0 == .dropout)
        #expect(reasons["mask"]?.1.contains("the mask of Dropout 'drop'") == true)
        // The dead nodes stay for RemoveTrainingComputations; the model is still valid.
        #expect(frozen.graph.nodes.count == original.graph.nodes.count)
        #expect(Validator.validate(frozen).isEmpty, "\(Validator.validate(frozen))")
        try expectSameOutputs(original, frozen, Self.feeds)
    }

    /// Words in a name mark an output as training-only even when it reads the runtime input.
    @Test(arguments: ["total_loss", "w_grad", "regularizer", "accumulated", "bn.running_var"])
    func namesThatMarkTrainingOutputs(name: String) throws {
        var s = GraphSketch()
        s.input("x", [2])
        s.node("Relu", ["x"], ["y"])
        s.node("Neg", ["x"], [name])
        s.output("y")
        s.output(name)
        let (frozen, context) = try apply(SelectInferenceOutputs(), to: s.model)
        #expect(frozen.graph.outputNames() == ["y"])
        #expect(context.changes.count == 1 && context.changes[0].detail.contains("its name contains"))
        #expect(Validator.validate(frozen).isEmpty)
    }

    /// Labels are not runtime inputs of inference: an output computed only from them is training-only.
    @Test func anOutputReadingOnlyTheLabelsIsDropped() throws {
        var s = GraphSketch()
        s.input("x", [2, 3])
        s.input("label", [2], type: .int64)
        s.node("SoftmaxCrossEntropyLoss", ["x", "label"], ["loss"], name: "sce")
        s.node("Cast", ["label"], ["targets"], [Attribute(name: "to", value: .int(1))])
        s.node("Relu", ["x"], ["y"])
        s.output("y")
        s.output("targets")
        let (frozen, context) = try apply(SelectInferenceOutputs(), to: s.model)
        #expect(frozen.graph.outputNames() == ["y"])
        #expect(context.changes.map(\.nodes) == [["targets"]])
        #expect(context.changes.first?.detail.contains("it depends on no runtime input (only parameters or labels)") == true)
        #expect(Validator.validate(frozen).isEmpty, "\(Validator.validate(frozen))")
        try expectSameOutputs(s.model, frozen, ["x": seededInput([2, 3], seed: 54), "label": NDArray(ints: [0, 2], shape: [2])])
    }

    @Test func skipsWhenEveryOutputIsAnInferenceOutput() throws {
        var s = GraphSketch()
        s.input("x", [2])
        s.node("Relu", ["x"], ["y"])
        s.node("Neg", ["x"], ["z"])
        s.output("y")
        s.output("z")
        let (frozen, context) = try apply(SelectInferenceOutputs(), to: s.model)
        #expect(frozen == s.model)
        #expect(context.changes.isEmpty)
        #expect(context.skips.map(\.reason) == ["no training-only output: all 2 outputs kept (y, z)"])
        #expect(Validator.validate(frozen).isEmpty)
    }

    @Test func requestedOutputsOverrideTheChoice() throws {
        let original = Self.trainingModel()
        let (frozen, context) = try apply(SelectInferenceOutputs(requested: ["l2", "logits"]), to: original)
        #expect(frozen.graph.outputNames() == ["l2", "logits"])
        #expect(context.changes.map(\.action) == ["outputs chosen by --output"])
        #expect(context.changes[0].detail == "kept l2, logits; dropped loss, dx, running_mean_copy, stat_mean, mask")
        #expect(Validator.validate(frozen).isEmpty, "\(Validator.validate(frozen))")
        try expectSameOutputs(original, frozen, Self.feeds)
    }

    @Test func refusesAnUnknownRequestedOutput() throws {
        #expect {
            try apply(SelectInferenceOutputs(requested: ["nope"]), to: Self.trainingModel())
        } throws: { error in
            ((error as? PassError)?.message ?? "").contains("--output 'nope' is not a value of the model")
        }
    }

    /// A Dropout mask and a BatchNormalization statistic exist only in training (the passes remove them):
    /// asked for with --output, they are refused, naming the output and why inference has none.
    @Test(arguments: [("mask", "the mask of Dropout 'drop', which exists only in training: at inference Dropout drops nothing, so its mask would be all true"),
                      ("stat_mean", "output 1 of BatchNormalization 'bn' (a running or saved statistic), which exists only in training")])
    func refusesARequestedOutputThatExistsOnlyInTraining(output: String, reason: String) throws {
        #expect {
            try apply(SelectInferenceOutputs(requested: ["logits", output]), to: Self.trainingModel())
        } throws: { error in
            let message = (error as? PassError)?.message ?? ""
            return message.contains("--output '\(output)' is \(reason)") && message.contains("Choose inference outputs with --output")
        }
    }

    /// onnxruntime-training's training_model.onnx declares only the loss and gradients: the prediction the
    /// loss operator scores becomes the output, with the element type the graph proves.
    @Test func choosesTheScoredPredictionWhenEveryOutputIsTrainingOnly() throws {
        var original = Self.trainingModel()
        var g = original.graph
        g.setOutputs(g.outputs.filter { g.value($0).name != "logits" })
        g.setType(g.value(named: "logits")!, nil)
        original.graph = g
        let (selected, context) = try apply(SelectInferenceOutputs(), to: original)
        #expect(selected.graph.outputNames() == ["logits"])
        #expect(selected.graph.value(selected.graph.outputs[0]).type?.tensor == TensorType(elementType: .float, shape: [.unknown, .unknown]))
        #expect(context.changes("forward output chosen").map(\.nodes) == [["logits"]])
        #expect(context.changes("output type declared").count == 1)
    }

    @Test func refusesWhenEveryOutputIsTrainingOnlyAndNothingIsScored() throws {
        var original = Self.trainingModel()
        var g = original.graph
        g.setOutputs(g.outputs.filter { !["logits", "loss"].contains(g.value($0).name) })
        let sce = g.nodes.first { $0.opType == "SoftmaxCrossEntropyLoss" }!
        for slot in sce.outputs.indices.reversed() { try g.dropOutput(sce.id, slot) }
        try g.removeNode(sce.id)
        original.graph = g
        #expect {
            try apply(SelectInferenceOutputs(), to: original)
        } throws: { error in
            ((error as? PassError)?.message ?? "").contains("is training-only, so no inference output is left")
        }
    }

    @Test func refusesAChosenOutputWhoseTypeCannotBeProven() throws {
        var s = GraphSketch()
        s.input("x", [2])
        s.node("Relu", ["x"], ["r"], name: "relu", domain: "custom.domain")
        s.output("r")
        var m = s.model
        m.graph.setOutputs([])
        m.graph.setType(m.graph.value(named: "r")!, nil)
        #expect {
            try apply(SelectInferenceOutputs(requested: ["r"]), to: m)
        } throws: { error in
            ((error as? PassError)?.message ?? "").contains("cannot prove its element type")
        }
    }
}
