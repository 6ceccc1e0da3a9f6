/// Mutations that keep def-use chains right. Each method updates the use lists it affects; none of
/// them leaves a read of a value that no longer exists.
extension Graph {
    /// `base`, or `base_1`, `base_2`, …: the first that `taken` does not hold. The one rule for every
    /// name freezer makes (values, initializers, nodes), so a made name reads the same wherever it is.
    public static func freshName(_ base: String, taken: (String) -> Bool) -> String {
        if !taken(base) { return base }
        var k = 1
        while taken("\(base)_\(k)") { k += 1 }
        return "\(base)_\(k)"
    }

    /// A value name not yet used in this graph, based on `base`.
    public func uniqueName(_ base: String) -> String {
        Self.freshName(base) { valueByName[$0] != nil }
    }

    /// A node name no node of this graph bears, based on `base`. Node names are their own namespace:
    /// onnxruntime refuses a graph in which two nodes share one.
    public func uniqueNodeName(_ base: String) -> String {
        Self.freshName(base) { nodeNameCount[$0] != nil }
    }

    /// Adds a node reading `inputs` and producing fresh values named after `outputNames` (made unique).
    /// It is placed right after `after` (or at the end), so the order stays a valid schedule when the
    /// caller places it after its last producer.
    ///
    /// The node is named `name`, or after its first output when `name` is empty, made unique among this
    /// graph's node names: passes name new nodes after the node they replace, and two unnamed ones would
    /// otherwise give two new nodes one name. Names the file repeats are left as they are.
    @discardableResult
    public mutating func addNode(opType: String, domain: String = "", opsetVersion: Int64?, name: String = "",
                                 inputs: [ValueID?], outputNames: [String], attributes: [Attribute] = [],
                                 after: NodeID? = nil) -> NodeID {
        let id = NodeID(index: nodeStore.count)
        var outs: [ValueID?] = []
        for (slot, base) in outputNames.enumerated() {
            if base.isEmpty { outs.append(nil); continue }
            let vid = ValueID(index: values.count)
            let unique = uniqueName(base)
            values.append(Value(id: vid, name: unique, producer: .node(id, output: slot), uses: []))
            valueByName[unique] = vid
            outs.append(vid)
        }
        let firstOutput = outs.lazy.compactMap { $0 }.first.map { values[$0.index].name }
        let nodeName = uniqueNodeName(name.isEmpty ? firstOutput ?? opType : name)
        countNodeName(nodeName, by: 1)
        let captures = Self.freeNames(of: attributes).compactMap { valueByName[$0] }
        nodeStore.append(Node(id: id, name: nodeName, opType: opType, domain: domain, opsetVersion: opsetVersion,
                              inputs: inputs, outputs: outs, attributes: attributes, captures: captures,
                              docString: "", residual: .none))
        if let after, let at = nodeOrder.firstIndex(of: after) { nodeOrder.insert(id, at: at + 1) }
        else { nodeOrder.append(id) }
        for (slot, input) in inputs.enumerated() {
            if let input { values[input.index].uses.append(Use(node: id, input: slot)) }
        }
        for c in captures { values[c.index].uses.append(Use(node: id, input: nil)) }
        return id
    }

    /// Removes a node whose outputs nothing reads any more (no node, subgraph or graph output).
    public mutating func removeNode(_ id: NodeID) throws(GraphError) {
        let node = node(id)
        for output in node.outputs.compactMap({ $0 }) where isUsed(output) {
            var users = consumers(of: output).map { "node '\(displayName($0))'" }
            if isGraphOutput(output) { users.append("the graph outputs") }
            throw .stillUsed(value: values[output.index].name, by: users)
        }
        for input in Set(node.inputs.compactMap { $0 } + node.captures) {
            values[input.index].uses.removeAll { $0.node == id }
        }
        for output in node.outputs.compactMap({ $0 }) where valueByName[values[output.index].name] == output {
            valueByName[values[output.index].name] = nil
            values[output.index].producer = .missing
        }
        countNodeName(node.name, by: -1)
        nodeStore[id.index] = nil
        nodeOrder.removeAll { $0 == id }
    }

    /// Points input `slot` of `node` at `value` (nil: the optional input is absent).
    public mutating func setInput(_ node: NodeID, _ slot: Int, to value: ValueID?) {
        guard var n = nodeStore[node.index] else { preconditionFailure("\(node) was removed") }
        while n.inputs.count <= slot { n.inputs.append(nil) }
        if let old = n.inputs[slot] {
            if let k = values[old.index].uses.firstIndex(of: Use(node: node, input: slot)) {
                values[old.index].uses.remove(at: k)
            }
        }
        n.inputs[slot] = value
        while let last = n.inputs.last, last == nil { n.inputs.removeLast() }
        nodeStore[node.index] = n
        if let value { values[value.index].uses.append(Use(node: node, input: slot)) }
    }

    /// Drops trailing input slots from `count` on.
    public mutating func truncateInputs(_ node: NodeID, to count: Int) {
        for slot in stride(from: self.node(node).inputs.count - 1, through: count, by: -1) { setInput(node, slot, to: nil) }
    }

