/// What exactly a finding is, within its category.
///
/// Finer than the category so that a pass can pick what it handles (a fixed learning rate is
/// informational; a schedule computed from T is something to remove).
public enum FindingKind: String, Codable, Sendable {
    // dropout
    case dropout
    /// A random draw recognized as a stochastic regularizer (drop path, DropBlock, Gaussian noise, ...).
    case stochasticRegularizer
    /// A random draw in the inference path that freezer cannot prove to be a regularizer.
    case randomDraw
    // batchNormalization
    case batchNormalization
    /// `com.microsoft::BatchNormInternal`, the training form onnxruntime-training emits.
    case batchNormInternal
    // gradientAndOptimizer
    /// `ai.onnx.preview.training::Gradient`.
    case gradient
    /// An optimizer update: Adam, Momentum, Adagrad, or an onnxruntime-training optimizer.
    case optimizer
    /// Gradient accumulation or reset (InPlaceAccumulator, ZeroGradient, ...).
    case gradientAccumulator
    /// A backward operator (`com.microsoft::*Grad`).
    case gradientOperator
    /// Any other operator that exists only for training.
    case trainingOperator
    // loss
    case lossOperator
    case lossOutput
    case labelInput
    // weightRegularization
    /// An L1/L2 penalty on a parameter added into the loss.
    case lossPenalty
    /// An optimizer's own weight decay (`norm_coefficient`, `weight_decay`).
    case optimizerWeightDecay
    // gradientClipping
    case valueClipping
    case globalNormClipping
    case clipGradNormOperator
    // learningRateScheduling
    /// R computed from the iteration count T.
    case schedule
    /// R computed from something other than T.
    case computedLearningRate
    /// R is a constant (informational).
    case fixedLearningRate
    /// The optimizer decays R itself (Adagrad `decay_factor`).
    case optimizerDecay
    // trainingInfo
    case trainingInfo
    // parameters
    case initializerAsInput
    case parameterWithoutValue
}

/// How a construct behaves in the model as stored.
public enum FindingState: String, Codable, Sendable {
    /// Training behaviour: it changes results or state at inference if kept.
    case training
    /// Present, but behaves as at inference (still something a freeze may simplify, e.g. fold a BN).
    case inference
    /// Decided at run time by a graph input.
    case runtimeInput
    /// Computed by other nodes; cannot be decided without running the graph.
    case unknown
    /// Worth recording, not a behaviour (e.g. a fixed learning rate).
    case informational
}
