import FreezerIR

/// Training exports of the architectures teams train, made by freezer's own code: the subjects of the
/// fault-injection suite and of the qualification tests.
public struct SyntheticModel: Sendable {
    public var name: String
    /// The verified learning model as a training export writes it (BatchNormalization and Dropout in
    /// training mode).
    public var model: Model
    /// The frozen model a correct conversion of `model` is, built by the recipe with the suite's own fold
    /// formula and no pass (`GraphRecipe.Form.reference`): the fault injection's correct conversion.
    public var reference: Model
    /// Input shapes for the equivalence check.
    public var inputShapes: [String: [Int]]
    /// The fold the fold faults are injected into: the BatchNormalization, the linear node it folds into,
    /// and the axis of that node's weight that holds its output channels.
    public var fold: (batchNorm: String, linear: String, channelAxis: Int)
    /// A Dropout of the verified learning model, for the fault that keeps its training scale.
    public var dropout: String

    /// Every architecture of the suite.
    public static func all() -> [SyntheticModel] { [cnn(), denseCNN(), mlp(), transformer(), recurrent()] }

    /// Six Conv 3×3 + BatchNormalization + Relu layers (Dropout after every second one), global pooling and
    /// a Gemm classifier.
    public static func cnn(layers: Int = 6, width: Int64 = 16, seed: UInt64 = 1) -> SyntheticModel {
        let build = { (form: GraphRecipe.Form) -> Model in
            var r = GraphRecipe(seed: seed, form: form)
            var x = convolutions(&r, layers: layers, width: width, lastIsOutput: false)
            x = r.node("GlobalAveragePool", "pool", [x])
            x = r.node("Flatten", "flatten", [x])
            let fw = r.parameter("fc.weight", [10, width], -0.5, 0.5)
            let fb = r.parameter("fc.bias", [10], -0.1, 0.1)
            r.node("Gemm", "fc", [x, fw, fb], outputs: ["logits"], [.init(name: "transB", value: .int(1))])
            return r.model(name: "cnn", inputs: [GraphRecipe.float("input", [2, 3, 16, 16])], outputs: [GraphRecipe.float("logits", [2, 10])])
        }
        return SyntheticModel(name: "CNN (Conv+BN ×\(layers))", model: build(.trainingExport), reference: build(.reference), inputShapes: ["input": [2, 3, 16, 16]],
                              fold: ("bn\(layers / 2)", "conv\(layers / 2)", 0), dropout: "dropout\(layers / 2 | 1)")
    }

    /// Six Conv 3×3 + BatchNormalization + Relu layers (Dropout after every second one) whose last feature
    /// map is the output, as a segmentation or detection backbone gives it: 16 × 48 × 48 = 36,864 values
    /// per sample, so the default check (`SampleRule.automatic`) evaluates one sample of it.
    public static func denseCNN(layers: Int = 6, width: Int64 = 16, size: Int64 = 48, seed: UInt64 = 5) -> SyntheticModel {
        let build = { (form: GraphRecipe.Form) -> Model in
            var r = GraphRecipe(seed: seed, form: form)
            var x = convolutions(&r, layers: layers, width: width, lastIsOutput: true)
            x = r.node("Identity", "features", [x], outputs: ["features"])
            return r.model(name: "dense_cnn", inputs: [GraphRecipe.float("input", [1, 3, size, size])],
                           outputs: [GraphRecipe.float("features", [1, width, size, size])])
        }
        return SyntheticModel(name: "Dense CNN (Conv+BN ×\(layers), feature-map output)", model: build(.trainingExport), reference: build(.reference),
                              inputShapes: ["input": [1, 3, Int(size), Int(size)]],
                              fold: ("bn\(layers / 2)", "conv\(layers / 2)", 0), dropout: "dropout\(layers / 2 | 1)")
    }

    /// Conv 3×3 + BatchNormalization + Relu layers from a 3-channel `input`, Dropout after every second
    /// one; where the last layer's output is the model's (`lastIsOutput`), it ends at its BatchNormalization.
    static func convolutions(_ r: inout GraphRecipe, layers: Int, width: Int64, lastIsOutput: Bool) -> String {
        var x = "input"
        var channels: Int64 = 3
        for i in 0..<layers {
            let fanIn = Double(channels * 9)
            let w = r.parameter("conv\(i).weight", [width, channels, 3, 3], -(3 / fanIn).squareRoot(), (3 / fanIn).squareRoot())
            let b = r.parameter("conv\(i).bias", [width], -0.1, 0.1)
            x = r.node("Conv", "conv\(i)", [x, w, b], [.init(name: "pads", value: .ints([1, 1, 1, 1])),
                                                       .init(name: "kernel_shape", value: .ints([3, 3]))])
            x = r.batchNorm("bn\(i)", x, channels: width, folding: (w, b, 0))
            channels = width
            if lastIsOutput && i == layers - 1 { break }
            x = r.node("Relu", "relu\(i)", [x])
            if i % 2 == 1 { x = r.dropout("dropout\(i)", x, ratio: 0.1) }
        }
        return x
    }