    /// Makes every reader of `old` read `new`: node inputs, subgraph captures and, when asked, graph outputs.
    public mutating func replaceAllUses(of old: ValueID, with new: ValueID, includingGraphOutputs: Bool = false) {
        guard old != new else { return }
        for use in values[old.index].uses {
            if let slot = use.input {
                setInput(use.node, slot, to: new)
            } else {
                renameCapture(in: use.node, from: values[old.index].name, to: values[new.index].name)
            }
        }
        if includingGraphOutputs {
            for k in outputs.indices where outputs[k] == old { outputs[k] = new }
        }
    }

    /// Renames a value everywhere it is referenced, including subgraphs that capture it.
    public mutating func renameValue(_ id: ValueID, to newName: String) throws(GraphError) {
        let oldName = values[id.index].name
        guard oldName != newName else { return }
        guard valueByName[newName] == nil else { throw .nameTaken(newName) }
        for use in values[id.index].uses where use.input == nil {
            renameCapture(in: use.node, from: oldName, to: newName, keepUses: true)
        }
        if valueByName[oldName] == id { valueByName[oldName] = nil }
        valueByName[newName] = id
        values[id.index].name = newName
        if var tensor = initializerStore[id] { tensor.name = newName; initializerStore[id] = tensor }
    }

    private mutating func renameCapture(in nodeID: NodeID, from oldName: String, to newName: String, keepUses: Bool = false) {
        guard var node = nodeStore[nodeID.index] else { return }
        for a in node.attributes.indices {
            switch node.attributes[a].value {
            case .graph(var g): g.renameOuter(oldName, to: newName); node.attributes[a].value = .graph(g)
            case .graphs(var gs):
                for k in gs.indices { gs[k].renameOuter(oldName, to: newName) }
                node.attributes[a].value = .graphs(gs)
            default: break
            }
        }
        nodeStore[nodeID.index] = node
        if !keepUses { refreshCaptures(nodeID) }
    }

    /// Renames an outer-scope reference inside this graph and its subgraphs.
    mutating func renameOuter(_ oldName: String, to newName: String) {
        guard let id = valueByName[oldName], values[id.index].producer == .outerScope else { return }
        for use in values[id.index].uses where use.input == nil {
            renameCapture(in: use.node, from: oldName, to: newName, keepUses: true)
        }
        valueByName[oldName] = nil
        if let existing = valueByName[newName] {
            // The new name is already read here: merge the two outer references.
            for use in values[id.index].uses {
                if let slot = use.input { setInput(use.node, slot, to: existing) }
            }
        } else {
            values[id.index].name = newName
            valueByName[newName] = id
        }
    }

    /// Recomputes a node's captures from its subgraphs and updates use lists.
    mutating func refreshCaptures(_ nodeID: NodeID) {
        guard var node = nodeStore[nodeID.index] else { return }
        for c in node.captures { values[c.index].uses.removeAll { $0 == Use(node: nodeID, input: nil) } }
        node.captures = Self.freeNames(of: node.attributes).map { name in
            if let id = valueByName[name] { return id }
            let vid = ValueID(index: values.count)
            values.append(Value(id: vid, name: name, producer: .outerScope, uses: []))
            valueByName[name] = vid
            return vid
        }
        nodeStore[nodeID.index] = node
        for c in node.captures { values[c.index].uses.append(Use(node: nodeID, input: nil)) }
    }

    /// Replaces a node's attributes (including subgraphs) and refreshes what its subgraphs capture.
    public mutating func setAttributes(_ nodeID: NodeID, _ attributes: [Attribute]) {
        nodeStore[nodeID.index]?.attributes = attributes
        refreshCaptures(nodeID)
    }

    /// Changes the name, op type, domain or opset version of a node (not its wiring).
    public mutating func updateNode(_ nodeID: NodeID, _ body: (inout NodeHeader) -> Void) {
        guard let node = nodeStore[nodeID.index] else { return }
        var header = NodeHeader(name: node.name, opType: node.opType, domain: node.domain,
                                opsetVersion: node.opsetVersion, docString: node.docString)
        body(&header)
        countNodeName(node.name, by: -1)
        countNodeName(header.name, by: 1)
        nodeStore[nodeID.index]!.name = header.name
        nodeStore[nodeID.index]!.opType = header.opType
        nodeStore[nodeID.index]!.domain = header.domain
        nodeStore[nodeID.index]!.opsetVersion = header.opsetVersion
        nodeStore[nodeID.index]!.docString = header.docString
    }

