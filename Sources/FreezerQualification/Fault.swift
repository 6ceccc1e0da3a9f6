import FreezerIR

/// A fault a wrong conversion could make, injected into a correct frozen model to show that the
/// equivalence check detects it.
public enum Fault: String, Sendable, CaseIterable, Codable {
    case channelScaled
    case epsilonChanged
    case biasDropped
    case varianceForStandardDeviation
    case dropoutScaleKept
    case weightRoundedToHalf
    case channelsSwapped

    public var description: String {
        switch self {
        case .channelScaled: "one output channel of one folded weight scaled by (1 + 1e-3)"
        case .epsilonChanged: "BatchNormalization ε 1e-5 → 1e-3 in one fold"
        case .biasDropped: "the folded bias of one fold dropped"
        case .varianceForStandardDeviation: "one fold divides by the variance where the standard deviation belongs"
        case .dropoutScaleKept: "Dropout's 1/(1−p) scale applied at inference"
        case .weightRoundedToHalf: "one folded weight rounded to float16 precision"
        case .channelsSwapped: "two output channels of one fold swapped (weight and bias)"
        }
    }
}

/// Why a fault could not be injected (the subject model lacks what the fault changes): a bug of the
/// suite, reported as such.
public struct FaultInjectionError: Error, CustomStringConvertible {
    public var description: String
}

extension Fault {
    /// `frozen` with the fault injected at `subject`'s fold (or Dropout). `original` supplies the
    /// BatchNormalization's parameters for the faults of the fold formula.
    func inject(into frozen: Model, original: Model, subject: SyntheticModel) throws(FaultInjectionError) -> Model {
        var model = frozen
        if self == .dropoutScaleKept {
            try Self.scaleDropoutInput(&model.graph, original: original.graph, dropout: subject.dropout)
            return model
        }
        let fold = try FoldSite(frozen.graph, linear: subject.fold.linear, channelAxis: subject.fold.channelAxis)
        var w = fold.weight, b = fold.bias
        switch self {
        case .channelScaled:
            fold.forEach(channel: 1) { w[$0] *= 1 + 1e-3 }
        case .epsilonChanged, .varianceForStandardDeviation:
            let bn = try BatchNormParameters(original.graph, name: subject.fold.batchNorm)
            for c in 0..<fold.channels {
                let std = (bn.variance[c] + bn.epsilon).squareRoot()
                // W' and b' − B carry the factor a = γ/√(var + ε); the fault replaces it by a wrong one.
                let r = self == .epsilonChanged ? std / (bn.variance[c] + 1e-3).squareRoot() : 1 / std
                fold.forEach(channel: c) { w[$0] *= r }
                b[c] = (b[c] - bn.shift[c]) * r + bn.shift[c]
            }
        case .biasDropped:
            b = [Double](repeating: 0, count: b.count)
        case .weightRoundedToHalf:
            w = w.map { Double(HalfPrecision.float(fromHalf: HalfPrecision.half(fromDouble: $0))) }
        case .channelsSwapped:
            var first: [Int] = [], second: [Int] = []
            fold.forEach(channel: 0) { first.append($0) }
            fold.forEach(channel: 1) { second.append($0) }
            for (i, j) in zip(first, second) { w.swapAt(i, j) }
            b.swapAt(0, 1)
        case .dropoutScaleKept:
            break
        }
        try fold.store(weight: w, bias: b, in: &model.graph)
        return model
    }

    /// Multiplies the value a removed Dropout read by 1/(1−p) for every reader, as a pass that kept the
    /// training scale would.
    static func scaleDropoutInput(_ graph: inout Graph, original: Graph, dropout: String) throws(FaultInjectionError) {
        guard let node = original.nodes.first(where: { $0.name == dropout }), let input = node.inputs.first ?? nil,
              let ratioID = node.inputs.count > 1 ? node.inputs[1] : nil, let p = original.constantScalar(ratioID) else {
            throw FaultInjectionError(description: "the verified learning model has no Dropout '\(dropout)' with a constant ratio")
        }
        let name = original.value(input).name
        guard let x = graph.value(named: name) else { throw FaultInjectionError(description: "the frozen model has no value '\(name)'") }
        let readers = graph.value(x).uses
        let scale = graph.addInitializer(.make(name: graph.uniqueName("fault.dropout_scale"), type: .float, dims: [], values: [1 / (1 - p)]))
        let mul = graph.addNode(opType: "Mul", opsetVersion: 17, name: "fault.dropout_scale", inputs: [x, scale],
                                outputNames: [name + "_scaled"], after: graph.value(x).producingNode)
        let scaled = graph.node(mul).outputs[0]!
        for use in readers { if let slot = use.input { graph.setInput(use.node, slot, to: scaled) } }
    }
}

