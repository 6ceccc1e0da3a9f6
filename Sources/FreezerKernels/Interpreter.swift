import CBLAS
import FreezerIR

/// The reference evaluator: runs an ONNX graph on named inputs and returns named outputs.
///
/// Only the nodes the requested outputs depend on are evaluated, so a training graph's loss and
/// gradient branches never run when only the inference outputs are asked for. Every operator a run
/// needs is checked to be supported before the first node executes.
public struct Interpreter {
    public struct Options: Sendable {
        /// Evaluate training forms as they behave at inference: Dropout is the identity with an all-true
        /// mask, BatchNormalization uses its running statistics whatever training_mode/is_test says.
        public var inferenceSemantics: Bool
        /// BLAS threads. 1 (the default) gives bit-identical results run after run.
        public var threads: Int
        public init(inferenceSemantics: Bool = false, threads: Int = 1) {
            self.inferenceSemantics = inferenceSemantics
            self.threads = threads
        }
    }

    public let model: Model
    public let registry: KernelRegistry
    public let options: Options
    private let constants: ConstantCache

    public init(model: Model, registry: KernelRegistry = .standard, options: Options = .init()) {
        self.model = model
        self.registry = registry
        self.options = options
        constants = ConstantCache()
        BLASSetup.ready
        openblas_set_num_threads(Int32(max(1, options.threads)))
    }

    /// Names of the main graph's inputs that must be fed (initializer-backed inputs are optional).
    public var requiredInputs: [String] { model.graph.runtimeInputs.map { model.graph.value($0).name } }

    /// Runs the main graph. `outputs` defaults to the graph outputs; any value name may be requested.
    public func run(_ feeds: [String: NDArray], outputs requested: [String]? = nil) throws(EvaluationError) -> [String: NDArray] {
        let graph = model.graph
        let names = requested ?? graph.outputs.map { graph.value($0).name }
        var wanted: [ValueID] = []
        for name in names {
            guard let id = graph.value(named: name) else {
                throw .unknownOutput(name: name, available: graph.outputs.map { graph.value($0).name })
            }
            wanted.append(id)
        }
        var inputs: [ValueID: NDArray] = [:]
        let declared = graph.inputs.map { graph.value($0).name }
        for (name, array) in feeds {
            guard let id = graph.value(named: name), graph.inputs.contains(id) else {
                throw .unexpectedInput(name: name, expected: declared)
            }
            try Self.checkFeed(array, against: graph.value(id))
            inputs[id] = array
        }
        let needed = Self.neededNodes(graph, for: wanted)
        try checkSupported(graph, nodes: needed)
        let env = try evaluate(graph, nodes: needed, inputs: inputs, outer: [:], wanted: wanted, isMain: true)
        var result: [String: NDArray] = [:]
        for (name, id) in zip(names, wanted) { result[name] = env[id] }
        return result
    }

    // MARK: - Graph evaluation

    /// Nodes that the values in `wanted` depend on, in the graph's current order.
    static func neededNodes(_ graph: Graph, for wanted: [ValueID]) -> Set<NodeID> {
        var needed = Set<NodeID>()
        var stack = wanted
        var seen = Set(wanted)
        while let v = stack.popLast() {
            guard let n = graph.value(v).producingNode, needed.insert(n).inserted else { continue }
            let node = graph.node(n)
            for input in node.inputs.compactMap({ $0 }) + node.captures where seen.insert(input).inserted {
                stack.append(input)
            }
        }
        return needed
    }

    private func checkSupported(_ graph: Graph, nodes: Set<NodeID>) throws(EvaluationError) {
        var missing: [EvaluationError.UnsupportedOperator] = []
        var seen = Set<EvaluationError.UnsupportedOperator>()
        func visit(_ g: Graph, only: Set<NodeID>?) {
            for node in g.nodes where only?.contains(node.id) ?? true {
                if registry.kernel(domain: node.domain, op: node.opType, version: node.opsetVersion) == nil {
                    let op = EvaluationError.UnsupportedOperator(domain: node.domain, opType: node.opType, version: node.opsetVersion)
                    if seen.insert(op).inserted { missing.append(op) }
                }
                for attribute in node.attributes { for sub in attribute.subgraphs { visit(sub, only: nil) } }
            }
        }
        visit(graph, only: nodes)
        if !missing.isEmpty { throw .unsupportedOperators(missing, supported: registry.supportedOperators) }
    }

