import FreezerIR

extension StochasticRegularizers {
    /// The recognized regularizers of a model, for the equivalence check's record.
    public struct ReferenceMeaning: Sendable {
        /// The model the check evaluates as "the original with inference semantics".
        public var model: Model
        /// How many regularizers of each variant were given their inference meaning.
        public var counts: [StochasticRegularizer.Variant: Int]

        /// One sentence for the log, or nil when the model has none.
        public var note: String? {
            guard !counts.isEmpty else { return nil }
            let parts = StochasticRegularizer.Variant.allCases.compactMap { v in counts[v].map { "\($0) × \(v.rawValue)" } }
            return "random regularizers as freezer recognizes them, \(parts.joined(separator: ", ")), each = its input broadcast as the original's product or sum broadcasts it: for these nodes the reference semantics are freezer's recognition, and the framework-level comparison of freezer export is the independent check"
        }
    }

    /// `model` with every recognized regularizer given its inference meaning: the node that applies the
    /// noise becomes `Expand(data, Shape(noise template))`, the data broadcast exactly as the original's
    /// product or sum broadcasts it, and the random nodes are no longer read. Nothing else changes, so the
    /// original's other training forms keep their evaluator semantics. Draws that are not recognized stay.
    public static func referenceMeaning(of model: Model) -> ReferenceMeaning {
        var model = model
        var counts: [StochasticRegularizer.Variant: Int] = [:]
        let opsets = model.opsetImports
        let opset = model.opsetVersion(for: "") ?? 1
        func rewrite(_ graph: inout Graph, enclosing: [Graph]) {
            let around = [graph] + enclosing
            for node in graph.nodes where node.hasSubgraphs {
                graph.modifySubgraphs(of: node.id) { sub, _ in rewrite(&sub, enclosing: around) }
            }
            let scope = GraphScope.forPass(graph, enclosing: enclosing, opsetImports: opsets)
            for r in recognize(in: scope).regularizers {
                giveInferenceMeaning(r, in: &graph, opset: opset)
                counts[r.variant, default: 0] += 1
            }
        }
        rewrite(&model.graph, enclosing: [])
        return ReferenceMeaning(model: model, counts: counts)
    }

    private static func giveInferenceMeaning(_ r: StochasticRegularizer, in graph: inout Graph, opset: Int64) {
        let app = r.application
        let base = graph.value(r.output).name
        guard opset >= 8 else {
            graph.updateNode(app) { $0.opType = "Identity"; $0.domain = "" }
            graph.setAttributes(app, [])
            graph.setInput(app, 0, to: r.data)
            graph.truncateInputs(app, to: 1)
            removeDrawNodes(r, in: &graph)
            return
        }
        let shape: ValueID
        switch r.noiseShape {
        case .fixed(let dims):
            shape = graph.addInitializer(.make(name: graph.uniqueName("\(base)_noise_shape"), type: .int64,
                                               dims: [Int64(dims.count)], values: dims.map(Double.init)))
        case .like(let template):
            let node = graph.addNode(opType: "Shape", opsetVersion: opset, name: "\(base)_noise_shape",
                                     inputs: [template], outputNames: [graph.uniqueName("\(base)_noise_shape")],
                                     after: r.randomNodes[0])
            shape = graph.node(node).outputs[0]!
        }
        graph.updateNode(app) { $0.opType = "Expand"; $0.domain = "" }
        graph.setAttributes(app, [])
        graph.setInput(app, 0, to: r.data)
        graph.setInput(app, 1, to: shape)
        graph.truncateInputs(app, to: 2)
        removeDrawNodes(r, in: &graph)
    }

    /// Removes the regularizer's nodes other than its application, which only it reads (the recognition
    /// proved it), readers before producers. A subgraph runs every node it holds, so they go rather than
    /// stay unread.
    public static func removeDrawNodes(_ r: StochasticRegularizer, in graph: inout Graph) {
        for id in r.nodes.sorted(by: >) where id != r.application && graph.contains(id) {
            for slot in graph.node(id).outputs.indices.reversed() { try? graph.dropOutput(id, slot) }
            try? graph.removeNode(id)
        }
    }
}