    /// Four MatMul + Add + BatchNormalization + Relu + Dropout layers and a MatMul head.
    public static func mlp(layers: Int = 4, width: Int64 = 128, seed: UInt64 = 2) -> SyntheticModel {
        let build = { (form: GraphRecipe.Form) -> Model in
            var r = GraphRecipe(seed: seed, form: form)
            var x = "input"
            var features: Int64 = 32
            for i in 0..<layers {
                let limit = (3 / Double(features)).squareRoot()
                let w = r.parameter("fc\(i).weight", [features, width], -limit, limit)
                let b = r.parameter("fc\(i).bias", [width], -0.1, 0.1)
                x = r.node("MatMul", "fc\(i)", [x, w])
                x = r.node("Add", "fc\(i).add", [x, b])
                x = r.batchNorm("bn\(i)", x, channels: width, folding: (w, b, 1))
                x = r.node("Relu", "relu\(i)", [x])
                x = r.dropout("dropout\(i)", x, ratio: 0.2)
                features = width
            }
            let hw = r.parameter("head.weight", [width, 8], -0.3, 0.3)
            r.node("MatMul", "head", [x, hw], outputs: ["output"])
            return r.model(name: "mlp", inputs: [GraphRecipe.float("input", [4, 32])], outputs: [GraphRecipe.float("output", [4, 8])])
        }
        return SyntheticModel(name: "MLP (MatMul+Add+BN ×\(layers))", model: build(.trainingExport), reference: build(.reference), inputShapes: ["input": [4, 32]],
                              fold: ("bn\(layers / 2)", "fc\(layers / 2)", 1), dropout: "dropout\(layers / 2)")
    }

    /// Two transformer encoder blocks (single-head attention with Dropout on the probabilities, layer
    /// normalization, a feed-forward part with BatchNormalization over the flattened tokens as in
    /// LeViT-style models, Dropout on the residual branches).
    public static func transformer(blocks: Int = 2, tokens: Int64 = 16, dim: Int64 = 32, seed: UInt64 = 3) -> SyntheticModel {
        let batch: Int64 = 2
        let build = { (form: GraphRecipe.Form) -> Model in
            var r = GraphRecipe(seed: seed, form: form)
            let flat = r.int64s("shape.flat", [batch * tokens, dim])
            let seq = r.int64s("shape.seq", [batch, tokens, dim])
            let scale = r.constant("attention.scale", [], [1 / Double(dim).squareRoot()])
            var x = "input"
            let limit = (3 / Double(dim)).squareRoot()
            for i in 0..<blocks {
                let p = "block\(i)"
                let g = r.parameter("\(p).ln1.weight", [dim], 0.8, 1.2), bb = r.parameter("\(p).ln1.bias", [dim], -0.1, 0.1)
                let n = r.node("LayerNormalization", "\(p).ln1", [x, g, bb], [.init(name: "axis", value: .int(-1))])
                var qkv: [String] = []
                for m in ["q", "k", "v"] {
                    let w = r.parameter("\(p).\(m).weight", [dim, dim], -limit, limit)
                    qkv.append(r.node("MatMul", "\(p).\(m)", [n, w]))
                }
                let kt = r.node("Transpose", "\(p).kt", [qkv[1]], [.init(name: "perm", value: .ints([0, 2, 1]))])
                var s = r.node("MatMul", "\(p).scores", [qkv[0], kt])
                s = r.node("Mul", "\(p).scaled", [s, scale])
                s = r.node("Softmax", "\(p).softmax", [s], [.init(name: "axis", value: .int(-1))])
                s = r.dropout("\(p).attention_dropout", s, ratio: 0.1)
                var a = r.node("MatMul", "\(p).context", [s, qkv[2]])
                let ow = r.parameter("\(p).out.weight", [dim, dim], -limit, limit)
                a = r.node("MatMul", "\(p).out", [a, ow])
                a = r.dropout("\(p).residual_dropout1", a, ratio: 0.1)
                x = r.node("Add", "\(p).residual1", [x, a])
                // Feed-forward on the flattened tokens: MatMul + Add + BatchNormalization (folds) + Relu.
                var f = r.node("Reshape", "\(p).flatten", [x, flat])
                let w1 = r.parameter("\(p).ffn1.weight", [dim, 2 * dim], -limit, limit), b1 = r.parameter("\(p).ffn1.bias", [2 * dim], -0.1, 0.1)
                f = r.node("MatMul", "\(p).ffn1", [f, w1])
                f = r.node("Add", "\(p).ffn1.add", [f, b1])
                f = r.batchNorm("\(p).ffn_bn", f, channels: 2 * dim, folding: (w1, b1, 1))
                f = r.node("Relu", "\(p).ffn_relu", [f])
                let w2 = r.parameter("\(p).ffn2.weight", [2 * dim, dim], -limit / 2, limit / 2), b2 = r.parameter("\(p).ffn2.bias", [dim], -0.1, 0.1)
                f = r.node("MatMul", "\(p).ffn2", [f, w2])
                f = r.node("Add", "\(p).ffn2.add", [f, b2])
                f = r.node("Reshape", "\(p).unflatten", [f, seq])
                f = r.dropout("\(p).residual_dropout2", f, ratio: 0.1)
                x = r.node("Add", "\(p).residual2", [x, f], outputs: i == blocks - 1 ? ["output"] : nil)
            }
            return r.model(name: "transformer", inputs: [GraphRecipe.float("input", [batch, tokens, dim])],
                           outputs: [GraphRecipe.float("output", [batch, tokens, dim])])
        }
        return SyntheticModel(name: "Transformer (2 blocks, BN in FFN)", model: build(.trainingExport), reference: build(.reference), inputShapes: ["input": [Int(batch), Int(tokens), Int(dim)]],
                              fold: ("block\(blocks - 1).ffn_bn", "block\(blocks - 1).ffn1", 1), dropout: "block0.attention_dropout")
    }

