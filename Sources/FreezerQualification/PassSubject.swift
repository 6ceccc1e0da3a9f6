import FreezerIR

/// A small training export that holds what one or more passes rewrite, made by freezer's own code:
/// the subject of a pass's qualification test.
public struct PassSubject: Sendable {
    public var name: String
    public var model: Model
    public var inputShapes: [String: [Int]]
    /// Operators the frozen model must no longer contain.
    public var removedOperators: [String]

    init(_ name: String, _ model: Model, inputShapes: [String: [Int]], removedOperators: [String] = []) {
        self.name = name
        self.model = model
        self.inputShapes = inputShapes
        self.removedOperators = removedOperators
    }

    init(_ synthetic: SyntheticModel) {
        self.init(synthetic.name, synthetic.model, inputShapes: synthetic.inputShapes, removedOperators: ["Dropout", "BatchNormalization"])
    }

    /// x [4, 8] → MatMul(W) → Add(b) → Relu → y: the inference path every subject below extends.
    @discardableResult
    static func linear(_ r: inout GraphRecipe, _ x: String = "input") -> String {
        let w = r.parameter("fc.weight", [8, 6], -0.5, 0.5), b = r.parameter("fc.bias", [6], -0.1, 0.1)
        let m = r.node("MatMul", "fc", [x, w])
        return r.node("Relu", "relu", [r.node("Add", "fc.add", [m, b])])
    }

    static let input = GraphRecipe.float("input", [4, 8])
    static let inputShapes = ["input": [4, 8]]

    /// ModelProto.training_info with one SGD-like update of the weight.
    static func trainingInfo() -> PassSubject {
        var r = GraphRecipe(seed: 11)
        linear(&r)
        var model = r.model(name: "training_info", inputs: [input], outputs: [GraphRecipe.float("relu_out", [4, 6])])
        let algorithm = Graph(name: "algorithm", inputs: [GraphRecipe.float("w_in", [8, 6])], outputs: [GraphRecipe.float("w_next", [8, 6])],
                              nodes: [NodeSpec(name: "update", opType: "Neg", opsetVersion: 17, inputs: ["w_in"], outputs: ["w_next"])])
        model.trainingInfo = [TrainingInfo(initialization: nil, algorithm: algorithm, initializationBinding: [],
                                           updateBinding: [.init(key: "fc.weight", value: "w_next")])]
        return PassSubject("training_info", model, inputShapes: inputShapes)
    }

    /// A loss output (SoftmaxCrossEntropyLoss on a label input) and an L2 term beside the logits.
    static func lossAndRegularization() -> PassSubject {
        var r = GraphRecipe(seed: 12)
        let logits = linear(&r)
        r.node("SoftmaxCrossEntropyLoss", "loss", [logits, "label"], outputs: ["loss"])
        r.node("ReduceSumSquare", "l2", ["fc.weight"], outputs: ["l2"], [.init(name: "keepdims", value: .int(0))])
        let label = ValueInfo(name: "label", type: ValueType(tensor: TensorType(elementType: .int64, shape: [.value(4)])))
        let model = r.model(name: "loss", inputs: [input, label],
                            outputs: [GraphRecipe.float("relu_out", [4, 6]), GraphRecipe.float("loss", []), GraphRecipe.float("l2", [])])
        return PassSubject("training outputs (loss, L2)", model, inputShapes: ["input": [4, 8], "label": [4]],
                           removedOperators: ["SoftmaxCrossEntropyLoss", "ReduceSumSquare"])
    }

    /// The weight and bias listed as graph inputs as well as initializers (overridable parameters).
    static func parametersAsInputs() -> PassSubject {
        var r = GraphRecipe(seed: 13)
        linear(&r)
        let model = r.model(name: "parameters", inputs: [input, GraphRecipe.float("fc.weight", [8, 6]), GraphRecipe.float("fc.bias", [6])],
                            outputs: [GraphRecipe.float("relu_out", [4, 6])])
        return PassSubject("parameters listed as inputs", model, inputShapes: inputShapes)
    }

    /// torchvision's StochasticDepth: y = r · Cast(U < keep) / keep with U uniform per sample.
    static func dropPath() -> PassSubject {
        var r = GraphRecipe(seed: 14)
        let x = linear(&r)
        let template = r.constant("template", [4, 1], [0, 0, 0, 0])
        let keep = r.constant("keep", [], [0.8])
        let u = r.node("RandomUniformLike", "draw", [template], [.init(name: "dtype", value: .int(1)),
                                                                .init(name: "low", value: .float(0)), .init(name: "high", value: .float(1))])
        let kept = r.node("Less", "kept", [u, keep])
        let mask = r.node("Cast", "mask", [kept], [.init(name: "to", value: .int(1))])
        let factor = r.node("Div", "factor", [mask, keep])
        r.node("Mul", "drop_path", [x, factor], outputs: ["output"])
        let model = r.model(name: "drop_path", inputs: [input], outputs: [GraphRecipe.float("output", [4, 6])])
        return PassSubject("drop path", model, inputShapes: inputShapes, removedOperators: ["RandomUniformLike"])
    }

    /// Dropout whose training_mode is a boolean graph input (a training switch).
    static func trainingSwitch() -> PassSubject {
        var r = GraphRecipe(seed: 15)
        let x = linear(&r)
        let ratio = r.constant("ratio", [], [0.3])
        r.node("Dropout", "dropout", [x, ratio, "is_training"], outputs: ["output"])
        let flag = ValueInfo(name: "is_training", type: ValueType(tensor: TensorType(elementType: .bool, shape: [])))
        let model = r.model(name: "switch", inputs: [input, flag], outputs: [GraphRecipe.float("output", [4, 6])])
        return PassSubject("training switch", model, inputShapes: ["input": [4, 8], "is_training": []], removedOperators: ["Dropout"])
    }

    /// An opset-6 export: Mul with legacy broadcast along axis 1, Dropout with is_test = 0.
    static func legacyOpset() -> PassSubject {
        var r = GraphRecipe(seed: 16, opset: 6)
        let scale = r.parameter("scale", [3], 0.5, 1.5)
        let m = r.node("Mul", "scale", ["input", scale], [.init(name: "broadcast", value: .int(1)), .init(name: "axis", value: .int(1))])
        let relu = r.node("Relu", "relu", [m])
        r.node("Dropout", "dropout", [relu], outputs: ["output"], [.init(name: "is_test", value: .int(0)), .init(name: "ratio", value: .float(0.5))])
        var model = r.model(name: "legacy", inputs: [GraphRecipe.float("input", [2, 3, 4, 4])], outputs: [GraphRecipe.float("output", [2, 3, 4, 4])])
        model.irVersion = 3
        return PassSubject("opset 6", model, inputShapes: ["input": [2, 3, 4, 4]], removedOperators: ["Dropout"])
    }

    /// A chain of Identity nodes inside the inference path.
    static func identities() -> PassSubject {
        var r = GraphRecipe(seed: 17)
        let x = linear(&r)
        let a = r.node("Identity", "copy1", [x])
        let b = r.node("Identity", "copy2", [a])
        r.node("Neg", "neg", [b], outputs: ["output"])
        let model = r.model(name: "identities", inputs: [input], outputs: [GraphRecipe.float("output", [4, 6])])
        return PassSubject("identity chain", model, inputShapes: inputShapes, removedOperators: ["Identity"])
    }
}
