/// A computation graph with def-use chains.
///
/// A value type: `let original = graph` is a free snapshot, so the original model stays intact for
/// verification while passes rewrite a copy. Use lists are kept right by the mutating methods in
/// `Graph+Mutation.swift`; nothing else may change inputs, outputs or attributes of nodes.
public struct Graph: Sendable, Equatable {
    public var name: String
    public var docString: String
    public var residual: Residual

    var nodeStore: [Node?] = []
    public internal(set) var nodeOrder: [NodeID] = []
    public internal(set) var values: [Value] = []
    var valueByName: [String: ValueID] = [:]
    /// How many live nodes bear each non-empty name: a file may repeat one, a node freezer adds may not.
    var nodeNameCount: [String: Int] = [:]
    public internal(set) var inputs: [ValueID] = []
    public internal(set) var outputs: [ValueID] = []
    var initializerStore: [ValueID: Tensor] = [:]
    public internal(set) var initializerOrder: [ValueID] = []
    /// value_info entries naming values that do not exist in the graph, kept for a faithful round trip.
    public internal(set) var orphanValueInfo: [ValueInfo] = []
    /// Structural problems found while building the graph (duplicate or dangling names).
    public internal(set) var defects: [GraphDefect] = []

    /// Builds a graph from name-based declarations, as they appear in a file.
    ///
    /// - Parameter outerScope: names visible from enclosing graphs; reads of them become `.outerScope`
    ///   values. Any other unknown name becomes a `.missing` value and a `GraphDefect`.
    public init(name: String = "", inputs: [ValueInfo] = [], outputs: [ValueInfo] = [],
                valueInfo: [ValueInfo] = [], initializers: [Tensor] = [], nodes: [NodeSpec] = [],
                outerScope: Set<String> = [], docString: String = "", residual: Residual = .none) {
        self.name = name
        self.docString = docString
        self.residual = residual

        for info in inputs {
            if let existing = valueByName[info.name] {
                defects.append(.duplicateDefinition(name: info.name, first: describe(existing), second: "graph input"))
                continue
            }
            let id = newValue(name: info.name, producer: .graphInput)
            apply(info, to: id)
            self.inputs.append(id)
        }
        for tensor in initializers {
            if let existing = valueByName[tensor.name] {
                if values[existing.index].producer == .graphInput && initializerStore[existing] == nil {
                    initializerStore[existing] = tensor
                    initializerOrder.append(existing)
                } else {
                    defects.append(.duplicateDefinition(name: tensor.name, first: describe(existing), second: "initializer"))
                }
                continue
            }
            let id = newValue(name: tensor.name, producer: .initializer)
            initializerStore[id] = tensor
            initializerOrder.append(id)
        }
        // Outputs first, so that nodes listed out of topological order still resolve.
        var specOutputs: [[ValueID?]] = []
        for (n, spec) in nodes.enumerated() {
            let nodeID = NodeID(index: n)
            var outs: [ValueID?] = []
            for (slot, outName) in spec.outputs.enumerated() {
                if outName.isEmpty { outs.append(nil); continue }
                if let existing = valueByName[outName] {
                    // Nodes are not stored yet, so name an earlier producer from its spec.
                    let first: String = if case .node(let m, let s) = values[existing.index].producer {
                        "output \(s) of node '\(nodes[m.index].displayName(m.index))' (\(nodes[m.index].opType))"
                    } else { describe(existing) }
                    defects.append(.duplicateDefinition(name: outName, first: first,
                                                        second: "output \(slot) of node '\(spec.displayName(n))' (\(spec.opType))"))
                    // A separate value, reachable only through the node, so the graph stays well-formed.
                    let id = ValueID(index: values.count)
                    values.append(Value(id: id, name: outName, producer: .node(nodeID, output: slot), uses: []))
                    outs.append(id)
                    continue
                }
                outs.append(newValue(name: outName, producer: .node(nodeID, output: slot)))
            }
            specOutputs.append(outs)
        }
        for (n, spec) in nodes.enumerated() {
            let nodeID = NodeID(index: n)
            var ins: [ValueID?] = []
            for (slot, inName) in spec.inputs.enumerated() {
                if inName.isEmpty { ins.append(nil); continue }
                ins.append(resolve(inName, outerScope: outerScope) {
                    .danglingInput(node: spec.displayName(n), opType: spec.opType, input: slot, name: inName)
                })
            }
            var captures: [ValueID] = []
            for name in Self.freeNames(of: spec.attributes) {
                captures.append(resolve(name, outerScope: outerScope) {
                    .danglingInput(node: spec.displayName(n), opType: spec.opType, input: nil, name: name)
                })
            }
            nodeStore.append(Node(id: nodeID, name: spec.name, opType: spec.opType, domain: spec.domain,
                                  opsetVersion: spec.opsetVersion, inputs: ins, outputs: specOutputs[n],
                                  attributes: spec.attributes, captures: captures,
                                  docString: spec.docString, residual: spec.residual))
            nodeOrder.append(nodeID)
            countNodeName(spec.name, by: 1)
        }
        for info in outputs {
            let id = resolve(info.name, outerScope: outerScope) { .danglingOutput(name: info.name) }
            apply(info, to: id)
            self.outputs.append(id)
        }
        for info in valueInfo {
            guard let id = valueByName[info.name] else { orphanValueInfo.append(info); continue }
            apply(info, to: id)
            values[id.index].declaredInValueInfo = true
        }
        rebuildUses()
    }