    /// Two stacked LSTM layers over a sequence (Dropout between them and on the last hidden state, as
    /// nn.LSTM(dropout:) and a classifier's Dropout give), then MatMul + Add + BatchNormalization + Relu and
    /// a MatMul head on the last hidden state.
    public static func recurrent(steps: Int64 = 8, features: Int64 = 16, hidden: Int64 = 32, seed: UInt64 = 4) -> SyntheticModel {
        let batch: Int64 = 2
        let build = { (form: GraphRecipe.Form) -> Model in
            var r = GraphRecipe(seed: seed, form: form)
            let direction = r.int64s("axes.direction", [1])
            let first = r.int64s("axes.first", [0])
            // [batch, steps, features] → [steps, batch, features], the LSTM's default layout.
            var x = r.node("Transpose", "to_time_major", ["input"], [.init(name: "perm", value: .ints([1, 0, 2]))])
            var size = features
            var last = ""
            for i in 0..<2 {
                let limit = 1 / Double(hidden).squareRoot()
                let w = r.parameter("lstm\(i).W", [1, 4 * hidden, size], -limit, limit)
                let u = r.parameter("lstm\(i).R", [1, 4 * hidden, hidden], -limit, limit)
                let b = r.parameter("lstm\(i).B", [1, 8 * hidden], -limit, limit)
                let y = r.node("LSTM", "lstm\(i)", [x, w, u, b], outputs: ["lstm\(i).Y", "lstm\(i).Y_h", "lstm\(i).Y_c"],
                               [.init(name: "hidden_size", value: .int(hidden))])
                if i == 0 {
                    x = r.node("Squeeze", "lstm0.squeeze", [y, direction])   // [steps, 1, batch, hidden] → [steps, batch, hidden]
                    x = r.dropout("lstm0.dropout", x, ratio: 0.2)
                    size = hidden
                } else {
                    last = r.node("Squeeze", "lstm1.last", ["lstm1.Y_h", first])   // [1, batch, hidden] → [batch, hidden]
                }
            }
            last = r.dropout("hidden.dropout", last, ratio: 0.1)
            let limit = (3 / Double(hidden)).squareRoot()
            let w = r.parameter("fc.weight", [hidden, 64], -limit, limit)
            let b = r.parameter("fc.bias", [64], -0.1, 0.1)
            var f = r.node("MatMul", "fc", [last, w])
            f = r.node("Add", "fc.add", [f, b])
            f = r.batchNorm("fc_bn", f, channels: 64, folding: (w, b, 1))
            f = r.node("Relu", "fc_relu", [f])
            let hw = r.parameter("head.weight", [64, 5], -0.3, 0.3)
            r.node("MatMul", "head", [f, hw], outputs: ["output"])
            return r.model(name: "recurrent", inputs: [GraphRecipe.float("input", [batch, steps, features])],
                           outputs: [GraphRecipe.float("output", [batch, 5])])
        }
        return SyntheticModel(name: "Recurrent (LSTM ×2, BN in head)", model: build(.trainingExport), reference: build(.reference),
                              inputShapes: ["input": [Int(batch), Int(steps), Int(features)]],
                              fold: ("fc_bn", "fc", 1), dropout: "lstm0.dropout")
    }
}
