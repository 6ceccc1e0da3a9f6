import FreezerIR
import FreezerVerify

/// Builds a model node by node, with seeded random parameters: the models of the qualification suite
/// are made by freezer's own code at run time, with no file and no Python.
struct GraphRecipe {
    /// What the recipe builds: the training export, or the frozen model a correct conversion of it is,
    /// made here with the suite's own fold formula and no pass (the reference of the fault injection).
    enum Form { case trainingExport, reference }

    private(set) var nodes: [NodeSpec] = []
    private(set) var initializers: [Tensor] = []
    /// Each parameter's values as stored (rounded to float32), for the reference fold.
    private var stored: [String: [Double]] = [:]
    private var generator: SeededGenerator
    let opset: Int64
    let form: Form

    init(seed: UInt64, opset: Int64 = 17, form: Form = .trainingExport) {
        generator = SeededGenerator(seed: seed)
        self.opset = opset
        self.form = form
    }

    /// Uniform values in [lo, hi).
    mutating func uniform(_ count: Int, _ lo: Double, _ hi: Double) -> [Double] {
        (0..<count).map { _ in lo + (hi - lo) * Double(generator.next() >> 11) * 0x1p-53 }
    }

    /// A float32 initializer of random values in [lo, hi); returns its name.
    @discardableResult
    mutating func parameter(_ name: String, _ dims: [Int64], _ lo: Double, _ hi: Double) -> String {
        let values = uniform(Int(dims.reduce(1, *)), lo, hi).map { Double(Float($0)) }
        initializers.append(.make(name: name, type: .float, dims: dims, values: values))
        stored[name] = values
        return name
    }

    mutating func constant(_ name: String, _ dims: [Int64], _ values: [Double], type: ElementType = .float) -> String {
        initializers.append(.make(name: name, type: type, dims: dims, values: values))
        return name
    }

    mutating func int64s(_ name: String, _ values: [Int64]) -> String {
        initializers.append(.makeInt64(name: name, dims: [Int64(values.count)], values: values))
        return name
    }

    /// Adds a node named `name` with one output named `name` (or `outputs`); returns the first output.
    @discardableResult
    mutating func node(_ op: String, _ name: String, _ inputs: [String], outputs: [String]? = nil, _ attributes: [Attribute] = []) -> String {
        let outs = outputs ?? [name + "_out"]
        nodes.append(NodeSpec(name: name, opType: op, opsetVersion: opset, inputs: inputs, outputs: outs, attributes: attributes))
        return outs[0]
    }

    /// BatchNormalization in training mode with non-default running statistics, as a training export has it;
    /// in the reference form, folded into `linear` (the weight and bias of the node computing `x`, and the
    /// weight's output-channel axis) by `FoldFormula`, with the same parameters.
    mutating func batchNorm(_ name: String, _ x: String, channels: Int64, folding linear: (weight: String, bias: String, channelAxis: Int)) -> String {
        let s = parameter("\(name).weight", [channels], 0.5, 1.5)
        let b = parameter("\(name).bias", [channels], -0.2, 0.2)
        let m = parameter("\(name).running_mean", [channels], -0.5, 0.5)
        let v = parameter("\(name).running_var", [channels], 0.5, 2)
        if form == .reference {
            let bn = BatchNormParameters(scale: stored[s] ?? [], shift: stored[b] ?? [], mean: stored[m] ?? [], variance: stored[v] ?? [], epsilon: Double(Float(1e-5)))
            initializers.removeAll { [s, b, m, v].contains($0.name) }
            guard let w = initializers.firstIndex(where: { $0.name == linear.weight }), let c = initializers.firstIndex(where: { $0.name == linear.bias }) else {
                preconditionFailure("the recipe folds '\(name)' into '\(linear.weight)' and '\(linear.bias)', which it did not make")
            }
            let dims = initializers[w].dims
            let stride = Int(dims[(linear.channelAxis + 1)...].reduce(1, *))
            let folded = FoldFormula.fold(weight: stored[linear.weight] ?? [], bias: stored[linear.bias] ?? [], bn: bn) { ($0 / stride) % Int(channels) }
            initializers[w] = .make(name: linear.weight, type: .float, dims: dims, values: folded.weight)
            initializers[c] = .make(name: linear.bias, type: .float, dims: initializers[c].dims, values: folded.bias)
            return x
        }
        return node("BatchNormalization", name, [x, s, b, m, v], [.init(name: "epsilon", value: .float(1e-5)),
                                                                  .init(name: "momentum", value: .float(0.9)),
                                                                  .init(name: "training_mode", value: .int(1))])
    }

    /// Dropout in training mode (ratio `p`, training_mode a constant true), as a training export has it.
    mutating func dropout(_ name: String, _ x: String, ratio p: Double) -> String {
        if form == .reference { return x }
        let r = constant("\(name).ratio", [], [p])
        let t = constant("\(name).training_mode", [], [1], type: .bool)
        return node("Dropout", name, [x, r, t])
    }

    func model(name: String, inputs: [ValueInfo], outputs: [ValueInfo]) -> Model {
        let graph = Graph(name: name, inputs: inputs, outputs: outputs, initializers: initializers, nodes: nodes)
        return Model(irVersion: 8, opsetImports: [.init(domain: "", version: opset)], producerName: "freezer qualification", graph: graph)
    }

    static func float(_ name: String, _ shape: [Int64]) -> ValueInfo {
        ValueInfo(name: name, type: ValueType(tensor: TensorType(elementType: .float, shape: shape.map { .value($0) })))
    }
}
