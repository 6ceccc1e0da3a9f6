import FreezerIR
import FreezerInspect

/// Removes random draws that are training-time regularizers: drop path, dropout masks written out of
/// random operators, DropBlock, Gaussian dropout and Gaussian noise.
///
/// The recognition (`StochasticRegularizers` in FreezerInspect) proves from the graph's structure that the
/// regularizer's inference output equals its input; this pass rewires the readers and removes its nodes.
/// A random draw it cannot prove is left in place: the conversion then refuses, naming the node and what
/// could not be proven.
public struct RemoveStochasticRegularizers: Pass {
    public static let name = "RemoveStochasticRegularizers"
    public static let documentation = PassDocumentation(
        id: "PASS-REMOVE-REGULARIZERS",
        summary: "Remove stochastic regularizers built from random operators (drop path / stochastic depth, dropout masks, DropBlock, Gaussian dropout, Gaussian noise), in the main graph and every subgraph.",
        before: "X → Mul(X, Div(Cast(Less(RandomUniformLike(T), keep)), keep)) → Y;  X → Add(X, Mul(RandomNormalLike(X), σ)) → Y;  X → Mul(X, DropBlock factor) → Y",
        after: "X → Y (readers of Y read X); the random nodes and the nodes computing the factor are removed. An If whose branches then both return the same outer values, and a Where(c, X, X) with a scalar condition, are replaced by those values.",
        conditions: [
            "The random node's draw is followed forward through Identity, Cast, comparisons with a constant, Not, Floor/Ceil, Neg, and Add/Sub/Mul/Div with a constant; each step's distribution is computed (uniform, normal, or two-valued with its probability).",
            "Multiplicative: the factor applied to the data (Mul, or Where(mask, X, 0)) has expectation exactly 1, to within 2⁻²¹ (a keep probability written twice in float32); a constant scale on the data side ((X / keep) · mask) joins the factor.",
            "Additive: the term added to the data has mean exactly 0.",
            "DropBlock (timm): a 0/1 seed mask grown by a stride-1 MaxPool that keeps its size (an even block: grows it by one, and Slices crop that element back), inverted (1 − ·), multiplied in and renormalized by numel / (ΣkeptMask + ε) where numel is the mask's element count, known before run time.",
            "Every value computed from the draw is read only inside the regularizer, and none is a graph output.",
            "Otherwise nothing is changed and the draw is recorded as unproven, with the node where the proof stopped and the reason; the conversion then refuses it.",
        ],
        formula: "Y = X (a multiplicative noise at inference is its expectation, 1; an additive one its mean, 0; DropBlock drops nothing, and its renormalization numel / (numel + ε) = 1 − ε / (numel + ε) is replaced by 1)")

    public init() {}

    public func run(on model: inout Model, context: inout PassContext) throws(PassError) {
        let opsets = model.opsetImports
        var changedGraphs = Set<String>()
        try model.rewriteGraphsInScope { (graph, place) throws(PassError) in
            let recognition = StochasticRegularizers.recognize(in: graph, enclosing: place.enclosing, opsetImports: opsets)
            var rewired = Set<ValueID>()
            for r in recognition.regularizers {
                try remove(r, in: &graph, path: place.path, context: &context)
                rewired.insert(r.data)
                changedGraphs.insert(place.path)
            }
            for u in recognition.unproven {
                context.skip(.dropout, graph: place.path, node: graph.displayName(u.node),
                             reason: "random draw not proven to be a regularizer (stopped at '\(graph.displayName(u.stoppedAt))'): \(u.reason)")
            }
            try simplifySwitches(in: &graph, path: place.path, rewired: rewired, changedGraphs: changedGraphs, context: &context)
        }
    }

    private func remove(_ r: StochasticRegularizer, in graph: inout Graph, path: String, context: inout PassContext) throws(PassError) {
        let names = r.nodes.sorted().map { graph.displayName($0) }
        do {
            try bypass(node: r.application, input: r.data, output: r.output, in: &graph)
        } catch {
            throw PassError(pass: Self.name, "cannot remove the \(r.variant.rawValue) at '\(names.first ?? "?")': \(error)")
        }
        StochasticRegularizers.removeDrawNodes(r, in: &graph)
        var evidence = ["expectation": NumberText.short(r.expectation)]
        if let p = r.dropProbability { evidence["dropProbability"] = NumberText.short(p) }
        if let noise = r.noise { evidence["noise"] = noise.text }
        if let d = r.renormalizationDeviation { evidence["renormalizationDeviation"] = NumberText.short(d) }
        context.record(.dropout, graph: path, nodes: names, action: "\(r.variant.rawValue) removed", detail: r.argument, evidence: evidence)
    }

