import FreezerIR
import FreezerInspect

/// Removes everything the inference outputs do not need: loss, regularization, gradient, clipping,
/// optimizer and learning-rate computations, and the inputs only they read (labels, switches).
public struct RemoveTrainingComputations: Pass {
    public static let name = "RemoveTrainingComputations"
    public static let documentation = PassDocumentation(
        id: "PASS-REMOVE-TRAINING",
        summary: "Remove every node the inference outputs do not depend on, classifying each into the log's categories; remove runtime inputs nothing reads any more.",
        before: "inference path + loss + regularization + Gradient + clipping + learning-rate schedule + optimizer",
        after: "inference path only",
        conditions: [
            "Reachability runs backwards from the graph outputs (after SelectInferenceOutputs) and through subgraph captures.",
            "Inside subgraphs, everything the subgraph's outputs need is kept.",
            "Each removed node is classified by what inspect found about it (optimizer, clipping, schedule, regularization, loss), else by what it fed.",
        ],
        formula: nil)

    public init() {}

    public func run(on model: inout Model, context: inout PassContext) throws(PassError) {
        var categories: [String: FindingCategory] = [:]
        for f in Inspector.inspect(model).findings {
            if let node = f.node { categories["\(f.graphPath)|\(node)"] = categories["\(f.graphPath)|\(node)"] ?? f.category }
        }
        try model.rewriteGraphs { (graph, path) throws(PassError) in
            let needed = Self.neededNodes(graph)
            let order = (try? graph.topologicalOrder()) ?? graph.nodeOrder
            let dead = order.filter { !needed.contains($0) }
            // Classify from the consumers' side: a node feeding only schedule nodes is part of the schedule.
            var assigned: [NodeID: FindingCategory] = [:]
            for id in dead.reversed() {
                let node = graph.node(id)
                if let c = categories["\(path)|\(graph.displayName(id))"] { assigned[id] = c; continue }
                if SelectInferenceOutputs.lossOps.contains(node.opType) { assigned[id] = .loss; continue }
                if SelectInferenceOutputs.isTrainingOperator(node) { assigned[id] = .gradientAndOptimizer; continue }
                let fed = node.outputs.compactMap { $0 }.flatMap { graph.consumers(of: $0) }.compactMap { assigned[$0] }
                assigned[id] = fed.first ?? .loss
            }
            var removed: [FindingCategory: [String]] = [:]
            for id in dead.reversed() {
                let name = graph.displayName(id)
                let op = graph.node(id).qualifiedOpType
                for slot in graph.node(id).outputs.indices.reversed() { try? graph.dropOutput(id, slot) }
                do { try graph.removeNode(id) } catch {
                    throw PassError(pass: Self.name, "internal: cannot remove dead node '\(name)': \(error)")
                }
                removed[assigned[id]!, default: []].append("\(name) (\(op))")
            }
            for (category, nodes) in removed.sorted(by: { $0.key < $1.key }) {
                context.record(category, graph: path, nodes: nodes.reversed().map { String($0.prefix(while: { $0 != " " })) },
                               action: "removed", detail: "\(nodes.count) node\(nodes.count == 1 ? "" : "s") not needed by the inference outputs: \(nodes.reversed().prefix(12).joined(separator: ", "))\(nodes.count > 12 ? ", …" : "")")
            }
            guard path == "main" else { return }
            for id in graph.runtimeInputs where !graph.isUsed(id) {
                let name = graph.value(id).name
                do { try graph.removeInput(id) } catch { continue }
                context.record(.loss, graph: path, nodes: [name], action: "input removed",
                               detail: "graph input '\(name)' is read by no inference computation (a label, switch or training buffer)")
            }
        }
    }

    static func neededNodes(_ graph: Graph) -> Set<NodeID> {
        var needed = Set<NodeID>()
        var stack = graph.outputs
        var seen = Set(stack)
        while let v = stack.popLast() {
            guard let n = graph.value(v).producingNode, needed.insert(n).inserted else { continue }
            let node = graph.node(n)
            for input in node.inputs.compactMap({ $0 }) + node.captures where seen.insert(input).inserted { stack.append(input) }
        }
        return needed
    }
}
