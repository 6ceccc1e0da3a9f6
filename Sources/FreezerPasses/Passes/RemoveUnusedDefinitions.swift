import FreezerIR
import FreezerInspect

/// Removes what nothing uses any more: dead nodes, initializers, opset imports and functions.
public struct RemoveUnusedDefinitions: Pass {
    public static let name = "RemoveUnusedDefinitions"
    public static let documentation = PassDocumentation(
        id: "PASS-REMOVE-UNUSED",
        summary: "Remove dead nodes, unused initializers, unused opset imports (such as ai.onnx.preview.training) and unused model-local functions.",
        before: "initializers, nodes, opset imports and functions left over by earlier passes",
        after: "only what the inference outputs use",
        conditions: ["The default domain's opset import always stays."],
        formula: nil)

    public init() {}

    public func run(on model: inout Model, context: inout PassContext) throws(PassError) {
        try model.rewriteGraphs { (graph, path) throws(PassError) in
            let needed = RemoveTrainingComputations.neededNodes(graph)
            var dead: [String] = []
            for id in ((try? graph.topologicalOrder()) ?? graph.nodeOrder).reversed() where !needed.contains(id) {
                let name = graph.displayName(id)
                for slot in graph.node(id).outputs.indices.reversed() { try? graph.dropOutput(id, slot) }
                if (try? graph.removeNode(id)) != nil { dead.append(name) }
            }
            if !dead.isEmpty {
                context.record(.parameters, graph: path, nodes: dead, action: "removed", detail: "\(dead.count) node(s) whose outputs nothing reads")
            }
            var unused: [String] = []
            for (id, t) in graph.initializers where !graph.isUsed(id) && graph.value(id).producer == .initializer {
                if (try? graph.removeInitializer(id)) != nil { unused.append(t.name) }
            }
            if !unused.isEmpty {
                context.record(.parameters, graph: path, nodes: [], action: "initializers removed",
                               detail: "\(unused.count) unused: \(unused.prefix(20).joined(separator: ", "))\(unused.count > 20 ? ", …" : "")")
            }
        }
        var usedDomains: Set<String> = [""]
        func collect(_ g: Graph) {
            for node in g.nodes {
                usedDomains.insert(Domain.key(node.domain))
                for a in node.attributes { for sub in a.subgraphs { collect(sub) } }
            }
        }
        collect(model.graph)
        let usedFunctions = Set(Self.calledFunctions(model.graph))
        let functions = model.functions
        model.functions = functions.filter { usedFunctions.contains("\($0.domain)::\($0.name)") }
        for f in functions where !usedFunctions.contains("\(f.domain)::\(f.name)") {
            context.record(.parameters, graph: "model", nodes: [], action: "function removed", detail: "model-local function \(f.domain)::\(f.name) is not called")
        }
        for f in model.functions { for n in f.nodes { usedDomains.insert(Domain.key(n.domain)) } }
        let dropped = model.opsetImports.filter { !usedDomains.contains(Domain.key($0.domain)) }
        model.opsetImports.removeAll { !usedDomains.contains(Domain.key($0.domain)) }
        for o in dropped {
            context.record(o.domain == "ai.onnx.preview.training" ? .gradientAndOptimizer : .parameters, graph: "model", nodes: [],
                           action: "opset import removed", detail: "domain '\(o.domain)' version \(o.version) is no longer used")
        }
    }

    static func calledFunctions(_ g: Graph) -> [String] {
        g.nodes.flatMap { node in ["\(node.domain)::\(node.opType)"] + node.attributes.flatMap { $0.subgraphs.flatMap(calledFunctions) } }
    }
}