    /// An If whose branches, after the removal, return the same outer values; a Where choosing between
    /// the same value with a scalar condition (a training switch around a regularizer).
    private func simplifySwitches(in graph: inout Graph, path: String, rewired: Set<ValueID>, changedGraphs: Set<String>,
                                  context: inout PassContext) throws(PassError) {
        for node in graph.nodes {
            let name = graph.displayName(node.id)
            if node.isOnnx("If"), changedGraphs.contains("\(path)/\(name).then_branch") || changedGraphs.contains("\(path)/\(name).else_branch"),
               let passed = Self.passThrough(node, in: graph) {
                do {
                    if passed.count == 1, let out = node.outputs[0] {
                        try bypass(node: node.id, input: passed[0], output: out, in: &graph)
                    } else {
                        guard !node.outputs.contains(where: { $0.map(graph.isGraphOutput) ?? false }) else { continue }
                        for (out, value) in zip(node.outputs, passed) { if let out { graph.replaceAllUses(of: out, with: value) } }
                        dropNode(node.id, in: &graph)
                    }
                } catch {
                    throw PassError(pass: Self.name, "cannot remove If '\(name)': \(error)")
                }
                context.record(.dropout, graph: path, nodes: [name], action: "training switch removed",
                               detail: "after the stochastic regularizers in its branches were removed, both branches of If '\(name)' return \(passed.map { "'\(graph.value($0).name)'" }.joined(separator: ", ")): the If is that value whatever its condition")
            } else if node.isOnnx("Where"), node.inputs.count == 3, let a = node.inputs[1], node.inputs[2] == a, rewired.contains(a),
                      let condition = node.inputs[0], Self.isScalar(condition, in: graph), let out = node.outputs.first ?? nil {
                let valueName = graph.value(a).name
                do { try bypass(node: node.id, input: a, output: out, in: &graph) } catch {
                    throw PassError(pass: Self.name, "cannot remove Where '\(name)': \(error)")
                }
                context.record(.dropout, graph: path, nodes: [name], action: "training switch removed",
                               detail: "after the stochastic regularizer was removed, Where '\(name)' chooses between '\(valueName)' and itself on a scalar condition: it is that value")
            }
        }
    }

    private func dropNode(_ id: NodeID, in graph: inout Graph) {
        for slot in graph.node(id).outputs.indices.reversed() { try? graph.dropOutput(id, slot) }
        try? graph.removeNode(id)
    }

    /// The outer values an If returns from both branches alike, or nil.
    static func passThrough(_ node: Node, in graph: Graph) -> [ValueID]? {
        guard let thenBranch = node.attribute("then_branch")?.subgraphs.first,
              let elseBranch = node.attribute("else_branch")?.subgraphs.first,
              thenBranch.outputs.count == node.outputs.count, elseBranch.outputs.count == node.outputs.count else { return nil }
        func outerName(_ g: Graph, _ v: ValueID) -> String? {
            if g.value(v).producer == .outerScope { return g.value(v).name }
            if let p = g.producer(of: v), p.isOnnx("Identity"), let x = p.inputs.first ?? nil, g.value(x).producer == .outerScope {
                return g.value(x).name
            }
            return nil
        }
        var result: [ValueID] = []
        for (t, e) in zip(thenBranch.outputs, elseBranch.outputs) {
            guard let name = outerName(thenBranch, t), outerName(elseBranch, e) == name, let v = graph.value(named: name) else { return nil }
            result.append(v)
        }
        return result
    }

    /// A value with one element by its declared shape or as a constant.
    static func isScalar(_ id: ValueID, in graph: Graph) -> Bool {
        if let t = graph.constantValue(id) { return t.elementCount == 1 }
        guard let shape = graph.value(id).type?.tensor?.shape else { return false }
        return shape.allSatisfy { if case .value(1) = $0 { true } else { false } }
    }
}
