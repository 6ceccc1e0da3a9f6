import FreezerIR
import FreezerInspect

/// The freezing passes in their fixed, documented order.
public struct Pipeline: Sendable {
    public var passes: [any Pass]

    /// The standard pipeline. `requestedOutputs` is `--output` (nil: choose automatically).
    public static func standard(requestedOutputs: [String]? = nil) -> Pipeline {
        Pipeline(passes: [
            // First: training_info names main-graph values; recording it before any rename keeps the record exact.
            StripTrainingInfo(),
            // The outputs decide what is reachable, so they are chosen before anything is removed.
            SelectInferenceOutputs(requested: requestedOutputs),
            // Before BatchNormalization and Dropout: gradient and optimizer nodes read running statistics and
            // Conv outputs, which would otherwise block the conversion and the folds.
            RemoveTrainingComputations(),
            // Parameters become constants before folding: a weight that is still an overridable graph input
            // (IR < 4 exports list initializers as inputs) cannot be folded.
            FreezeParameters(),
            // Random draws that are regularizers go before the switches and Dropout: an If or Where around a
            // regularizer is a training switch only once the regularizer inside is gone. After FreezeParameters,
            // so that keep probabilities stored as overridable initializers count as constants.
            RemoveStochasticRegularizers(),
            // Switches that survive (they feed inference-path Dropouts) become constants before Dropout goes.
            DisableTrainingSwitches(),
            RemoveDropout(),
            // Inference form first: folding needs BatchNormalization without training outputs.
            MakeBatchNormInference(),
            FoldBatchNorm(),
            // After the training forms are gone (Dropout removed, BatchNormalization in inference form or folded):
            // opset-7 BatchNormalization and Dropout have no is_test, so only inference forms can be upgraded.
            // Before RemoveIdentities and RemoveUnusedDefinitions, which collect what the upgrade replaces.
            UpgradeLegacyOpset(),
            RemoveIdentities(),
            // Last: collects whatever earlier passes left unused.
            RemoveUnusedDefinitions(),
        ])
    }

    public struct Result: Sendable {
        public var model: Model
        public var context: PassContext
    }

    /// Runs every pass in order on a copy of `model`; the input stays untouched. Tensors the passes
    /// create go to `tensorStore` (nil: memory).
    public func run(_ model: Model, tensorStore: TensorStore? = nil) throws(PassError) -> Result {
        var model = model
        var context = PassContext(tensorStore: tensorStore)
        for pass in passes {
            context.currentPass = pass.name
            try pass.run(on: &model, context: &context)
        }
        return Result(model: model, context: context)
    }

    /// Runs the passes up to and including the one named `pass`: the model just before it and the result
    /// just after it (nil when the pipeline has no such pass). Qualification checks a pass in isolation,
    /// in the state the passes before it leave.
    public func run(_ model: Model, through pass: String) throws(PassError) -> (before: Model, after: Result)? {
        guard let index = passes.firstIndex(where: { $0.name == pass }) else { return nil }
        var result = try Pipeline(passes: Array(passes[..<index])).run(model)
        let before = result.model
        result.context.currentPass = pass
        try passes[index].run(on: &result.model, context: &result.context)
        return (before, result)
    }
}

/// The post-condition of freezing: inspect finds no training construct in the frozen model.
public enum TrainingAudit {
    /// The post-condition, as a requirement of `freezer qualify`'s specification.
    public static let requirement = (
        id: "FREEZE-AUDIT",
        statement: "After the passes, inspect finds no training-specific construct in the frozen model (every category searched), else the conversion is refused (exit 3), and the IR validator finds no problem (a node name repeated that the input did not repeat included), else the conversion stops as freezer's internal error (exit 70); either way nothing is written.")

    /// Findings that show training content still present (anything not already in inference form).
    public static func violations(in model: Model) -> [Finding] {
        Inspector.inspect(model).findings.filter { $0.state != .inference && $0.state != .informational }
    }
}
