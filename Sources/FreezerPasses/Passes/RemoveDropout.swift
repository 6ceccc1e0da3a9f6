import FreezerIR
import FreezerInspect

/// Removes every Dropout node, whatever its opset and training mode.
///
/// At inference Dropout is the identity, so the frozen model reads Dropout's input directly.
public struct RemoveDropout: Pass {
    public static let name = "RemoveDropout"
    public static let documentation = PassDocumentation(
        id: "PASS-REMOVE-DROPOUT",
        summary: "Remove Dropout (opsets 1, 6, 7, 10, 12, 13, 22), whatever its training mode.",
        before: "X → Dropout(ratio, training_mode) → Y [, mask]",
        after: "X → Y (readers of Y read X). A used mask becomes ConstantOfShape(Shape(X), true): an all-true tensor of X's runtime shape. When Y is a graph output its name is kept (X is renamed to it, or an Identity carries it).",
        conditions: [
            "Applies to every Dropout in the default domain, in the main graph and in every subgraph.",
            "A used mask needs ConstantOfShape (opset ≥ 9); in older models with a used mask and a static input shape, the mask becomes a constant initializer; otherwise the Dropout is kept in inference form (is_test = 1) and the skip says why.",
        ],
        formula: "Y = X; mask = 1 (every element true)",
        limits: [
            PassLimit("A Dropout whose mask is read, in a model below opset 9 whose input shape is not static", exitCode: nil),
        ])

    public init() {}

    public func run(on model: inout Model, context: inout PassContext) throws(PassError) {
        let opset = model.opsetVersion(for: "") ?? 1
        try model.rewriteGraphs { (graph, path) throws(PassError) in
            for node in graph.nodes where node.isOnnx("Dropout") {
                try remove(node.id, in: &graph, path: path, opset: opset, context: &context)
            }
        }
    }

    /// How the node's training mode was set, for the record (the rule is `DropoutSemantics`).
    static func trainingMode(_ node: Node, in graph: Graph) -> String {
        switch DropoutSemantics.trainingMode(of: node, in: graph) {
        case .training(.isTest(let v)): "training (is_test = \(v))"
        case .inference(.isTest(let v)): "inference (is_test = \(v))"
        case .inference(.noSwitch), .training(.noSwitch): "inference (no training mode before opset 12)"
        case .inference(.trainingModeAbsent), .training(.trainingModeAbsent): "inference (training_mode absent)"
        case .training(.trainingModeConstant): "training (training_mode constant true)"
        case .inference(.trainingModeConstant): "inference (training_mode constant false)"
        case .runtimeInput(let flag): "driven by graph input '\(graph.value(flag).name)'"
        case .unknown(let flag, let producer): "computed at run time by '\(producer ?? graph.value(flag).name)'"
        }
    }

    private func remove(_ id: NodeID, in graph: inout Graph, path: String, opset: Int64, context: inout PassContext) throws(PassError) {
        let node = graph.node(id)
        let name = graph.displayName(id)
        guard let x = node.inputs.first ?? nil, let y = node.outputs.first ?? nil else {
            context.skip(.dropout, graph: path, node: name, reason: "Dropout without an input or output; left for the validator to report")
            return
        }
        let mode = Self.trainingMode(node, in: graph)
        var detail = "training mode: \(mode)"
        if let ratio = node.attribute("ratio")?.floatValue { detail += "; ratio \(ratio)" }
        else if node.inputs.count > 1, let r = node.inputs[1], let v = graph.constantScalar(r) { detail += "; ratio \(v)" }

        if node.outputs.count > 1, let mask = node.outputs[1], graph.isUsed(mask) {
            guard replaceMask(mask, of: node, in: &graph, opset: opset) else {
                keepInInferenceForm(id, in: &graph)
                context.skip(.dropout, graph: path, node: name,
                             reason: "its mask output '\(graph.value(mask).name)' is read and the model's opset \(opset) has no ConstantOfShape to build an all-true mask of a dynamic shape; kept as Dropout in inference form")
                return
            }
            detail += "; mask '\(graph.value(mask).name)' replaced by an all-true tensor of the input's shape"
        }
        do {
            try bypass(node: id, input: x, output: y, in: &graph)
        } catch {
            throw PassError(pass: Self.name, "cannot remove Dropout '\(name)': \(error)")
        }
        context.record(.dropout, graph: path, nodes: [name], action: "removed", detail: detail)
    }