    /// Detaches output `slot` of a node (the output becomes absent). The value must be unused. Trailing
    /// absent outputs are trimmed, so a slot past the end is already absent.
    public mutating func dropOutput(_ nodeID: NodeID, _ slot: Int) throws(GraphError) {
        guard slot < node(nodeID).outputs.count, let out = node(nodeID).outputs[slot] else { return }
        if isUsed(out) {
            throw .stillUsed(value: values[out.index].name, by: consumers(of: out).map { "node '\(displayName($0))'" }
                + (isGraphOutput(out) ? ["the graph outputs"] : []))
        }
        nodeStore[nodeID.index]!.outputs[slot] = nil
        while let last = nodeStore[nodeID.index]!.outputs.last, last == nil { nodeStore[nodeID.index]!.outputs.removeLast() }
        if valueByName[values[out.index].name] == out { valueByName[values[out.index].name] = nil }
        values[out.index].producer = .missing
    }

    /// Adds an initializer under a name made unique from `tensor.name`.
    @discardableResult
    public mutating func addInitializer(_ tensor: Tensor) -> ValueID {
        var tensor = tensor
        tensor.name = uniqueName(tensor.name)
        let id = ValueID(index: values.count)
        values.append(Value(id: id, name: tensor.name, producer: .initializer, uses: []))
        valueByName[tensor.name] = id
        initializerStore[id] = tensor
        initializerOrder.append(id)
        return id
    }

    /// Replaces the data of an existing initializer; its name stays.
    public mutating func setInitializer(_ id: ValueID, _ tensor: Tensor) throws(GraphError) {
        guard initializerStore[id] != nil else { throw .notAnInitializer(values[id.index].name) }
        var tensor = tensor
        tensor.name = values[id.index].name
        initializerStore[id] = tensor
    }

    /// Gives a graph input that has no value a default value (an initializer of the same name), as a file
    /// that lists its initializers among its inputs has: a caller may still override it.
    public mutating func setDefault(ofInput id: ValueID, _ tensor: Tensor) throws(GraphError) {
        guard inputs.contains(id), initializerStore[id] == nil else { throw .notAnInitializer(values[id.index].name) }
        var tensor = tensor
        tensor.name = values[id.index].name
        initializerStore[id] = tensor
        initializerOrder.append(id)
    }

    /// Removes an initializer nothing reads. A graph input it was the default of stays an input.
    public mutating func removeInitializer(_ id: ValueID) throws(GraphError) {
        guard initializerStore[id] != nil else { throw .notAnInitializer(values[id.index].name) }
        if values[id.index].producer == .initializer && isUsed(id) {
            throw .stillUsed(value: values[id.index].name, by: consumers(of: id).map { "node '\(displayName($0))'" })
        }
        initializerStore[id] = nil
        initializerOrder.removeAll { $0 == id }
        if values[id.index].producer == .initializer {
            valueByName[values[id.index].name] = nil
            values[id.index].producer = .missing
        }
    }

    /// Removes a graph input. An input with an initializer becomes a plain constant; any other input
    /// must be unused.
    public mutating func removeInput(_ id: ValueID) throws(GraphError) {
        guard let k = inputs.firstIndex(of: id) else { return }
        if initializerStore[id] != nil {
            values[id.index].producer = .initializer
        } else if isUsed(id) {
            throw .stillUsed(value: values[id.index].name, by: consumers(of: id).map { "node '\(displayName($0))'" })
        } else {
            valueByName[values[id.index].name] = nil
            values[id.index].producer = .missing
        }
        inputs.remove(at: k)
    }

    /// Sets the graph outputs.
    public mutating func setOutputs(_ ids: [ValueID]) { outputs = ids }

    /// Reorders nodes into a topological order (stable).
    public mutating func sortTopologically() throws(GraphError) { nodeOrder = try topologicalOrder() }

    /// Rewrites the subgraphs of a node in place and refreshes what they capture. `body` gets each
    /// subgraph with its label: the attribute name, with `[k]` for graph lists.
    public mutating func modifySubgraphs(of nodeID: NodeID, _ body: (inout Graph, String) throws -> Void) rethrows {
        guard var node = nodeStore[nodeID.index] else { return }
        for a in node.attributes.indices {
            let name = node.attributes[a].name
            switch node.attributes[a].value {
            case .graph(var g): try body(&g, name); node.attributes[a].value = .graph(g)
            case .graphs(var gs):
                for k in gs.indices { try body(&gs[k], "\(name)[\(k)]") }
                node.attributes[a].value = .graphs(gs)
            default: break
            }
        }
        nodeStore[nodeID.index] = node
        refreshCaptures(nodeID)
    }
}

/// The parts of a node that can change without rewiring it.
public struct NodeHeader {
    public var name: String
    public var opType: String
    public var domain: String
    public var opsetVersion: Int64?
    public var docString: String
}

extension Graph {
    /// Sets the declared type of a value (nil: unknown).
    public mutating func setType(_ id: ValueID, _ type: ValueType?) { values[id.index].type = type }

    /// Copies the declaration (type, doc string, residual) of `source` onto `target`, as when a value
    /// takes over the role of a graph output.
    public mutating func copyDeclaration(from source: ValueID, to target: ValueID) {
        values[target.index].type = values[source.index].type
        values[target.index].docString = values[source.index].docString
        values[target.index].residual = values[source.index].residual
    }
}
