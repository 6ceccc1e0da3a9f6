import FreezerIR
import FreezerInspect

/// A few-lines way to build a test model: declare inputs, constants and nodes by name.
struct GraphBuilder {
    var name = "test"
    var inputs: [ValueInfo] = []
    var outputs: [ValueInfo] = []
    var initializers: [Tensor] = []
    var nodes: [NodeSpec] = []

    /// A float32 graph input (or of `type`).
    mutating func input(_ name: String, _ dims: [Int64] = [1, 4], type: ElementType = .float) {
        inputs.append(ValueInfo(name: name, type: ValueType(tensor: TensorType(elementType: type, shape: dims.map { .value($0) }))))
    }

    mutating func output(_ name: String) { outputs.append(ValueInfo(name: name, type: nil)) }

    /// An initializer holding `values` (float32 unless `type` says otherwise).
    mutating func constant(_ name: String, _ values: [Double], dims: [Int64]? = nil, type: ElementType = .float) {
        initializers.append(Tensor.make(name: name, type: type, dims: dims ?? (values.count == 1 ? [] : [Int64(values.count)]), values: values))
    }

    /// A node; its name defaults to its first output.
    mutating func node(_ opType: String, _ ins: [String], _ outs: [String], name: String? = nil, domain: String = "",
                       _ attributes: [Attribute] = []) {
        nodes.append(NodeSpec(name: name ?? outs.first ?? opType, opType: opType, domain: domain, inputs: ins,
                              outputs: outs, attributes: attributes))
    }

    var graph: Graph {
        Graph(name: name, inputs: inputs, outputs: outputs, initializers: initializers, nodes: nodes)
    }

    func model(opset: Int64 = 15, extra: [OpsetImport] = []) -> Model {
        Model(irVersion: 8, opsetImports: [OpsetImport(domain: "", version: opset)] + extra, graph: graph)
    }

    func report(opset: Int64 = 15, extra: [OpsetImport] = []) -> InspectReport {
        Inspector.inspect(model(opset: opset, extra: extra), source: nil)
    }
}

extension Attribute {
    static func int(_ name: String, _ v: Int64) -> Attribute { Attribute(name: name, value: .int(v)) }
    static func float(_ name: String, _ v: Float) -> Attribute { Attribute(name: name, value: .float(v)) }
    static func string(_ name: String, _ v: String) -> Attribute { Attribute(name: name, value: .string(Array(v.utf8))) }
    static func tensor(_ name: String, _ t: Tensor) -> Attribute { Attribute(name: name, value: .tensor(t)) }
}

/// Conv → BatchNormalization, the usual prefix of the fold tests; BN reads `x` and writes `y`.
extension GraphBuilder {
    mutating func batchNorm(_ x: String, _ y: String, name: String = "bn", extraOutputs: [String] = [],
                            _ attributes: [Attribute] = []) {
        for p in ["scale", "bias", "mean", "var"] where !initializers.contains(where: { $0.name == "\(name)_\(p)" }) {
            constant("\(name)_\(p)", [1, 1, 1, 1])
        }
        node("BatchNormalization", [x, "\(name)_scale", "\(name)_bias", "\(name)_mean", "\(name)_var"], [y] + extraOutputs,
             name: name, attributes)
    }
}
