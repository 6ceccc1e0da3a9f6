import FreezerIR
import FreezerInspect

/// Removes Identity nodes, keeping graph output names.
public struct RemoveIdentities: Pass {
    public static let name = "RemoveIdentities"
    public static let documentation = PassDocumentation(
        id: "PASS-REMOVE-IDENTITIES",
        summary: "Remove Identity nodes and chains of them; a graph output keeps its name.",
        before: "X → Identity → Identity → Y",
        after: "X → Y (readers of Y read X)",
        conditions: ["An Identity whose input is a graph input or another output and whose output is a graph output stays: it carries the output's name."],
        formula: "Y = X")

    public init() {}

    public func run(on model: inout Model, context: inout PassContext) throws(PassError) {
        try model.rewriteGraphs { (graph, path) throws(PassError) in
            var removed: [String] = []
            // Each node is read afresh: bypassing one Identity of a chain rewires the next one's input.
            for id in graph.nodes.map(\.id) {
                let node = graph.node(id)
                guard node.isOnnx("Identity") else { continue }
                guard let x = node.inputs.first ?? nil, let y = node.outputs.first ?? nil else { continue }
                let exposed = graph.isGraphOutput(y) && (graph.value(x).producer == .graphInput || graph.value(x).producer == .initializer
                    || graph.value(x).producer == .outerScope || graph.isGraphOutput(x))
                if exposed { continue }
                let name = graph.displayName(node.id)
                do { try bypass(node: node.id, input: x, output: y, in: &graph) } catch {
                    throw PassError(pass: Self.name, "cannot remove Identity '\(name)': \(error)")
                }
                removed.append(name)
            }
            if !removed.isEmpty {
                context.record(.parameters, graph: path, nodes: removed, action: "removed",
                               detail: "\(removed.count) Identity node\(removed.count == 1 ? "" : "s") (clean-up)")
            }
        }
    }
}
