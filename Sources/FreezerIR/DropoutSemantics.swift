/// Dropout's training switch across opsets: the one rule the inspector, the RemoveDropout pass and
/// the reference evaluator share.
///
/// The switch moved twice. Opsets 1–6: the `is_test` attribute, whose default 0 means training.
/// Opsets 7–11: no switch at all; Dropout has inference semantics (the identity). Opset 12 on: the
/// optional `training_mode` input (index 2), absent meaning false; it is a constant, a graph input that
/// decides at run time, or computed by other nodes.
public enum DropoutSemantics {
    /// The opset versions in which Dropout's schema changed.
    public static let versions: [Int64] = [1, 6, 7, 10, 12, 13, 22]

    /// Where a Dropout schema keeps its training switch.
    public enum Switch: Equatable, Sendable {
        /// Opsets 1–6: the `is_test` attribute; 0, the default, means training.
        case isTestAttribute
        /// Opsets 7–11: no switch; inference semantics.
        case none
        /// Opset 12 on (and onnxruntime's fused forms): the optional bool input at `index`; absent means false.
        case trainingModeInput(index: Int)
    }

    /// The switch of Dropout at `opset`.
    public static func trainingSwitch(opset: Int64) -> Switch {
        if opset <= 6 { return .isTestAttribute }
        if opset <= 11 { return .none }
        return .trainingModeInput(index: 2)
    }

    /// The opset a Dropout node follows: `opset` when known, else the one its form implies
    /// (an `is_test` attribute: 6; a second input: 12; otherwise 7).
    public static func effectiveOpset(of node: Node, opset: Int64?) -> Int64 {
        if let opset { return opset }
        if node.attribute("is_test") != nil { return 6 }
        return node.inputs.count > 1 ? 12 : 7
    }

    /// What decided a Dropout's training mode when the model itself decides it.
    public enum Decision: Equatable, Sendable {
        /// Opsets 1–6: the `is_test` attribute's value (0 when absent).
        case isTest(Int64)
        /// Opsets 7–11: the schema has no training switch.
        case noSwitch
        /// Opset 12 on: no `training_mode` input.
        case trainingModeAbsent
        /// Opset 12 on: a constant `training_mode` input.
        case trainingModeConstant(ValueID)
    }

    /// Where a `training_mode` value comes from, as the caller resolved it.
    public enum FlagSource: Equatable, Sendable {
        /// A constant: true or false.
        case constant(Bool)
        /// A graph input (with or without a default): the caller decides at run time.
        case runtimeInput
        /// Computed by another node (named, when known), or not resolvable.
        case computed(producer: String?)
    }

    /// A Dropout node's training mode.
    public enum TrainingMode: Equatable, Sendable {
        case inference(Decision)
        case training(Decision)
        /// The `training_mode` input `flag` is a graph input: decided at run time.
        case runtimeInput(flag: ValueID)
        /// The `training_mode` input `flag` is computed by `producer` (when known): unknown before run time.
        case unknown(flag: ValueID, producer: String?)

        /// Whether the model decides training mode (nil: a runtime input or unknown).
        public var isTraining: Bool? {
            switch self {
            case .training: true
            case .inference: false
            case .runtimeInput, .unknown: nil
            }
        }
    }

    /// The training mode of `node`, whose switch is `trainingSwitch`; `flag` says where a
    /// `training_mode` input comes from (callers that see enclosing graphs resolve further).
    public static func trainingMode(of node: Node, switch trainingSwitch: Switch,
                                    flag source: (ValueID) -> FlagSource) -> TrainingMode {
        switch trainingSwitch {
        case .isTestAttribute:
            let isTest = node.attribute("is_test")?.intValue ?? 0
            return isTest == 0 ? .training(.isTest(isTest)) : .inference(.isTest(isTest))
        case .none:
            return .inference(.noSwitch)
        case .trainingModeInput(let index):
            guard index < node.inputs.count, let flag = node.inputs[index] else { return .inference(.trainingModeAbsent) }
            switch source(flag) {
            case .constant(true): return .training(.trainingModeConstant(flag))
            case .constant(false): return .inference(.trainingModeConstant(flag))
            case .runtimeInput: return .runtimeInput(flag: flag)
            case .computed(let producer): return .unknown(flag: flag, producer: producer)
            }
        }
    }

    /// The training mode of the default-domain Dropout `node` of `graph`, at its opset (or the one its
    /// form implies), with constants as `Graph.constantScalar` sees them.
    public static func trainingMode(of node: Node, in graph: Graph) -> TrainingMode {
        let opset = effectiveOpset(of: node, opset: node.opsetVersion)
        return trainingMode(of: node, switch: trainingSwitch(opset: opset)) { flag in
            if let v = graph.constantScalar(flag) { return .constant(v != 0) }
            if graph.value(flag).producer == .graphInput { return .runtimeInput }
            return .computed(producer: graph.producer(of: flag).map { graph.displayName($0.id) })
        }
    }
}