    private func evaluate(_ graph: Graph, nodes needed: Set<NodeID>, inputs: [ValueID: NDArray],
                          outer: [String: NDArray], wanted: [ValueID], isMain: Bool) throws(EvaluationError) -> [ValueID: NDArray] {
        var env = inputs
        let order: [NodeID]
        do { order = try graph.topologicalOrder().filter(needed.contains) } catch { throw .cycle(error.description) }

        // Values read by the needed nodes: count reads so that buffers are released after their last use.
        var remaining: [ValueID: Int] = [:]
        for id in order {
            let node = graph.node(id)
            for v in node.inputs.compactMap({ $0 }) + node.captures { remaining[v, default: 0] += 1 }
        }
        for v in wanted { remaining[v, default: 0] += 1 }
        for v in remaining.keys where env[v] == nil {
            let value = graph.value(v)
            switch value.producer {
            case .graphInput, .initializer:
                if let tensor = graph.initializer(v) {
                    env[v] = isMain ? try constants.array(for: v, tensor) : try NDArray(tensor)
                } else if value.producer == .graphInput {
                    throw .missingInput(name: value.name, expected: graph.runtimeInputs.map { graph.value($0).name })
                }
            case .outerScope:
                guard let array = outer[value.name] else {
                    throw .node(name: graph.name, opType: "subgraph", reason: "outer-scope value '\(value.name)' is not available")
                }
                env[v] = array
            case .missing:
                throw .node(name: graph.name, opType: "graph", reason: "value '\(value.name)' is not produced by anything")
            case .node: break
            }
        }

        for id in order {
            let node = graph.node(id)
            let name = graph.displayName(id)
            guard let kernel = registry.kernel(domain: node.domain, op: node.opType, version: node.opsetVersion) else {
                throw .unsupportedOperators([.init(domain: node.domain, opType: node.opType, version: node.opsetVersion)],
                                            supported: registry.supportedOperators)
            }
            var captured: [String: NDArray] = outer
            for c in node.captures { captured[graph.value(c).name] = env[c] }
            let context = KernelContext(
                node: node, nodeName: name, opset: node.opsetVersion ?? 1,
                inputs: node.inputs.map { $0.flatMap { env[$0] } },
                inferenceSemantics: options.inferenceSemantics,
                runSubgraph: { (sub, subInputs) in try self.runSubgraph(sub, inputs: subInputs, outer: captured) },
                outputIsNeeded: { i in i < node.outputs.count && node.outputs[i] != nil })
            let outputs: [NDArray?]
            do {
                outputs = try kernel(context)
            } catch let error as EvaluationError {
                throw error
            } catch {
                throw .node(name: name, opType: node.opType, reason: "\(error)")
            }
            for (slot, out) in node.outputs.enumerated() {
                guard let out else { continue }
                guard slot < outputs.count, let array = outputs[slot] else {
                    if remaining[out] != nil { throw .node(name: name, opType: node.opType, reason: "output \(slot) was not computed") }
                    continue
                }
                env[out] = array.rounded()
            }
            for v in node.inputs.compactMap({ $0 }) + node.captures {
                remaining[v]! -= 1
                if remaining[v] == 0 { env[v] = nil }
            }
        }
        return env
    }

    /// Runs a subgraph (If branch, Loop or Scan body) with its inputs by position.
    func runSubgraph(_ graph: Graph, inputs: [NDArray?], outer: [String: NDArray]) throws(EvaluationError) -> [NDArray] {
        var feeds: [ValueID: NDArray] = [:]
        for (k, id) in graph.inputs.enumerated() where k < inputs.count {
            if let array = inputs[k] { feeds[id] = array }
        }
        let needed = Self.neededNodes(graph, for: graph.outputs)
        let env = try evaluate(graph, nodes: needed, inputs: feeds, outer: outer, wanted: graph.outputs, isMain: false)
        return try graph.outputs.map { (id) throws(EvaluationError) -> NDArray in
            guard let v = env[id] else {
                throw .node(name: graph.name, opType: "subgraph", reason: "output '\(graph.value(id).name)' was not computed")
            }
            return v
        }
    }

    /// Checks a fed array against the declared input type: element type and every fixed dimension.
    static func checkFeed(_ array: NDArray, against value: Value) throws(EvaluationError) {
        guard let tensor = value.type?.tensor else { return }
        let expected = tensor.description
        let actual = "\(array.elementType)[\(array.shape.map(String.init).joined(separator: ","))]"
        if tensor.elementType != array.elementType { throw .inputMismatch(name: value.name, expected: expected, actual: actual) }
        guard let shape = tensor.shape else { return }
        if shape.count != array.rank { throw .inputMismatch(name: value.name, expected: expected, actual: actual) }
        for (d, n) in zip(shape, array.shape) {
            if case .value(let v) = d, v != Int64(n) { throw .inputMismatch(name: value.name, expected: expected, actual: actual) }
        }
    }
}

/// Initializers converted to arrays once per interpreter, so repeated runs do not re-read them.
final class ConstantCache: @unchecked Sendable {
    private var arrays: [ValueID: NDArray] = [:]
    // Interpreters are used from one thread at a time; the cache only memoizes pure conversions.
    func array(for id: ValueID, _ tensor: Tensor) throws(EvaluationError) -> NDArray {
        if let a = arrays[id] { return a }
        let a = try NDArray(tensor)
        arrays[id] = a
        return a
    }
}
