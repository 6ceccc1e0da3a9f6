/// Structural checks of a model, reported with the names a user can find in the file.
///
/// Run before anything is derived from a model and after every rewrite: a model that fails here is
/// refused, never "fixed" silently.
public enum Validator {
    /// - Parameter original: the model `model` was made from. Given, a node name that two nodes of one
    ///   graph bear is an issue unless `original` already repeated it (onnxruntime refuses such a graph;
    ///   a repeat freezer made is its own bug, a repeat the input has is the user's and stays).
    public static func validate(_ model: Model, derivedFrom original: Model? = nil) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        let context = Context(imported: Set(model.opsetImports.map { Domain.key($0.domain) }),
                              repeatedBefore: original.map(repeatedNodeNames(in:)))
        check(model.graph, path: "main", isMain: true, context, into: &issues)
        for (k, info) in model.trainingInfo.enumerated() {
            if let g = info.initialization { check(g, path: "training_info[\(k)].initialization", isMain: false, context, into: &issues) }
            if let g = info.algorithm { check(g, path: "training_info[\(k)].algorithm", isMain: false, context, into: &issues) }
        }
        return issues
    }

    private struct Context {
        var imported: Set<String>
        /// Node names some graph of the original repeats (nil: no original, names are not checked).
        var repeatedBefore: Set<String>?
    }

    /// Node names repeated within some graph of `model` (main, subgraphs, training_info).
    private static func repeatedNodeNames(in model: Model) -> Set<String> {
        let graphs = [model.graph] + model.trainingInfo.flatMap { [$0.initialization, $0.algorithm].compactMap { $0 } }
        return Set(graphs.flatMap { g in g.repeatedNodeNames + g.subgraphs().flatMap(\.graph.repeatedNodeNames) })
    }

    private static func check(_ graph: Graph, path: String, isMain: Bool, _ context: Context,
                              into issues: inout [ValidationIssue]) {
        let imported = context.imported
        for defect in graph.defects {
            let kind: ValidationIssue.Kind = switch defect {
            case .duplicateDefinition: .duplicateDefinition
            case .danglingInput: .danglingInput
            case .danglingOutput: .danglingOutput
            }
            issues.append(.init(kind: kind, graph: path, message: defect.description))
        }
        do { _ = try graph.topologicalOrder() } catch {
            issues.append(.init(kind: .cycle, graph: path, message: error.description))
        }
        var missingDomains: [String: [String]] = [:]
        for node in graph.nodes {
            let domain = Domain.key(node.domain)
            if !imported.contains(domain) { missingDomains[node.domainName, default: []].append(graph.displayName(node.id)) }
            for attribute in node.attributes {
                if let t = attribute.tensorValue { checkTensor(t, owner: "attribute '\(attribute.name)' of node '\(graph.displayName(node.id))'", path: path, into: &issues) }
                for (k, sub) in attribute.subgraphs.enumerated() {
                    let label = attribute.subgraphs.count > 1 ? "\(attribute.name)[\(k)]" : attribute.name
                    check(sub, path: "\(path)/\(graph.displayName(node.id)).\(label)", isMain: false, context, into: &issues)
                }
            }
        }
        for (domain, nodes) in missingDomains.sorted(by: { $0.key < $1.key }) {
            let shown = nodes.prefix(3).map { "'\($0)'" }.joined(separator: ", ") + (nodes.count > 3 ? " and \(nodes.count - 3) more" : "")
            issues.append(.init(kind: .missingOpsetImport, graph: path,
                                message: "domain '\(domain)' is used by node \(shown) but the model does not import an opset for it"))
        }
        if let before = context.repeatedBefore {
            for name in graph.repeatedNodeNames where !before.contains(name) {
                issues.append(.init(kind: .duplicateNodeName, graph: path,
                                    message: "two nodes are named '\(name)', which the input's nodes were not; onnxruntime refuses a graph whose node names repeat"))
            }
        }
        for (_, tensor) in graph.initializers {
            checkTensor(tensor, owner: "initializer", path: path, into: &issues)
        }
        if isMain {
            for id in graph.inputs where graph.value(id).type == nil {
                issues.append(.init(kind: .untypedGraphIO, graph: path,
                                    message: "graph input '\(graph.value(id).name)' has no type; ONNX requires types on the main graph's inputs"))
            }
            for id in graph.outputs where graph.value(id).type == nil {
                issues.append(.init(kind: .untypedGraphIO, graph: path,
                                    message: "graph output '\(graph.value(id).name)' has no type; ONNX requires types on the main graph's outputs"))
            }
        }
    }

    private static func checkTensor(_ t: Tensor, owner: String, path: String, into issues: inout [ValidationIssue]) {
        do { try t.checkSize() } catch {
            issues.append(.init(kind: .tensorSizeMismatch, graph: path, message: "\(owner): \(error.description)"))
        }
    }
}

/// One problem found by the `Validator`.
public struct ValidationIssue: Sendable, Equatable, CustomStringConvertible, Codable {
    public enum Kind: String, Sendable, Codable {
        case cycle, danglingInput, danglingOutput, duplicateDefinition, duplicateNodeName, missingOpsetImport, tensorSizeMismatch, untypedGraphIO
    }
    public var kind: Kind
    /// Which graph: `main`, a subgraph path such as `main/If_0.then_branch`, or a training_info graph.
    public var graph: String
    public var message: String

    public init(kind: Kind, graph: String, message: String) {
        self.kind = kind
        self.graph = graph
        self.message = message
    }

    public var description: String { graph == "main" ? message : "in \(graph): \(message)" }
}