/// The folded weight and bias of one linear node of a frozen model.
struct FoldSite {
    let weightID: ValueID
    let biasID: ValueID
    let weight: [Double]
    let bias: [Double]
    let dims: [Int64]
    let biasDims: [Int64]
    let channels: Int
    /// Elements between consecutive entries of the channel axis.
    let stride: Int

    init(_ graph: Graph, linear: String, channelAxis: Int) throws(FaultInjectionError) {
        guard let node = graph.nodes.first(where: { $0.name == linear }), node.inputs.count > 1, let w = node.inputs[1],
              let weightTensor = graph.initializer(w) else {
            throw FaultInjectionError(description: "the frozen model has no node '\(linear)' with a constant weight")
        }
        // Conv and Gemm carry the bias themselves; a folded MatMul's is the constant of the Add that reads it.
        var biasID: ValueID?
        if node.inputs.count > 2 { biasID = node.inputs[2] }
        if node.opType == "MatMul", let out = node.outputs[0] {
            for reader in graph.consumers(of: out) where graph.node(reader).opType == "Add" {
                biasID = graph.node(reader).inputs.compactMap { $0 }.first { $0 != out && graph.initializer($0) != nil }
            }
        }
        guard let biasID, let biasTensor = graph.initializer(biasID) else {
            throw FaultInjectionError(description: "the fold at '\(linear)' has no constant bias")
        }
        do {
            weight = try weightTensor.doubles()
            bias = try biasTensor.doubles()
        } catch {
            throw FaultInjectionError(description: "the fold at '\(linear)' has unreadable constants: \(error)")
        }
        weightID = w
        self.biasID = biasID
        dims = weightTensor.dims
        biasDims = biasTensor.dims
        channels = Int(dims[channelAxis])
        stride = Int(dims[(channelAxis + 1)...].reduce(1, *))
    }

    /// The output channel of the weight element at flat index `i`.
    func channel(of i: Int) -> Int { (i / stride) % channels }

    /// Calls `body` with the flat index of every weight element of output channel `c`.
    func forEach(channel c: Int, _ body: (Int) -> Void) {
        for i in weight.indices where channel(of: i) == c { body(i) }
    }

    func store(weight: [Double], bias: [Double], in graph: inout Graph) throws(FaultInjectionError) {
        do {
            try graph.setInitializer(weightID, .make(name: graph.value(weightID).name, type: .float, dims: dims, values: weight))
            try graph.setInitializer(biasID, .make(name: graph.value(biasID).name, type: .float, dims: biasDims, values: bias))
        } catch {
            throw FaultInjectionError(description: "cannot store the faulty fold: \(error)")
        }
    }
}

/// The BatchNormalization parameters of the verified learning model that the fold faults recompute with.
struct BatchNormParameters {
    let scale: [Double]
    /// B, the shift the fold adds after scaling.
    let shift: [Double]
    let mean: [Double]
    let variance: [Double]
    let epsilon: Double

    init(scale: [Double], shift: [Double], mean: [Double], variance: [Double], epsilon: Double) {
        (self.scale, self.shift, self.mean, self.variance, self.epsilon) = (scale, shift, mean, variance, epsilon)
    }

    init(_ graph: Graph, name: String) throws(FaultInjectionError) {
        guard let node = graph.nodes.first(where: { $0.name == name }), node.inputs.count == 5 else {
            throw FaultInjectionError(description: "the verified learning model has no BatchNormalization '\(name)' with five inputs")
        }
        let values = node.inputs.dropFirst().compactMap { id in id.flatMap { try? graph.initializer($0)?.doubles() } }
        guard values.count == 4 else {
            throw FaultInjectionError(description: "the BatchNormalization '\(name)' has parameters that are not constants")
        }
        (scale, shift, mean, variance) = (values[0], values[1], values[2], values[3])
        epsilon = Double(node.attribute("epsilon")?.floatValue ?? 1e-5)
    }
}