    /// Makes readers of the mask read an all-true tensor of X's runtime shape. False when impossible.
    private func replaceMask(_ mask: ValueID, of node: Node, in graph: inout Graph, opset: Int64) -> Bool {
        let x = node.inputs[0]!
        let version = node.opsetVersion ?? opset
        // Before opset 10 the mask has the input's element type; from 10 on it is bool.
        let maskType: ElementType = version >= 10 ? .bool : (graph.value(x).type?.tensor?.elementType ?? .float)
        let one = Tensor.make(name: "", type: maskType, dims: [1], values: [1])
        let replacement: ValueID
        if opset >= 9 {
            // Unnamed, they are named after their outputs (addNode).
            let shape = graph.addNode(opType: "Shape", opsetVersion: opset, name: node.name.isEmpty ? "" : "\(node.name)_mask_shape",
                                      inputs: [x], outputNames: ["\(graph.value(mask).name)_shape"], after: node.id)
            let fill = graph.addNode(opType: "ConstantOfShape", opsetVersion: opset, name: node.name.isEmpty ? "" : "\(node.name)_mask",
                                     inputs: [graph.node(shape).outputs[0]], outputNames: ["\(graph.value(mask).name)_all_true"],
                                     attributes: [Attribute(name: "value", value: .tensor(one))], after: shape)
            replacement = graph.node(fill).outputs[0]!
        } else if let dims = graph.value(x).type?.tensor?.shape, dims.allSatisfy({ if case .value = $0 { true } else { false } }) {
            let fixed: [Int64] = dims.map { d -> Int64 in if case .value(let v) = d { v } else { 0 } }
            let n = fixed.reduce(Int64(1), *)
            replacement = graph.addInitializer(.make(name: "\(graph.value(mask).name)_all_true", type: maskType, dims: fixed,
                                                     values: [Double](repeating: 1, count: Int(n))))
        } else {
            return false
        }
        graph.replaceAllUses(of: mask, with: replacement)
        if graph.isGraphOutput(mask) {
            graph.replaceAllUses(of: mask, with: replacement, includingGraphOutputs: true)
            let name = graph.value(mask).name
            try? graph.dropOutput(node.id, 1)
            try? graph.renameValue(replacement, to: name)
        }
        return true
    }

    /// For old-opset Dropout that must stay: is_test = 1 makes it the identity.
    private func keepInInferenceForm(_ id: NodeID, in graph: inout Graph) {
        var attributes = graph.node(id).attributes.filter { $0.name != "is_test" }
        if (graph.node(id).opsetVersion ?? 1) <= 6 { attributes.append(Attribute(name: "is_test", value: .int(1))) }
        graph.setAttributes(id, attributes)
    }
}

/// Removing a node whose first output equals its first input at inference (Dropout, Identity).
func bypass(node id: NodeID, input x: ValueID, output y: ValueID, in graph: inout Graph) throws(GraphError) {
    let keepName = graph.isGraphOutput(y)
    graph.replaceAllUses(of: y, with: x)
    let xIsExposed = graph.value(x).producer == .graphInput || graph.value(x).producer == .initializer
        || graph.value(x).producer == .outerScope || graph.isGraphOutput(x)
    if keepName && xIsExposed {
        // X keeps its own name (it is an input, a constant or another output): an Identity carries Y's name.
        try graph.removeDanglingOutputs(of: id)
        graph.setInput(id, 0, to: x)
        graph.truncateInputs(id, to: 1)
        graph.updateNode(id) { header in
            header.opType = "Identity"
            header.domain = ""
        }
        graph.setAttributes(id, [])
        return
    }
    if keepName {
        // Y is a graph output: X takes over Y's name and declaration, so the output keeps its name.
        let yName = graph.value(y).name
        graph.replaceAllUses(of: y, with: x, includingGraphOutputs: true)
        graph.copyDeclaration(from: y, to: x)
        try graph.removeDanglingOutputs(of: id)
        for slot in graph.node(id).outputs.indices.reversed() { try? graph.dropOutput(id, slot) }
        try graph.removeNode(id)
        try graph.renameValue(x, to: yName)
        return
    }
    for slot in graph.node(id).outputs.indices.reversed() { try graph.dropOutput(id, slot) }
    try graph.removeNode(id)
}

extension Graph {
    /// Drops the outputs of a node from position 1 on that nothing reads.
    mutating func removeDanglingOutputs(of id: NodeID) throws(GraphError) {
        for slot in node(id).outputs.indices.reversed() where slot > 0 {
            if let v = node(id).outputs[slot], !isUsed(v) { try dropOutput(id, slot) }
        }
    }
}