    private mutating func newValue(name: String, producer: Value.Producer) -> ValueID {
        let id = ValueID(index: values.count)
        values.append(Value(id: id, name: name, producer: producer, uses: []))
        valueByName[name] = id
        return id
    }

    mutating func countNodeName(_ name: String, by delta: Int) {
        guard !name.isEmpty else { return }
        let count = nodeNameCount[name, default: 0] + delta
        nodeNameCount[name] = count > 0 ? count : nil
    }

    private mutating func resolve(_ name: String, outerScope: Set<String>, defect: () -> GraphDefect) -> ValueID {
        if let id = valueByName[name] { return id }
        if outerScope.contains(name) { return newValue(name: name, producer: .outerScope) }
        defects.append(defect())
        return newValue(name: name, producer: .missing)
    }

    private mutating func apply(_ info: ValueInfo, to id: ValueID) {
        if values[id.index].type == nil || info.type != nil { values[id.index].type = info.type }
        values[id.index].docString = info.docString
        values[id.index].residual = info.residual
    }

    func describe(_ id: ValueID) -> String {
        switch values[id.index].producer {
        case .graphInput: "graph input"
        case .initializer: "initializer"
        case .node(let n, let slot): "output \(slot) of node '\(displayName(n))' (\(nodeStore[n.index]?.opType ?? "?"))"
        case .outerScope: "outer scope"
        case .missing: "nothing"
        }
    }

    /// Names that subgraphs in `attributes` read from enclosing scopes.
    static func freeNames(of attributes: [Attribute]) -> [String] {
        var seen = Set<String>()
        var names: [String] = []
        for attribute in attributes {
            for sub in attribute.subgraphs {
                for v in sub.values where v.producer == .outerScope && seen.insert(v.name).inserted {
                    names.append(v.name)
                }
            }
        }
        return names
    }

    mutating func rebuildUses() {
        for i in values.indices { values[i].uses.removeAll(keepingCapacity: true) }
        for id in nodeOrder {
            guard let node = nodeStore[id.index] else { continue }
            for (slot, input) in node.inputs.enumerated() {
                if let input { values[input.index].uses.append(Use(node: id, input: slot)) }
            }
            for captured in node.captures { values[captured.index].uses.append(Use(node: id, input: nil)) }
        }
    }
}

extension NodeSpec {
    func displayName(_ index: Int) -> String { name.isEmpty ? "#\(index) \(opType)" : name }
}

/// Structural problems recorded when a graph is built from a file.
public enum GraphDefect: Sendable, Equatable, CustomStringConvertible {
    case duplicateDefinition(name: String, first: String, second: String)
    /// `input` is nil when a subgraph of the node reads the name.
    case danglingInput(node: String, opType: String, input: Int?, name: String)
    case danglingOutput(name: String)

    public var description: String {
        switch self {
        case let .duplicateDefinition(name, first, second):
            "value '\(name)' is defined twice: as \(first) and as \(second); every name must be produced exactly once"
        case let .danglingInput(node, op, input, name):
            if let input {
                "input \(input) of node '\(node)' (\(op)) reads '\(name)', which no node, graph input or initializer produces"
            } else {
                "a subgraph of node '\(node)' (\(op)) reads '\(name)', which no enclosing graph defines"
            }
        case let .danglingOutput(name):
            "graph output '\(name)' is not produced by any node, graph input or initializer"
        }
    }
}
