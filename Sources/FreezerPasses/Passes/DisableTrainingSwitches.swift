import FreezerIR
import FreezerInspect

/// Turns training switches fed by graph inputs (such as `is_training`) into a constant false.
public struct DisableTrainingSwitches: Pass {
    public static let name = "DisableTrainingSwitches"
    public static let documentation = PassDocumentation(
        id: "PASS-DISABLE-SWITCHES",
        summary: "Replace a graph input that switches Dropout's training mode (e.g. is_training) by a constant false.",
        before: "graph input is_training → Dropout(X, ratio, is_training)",
        after: "constant false → Dropout(X, ratio, false); the input is removed once nothing reads it",
        conditions: ["The input is a bool graph input without an initializer that feeds Dropout's training_mode input (opset 12+)."],
        formula: "is_training = false")

    public init() {}

    public func run(on model: inout Model, context: inout PassContext) throws(PassError) {
        var graph = model.graph
        var switches: [ValueID] = []
        for node in graph.nodes where node.opType == "Dropout" && node.inputs.count > 2 {
            if let flag = node.inputs[2], graph.value(flag).producer == .graphInput, graph.initializer(flag) == nil, !switches.contains(flag) {
                switches.append(flag)
            }
        }
        for flag in switches {
            let name = graph.value(flag).name
            let readers = graph.consumers(of: flag).map { graph.displayName($0) }
            let constant = graph.addInitializer(.make(name: "\(name)_frozen_false", type: .bool, dims: [], values: [0]))
            graph.replaceAllUses(of: flag, with: constant)
            if !graph.isGraphOutput(flag) { try? graph.removeInput(flag) }
            context.record(.dropout, graph: "main", nodes: readers, action: "training switch set to false",
                           detail: "graph input '\(name)' (read by \(readers.joined(separator: ", "))) replaced by the constant false and removed from the inputs")
        }
        model.graph = graph
    }
}
