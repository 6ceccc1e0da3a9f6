import FreezerIR

/// Finds parameters that are graph inputs: initializers also listed as inputs (a caller may override
/// them at run time), and inputs read at a weight slot that have no initializer at all (the values
/// live elsewhere, e.g. in a training checkpoint).
///
/// Works over all graphs at once because a subgraph may read an outer graph's input at a weight slot.
/// Only model-level graphs (main, training_info) are considered: a subgraph's inputs are loop or branch
/// state, not parameters.
enum ParametersDetector {
    /// Inputs that hold parameters, by operator (default domain).
    static let weightSlots: [String: [Int: String]] = [
        "Conv": [1: "weight", 2: "bias"], "ConvTranspose": [1: "weight", 2: "bias"],
        "Gemm": [1: "weight", 2: "bias"], "MatMul": [1: "weight"],
        "BatchNormalization": [1: "scale", 2: "bias", 3: "mean", 4: "var"],
        "InstanceNormalization": [1: "scale", 2: "bias"], "LayerNormalization": [1: "scale", 2: "bias"],
        "GroupNormalization": [1: "scale", 2: "bias"], "PRelu": [1: "slope"],
        "LSTM": [1: "weight", 2: "recurrenceWeight", 3: "bias"], "GRU": [1: "weight", 2: "recurrenceWeight", 3: "bias"],
        "RNN": [1: "weight", 2: "recurrenceWeight", 3: "bias"],
        "RMSNormalization": [1: "scale"], "CausalConvWithState": [1: "weight", 2: "bias"],
        "DeformConv": [1: "weight", 3: "bias"], "ConvInteger": [1: "weight"], "MatMulInteger": [1: "weight"],
        "QLinearConv": [3: "weight", 8: "bias"], "QLinearMatMul": [3: "weight"],
        "DequantizeLinear": [0: "quantizedWeight"],
    ]

    static func findings(in scopes: [GraphScope]) -> [Finding] {
        let uses = weightUses(in: scopes)
        var result: [Finding] = []
        for scope in scopes where scope.isTopLevel {
            for input in scope.graph.inputs {
                let value = scope.graph.value(input)
                let tensorType = value.type?.tensor
                var facts = ParameterFacts(elementType: tensorType.map { "\($0.elementType)" },
                                           shape: tensorType?.shape?.map(\.description), elementCount: nil, weightUses: [])
                let finding: Finding
                if let tensor = scope.graph.initializer(input) {
                    facts.elementCount = tensor.elementCount
                    facts.weightUses = uses[scope.path]?[input] ?? []
                    finding = scope.finding(.parameters, .initializerAsInput, .runtimeInput, value: input,
                                            detail: "initializer also listed as a graph input: overridable at run time (\(tensor.elementType)[\(tensor.dims.map(String.init).joined(separator: ","))])")
                } else if let reads = uses[scope.path]?[input] {
                    facts.weightUses = reads
                    let first = reads[0]
                    let more = reads.count > 1 ? " and \(reads.count - 1) more" : ""
                    finding = scope.finding(.parameters, .parameterWithoutValue, .runtimeInput, value: input,
                                            detail: "graph input without initializer, read as \(first.role) of \(first.opType) '\(first.node)'\(more)")
                } else {
                    continue
                }
                var f = finding
                f.parameter = facts
                result.append(f)
            }
        }
        return result
    }

    /// Reads at weight slots of values defined in model-level graphs, keyed by defining graph and value.
    private static func weightUses(in scopes: [GraphScope]) -> [String: [ValueID: [WeightUse]]] {
        var uses: [String: [ValueID: [WeightUse]]] = [:]
        for scope in scopes {
            for node in scope.graph.nodes where node.isDefaultDomain {
                guard let slots = weightSlots[node.opType] else { continue }
                for (slot, role) in slots.sorted(by: { $0.key < $1.key }) {
                    guard let id = scope.input(node, slot) else { continue }
                    let resolved = scope.resolve(id)
                    guard resolved.scope.isTopLevel,
                          resolved.scope.graph.value(resolved.id).producer == .graphInput else { continue }
                    uses[resolved.scope.path, default: [:]][resolved.id, default: []].append(
                        WeightUse(node: scope.name(node), opType: node.opType, input: slot, role: role, graphPath: scope.path))
                }
            }
        }
        return uses
    }
}
