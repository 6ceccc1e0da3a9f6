import FreezerIR

/// Builds the model summary: identity, signature, node counts, parameter size.
enum SummaryBuilder {
    static func summary(of model: Model, source: InspectSource?, scopes: [GraphScope]) -> ModelSummary {
        let graph = model.graph
        let mainSubgraphs = scopes.filter { $0.path.hasPrefix("main/") }
        let trainingInfoScopes = scopes.filter { $0.path.hasPrefix("training_info[") }
        let initializers = graph.initializers.map(\.tensor)
        return ModelSummary(
            source: source,
            irVersion: model.irVersion,
            opsetImports: model.opsetImports.map { .init(domain: $0.domainName, version: $0.version) },
            producerName: model.producerName,
            producerVersion: model.producerVersion,
            modelVersion: model.modelVersion,
            modelDomain: model.domain,
            graphName: graph.name,
            inputs: graph.runtimeInputs.map { signature($0, in: graph) },
            initializerInputs: graph.initializersAsInputs.map { signature($0, in: graph) },
            outputs: graph.outputs.map { signature($0, in: graph) },
            nodeCounts: counts(graph.nodes),
            subgraphNodeCounts: counts(mainSubgraphs.flatMap(\.graph.nodes)),
            mainGraphNodeCount: graph.nodes.count,
            totalNodeCount: graph.nodes.count + mainSubgraphs.reduce(0) { $0 + $1.graph.nodes.count },
            subgraphCount: mainSubgraphs.count,
            initializerCount: initializers.count,
            parameterCount: initializers.reduce(0) { $0 + ($1.elementCount ?? 0) },
            parameterBytes: initializers.reduce(0) { $0 + $1.storedByteCount },
            parameters: graph.initializers.map { id, t in
                ModelSummary.ParameterEntry(
                    name: t.name, type: "\(t.elementType)[\(t.dims.map(String.init).joined(separator: ","))]",
                    elements: t.elementCount ?? 0, bytes: t.storedByteCount,
                    storage: t.externalSource.map { "external: \($0.location)" } ?? "inline",
                    isGraphInput: graph.inputs.contains(id))
            },
            trainingInfoCount: model.trainingInfo.count,
            trainingInfoNodeCount: trainingInfoScopes.reduce(0) { $0 + $1.graph.nodes.count },
            functionCount: model.functions.count)
    }

    /// Nodes by qualified op type.
    static func counts(_ nodes: [Node]) -> [String: Int] {
        Dictionary(nodes.map { ($0.qualifiedOpType, 1) }, uniquingKeysWith: +)
    }

    static func signature(_ id: ValueID, in graph: Graph) -> TensorSignature {
        let value = graph.value(id)
        let tensor = value.type?.tensor
        return TensorSignature(name: value.name, elementType: tensor.map { "\($0.elementType)" },
                               shape: tensor?.shape?.map(\.description), type: value.type?.description ?? "unknown type")
    }
}
