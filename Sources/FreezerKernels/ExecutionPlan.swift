import FreezerIR

/// A graph prepared for repeated evaluation of some of its values.
///
/// Building it does everything that does not depend on the input data once: selecting the nodes the
/// requested values need, ordering them, resolving each node's kernel, numbering every value as a slot
/// of a flat environment, and working out where each value is read for the last time. Running a plan is
/// then a loop over steps that index an array; nothing is looked up by name or hashed per node.
final class ExecutionPlan: @unchecked Sendable {
    // Immutable after init; `Kernel` closures are not marked Sendable but registry kernels are pure.

    /// Where a slot's value comes from before the first step runs.
    enum Source {
        /// A graph input: the caller's feed, else its initializer (a parameter with a default), else missing.
        case graphInput(ValueID)
        /// An initializer that is not a graph input.
        case constant(ValueID)
        /// A value of an enclosing graph, by name.
        case outerScope(String)
        /// A value known when planning: a Constant node's output, a node's computed from constants, or
        /// (in the main graph) an initializer.
        case computed(RuntimeValue)
    }

    /// One node's evaluation. A class: the run loop then retains one reference per node instead of
    /// copying every field.
    final class Step {
        let info: NodeInfo
        var node: Node { info.node }
        var name: String { info.name }
        let kernel: RegisteredKernel
        /// Slot of each input (nil: optional input absent).
        let inputs: [Int?]
        /// Slot of each output that something reads or that was requested (nil: absent or discarded).
        let outputs: [Int?]
        /// Implicit inputs of the node's subgraphs, by name.
        let captures: [(name: String, slot: Int)]
        /// Per input: whether this step is the value's last reader and reads it only once, so the kernel
        /// may take the only reference and write its result into the same buffer.
        let handedOver: [Bool]
        /// Slots read for the last time by this step, to release once it has run.
        let released: [Int]
        /// Initializers (constants, and graph inputs with a default) this step reads first: loaded just
        /// before it runs unless already there, so a run holds each weight only between its first and last
        /// reader (see `Interpreter.Options.keepsConstants`).
        var loads: [(slot: Int, value: ValueID)] = []
        let hasSubgraphs: Bool

        init(info: NodeInfo, kernel: RegisteredKernel, inputs: [Int?], outputs: [Int?], captures: [(name: String, slot: Int)],
             handedOver: [Bool], released: [Int], hasSubgraphs: Bool) {
            self.info = info
            self.kernel = kernel
            self.inputs = inputs
            self.outputs = outputs
            self.captures = captures
            self.handedOver = handedOver
            self.released = released
            self.hasSubgraphs = hasSubgraphs
        }
    }

    let slotCount: Int
    /// Values present before the first step. Initializers with a reader are loaded by their first reader
    /// instead (`Step.loads`); a graph input with a default is there only when fed.
    let sources: [(slot: Int, source: Source)]
    /// Slots of initializers that a step loads (`Step.loads`).
    let deferred: Set<Int>
    let steps: [Step]
    /// Slots of the requested values, in request order.
    let wanted: [Int]

    /// Plans the evaluation of `wanted` in `graph`. Throws for a cycle, a value nothing produces, or an
    /// operator the registry lacks (that check normally happened before, for every needed node).
    /// `needed` may be passed when the caller already computed `neededNodes(graph, for: wanted)`.
    ///
    /// With `initializers` (the main graph's, read once per interpreter), nodes whose inputs are all
    /// constants of the graph are computed here, once, like Constant nodes: an Identity or Transpose of
    /// a weight, shape arithmetic on constants. Random operators and Dropout are never computed ahead.
    /// Without `initializers`, initializers stay `.constant` sources, read by their first reader.
    init(_ graph: Graph, wanted wantedValues: [ValueID], needed: Set<NodeID>? = nil,
         registry: KernelRegistry, initializers: ((ValueID) throws(EvaluationError) -> NDArray)? = nil,
         inferenceSemantics: Bool = false, precision: Precision = .own) throws(EvaluationError) {
        let needed = needed ?? Self.neededNodes(graph, for: wantedValues)
        let order: [NodeID]
        do { order = try graph.topologicalOrder().filter(needed.contains) } catch { throw .cycle(error.description) }

        var slotOf: [ValueID: Int] = [:]
        func slot(_ v: ValueID) -> Int {
            if let s = slotOf[v] { return s }
            let s = slotOf.count
            slotOf[v] = s
            return s
        }
        let wantedSet = Set(wantedValues)
        // The last step that reads each value; requested values are never released.
        var lastReader: [ValueID: Int] = [:]
        for (k, id) in order.enumerated() {
            let node = graph.node(id)
            for v in node.inputs.compactMap({ $0 }) + node.captures { lastReader[v] = k }
        }

        var sources: [(slot: Int, source: Source)] = []
        var seenSource = Set<ValueID>()
        func noteSource(_ v: ValueID) throws(EvaluationError) {
            let value = graph.value(v)
            guard value.producingNode == nil, seenSource.insert(v).inserted else { return }
            switch value.producer {
            case .graphInput: sources.append((slot(v), .graphInput(v)))
            case .initializer:
                // The main graph's constants are read once, here; a subgraph's when it runs.
                if let initializers {
                    sources.append((slot(v), .computed(.tensor(try initializers(v)))))
                } else {
                    sources.append((slot(v), .constant(v)))
                }
            case .outerScope: sources.append((slot(v), .outerScope(value.name)))
            case .missing: throw .node(name: graph.name, opType: "graph", reason: "value '\(value.name)' is not produced by anything")
            case .node: break
            }
        }

        // Values of the graph that are the same on every run, computed while planning.
        var computed: [ValueID: RuntimeValue] = [:]
        /// The inputs of `node` when all of them are known while planning (none, for a Constant node),
        /// else nil.
        func knownInputs(of node: Node) throws(EvaluationError) -> [RuntimeValue?]? {
            if Self.isConstantNode(node) { return [] }
            guard let initializers, Self.isComputedAhead(node) else { return nil }
            var values: [RuntimeValue?] = []
            for input in node.inputs {
                guard let v = input else { values.append(nil); continue }
                if let value = computed[v] {
                    values.append(value)
                } else if graph.value(v).producer == .initializer {
                    values.append(.tensor(try initializers(v)))
                } else {
                    return nil
                }
            }
            return values
        }
        var steps: [Step] = []
        steps.reserveCapacity(order.count)
        for (k, id) in order.enumerated() {
            let node = graph.node(id)
            let name = graph.displayName(id)
            guard let kernel = registry.kernel(domain: node.domain, op: node.opType, version: node.opsetVersion) else {
                throw .unsupportedOperators([.init(domain: node.domain, opType: node.opType, version: node.opsetVersion)],
                                            supported: registry.supportedOperators)
            }
            if let inputs = try knownInputs(of: node) {
                let values = try Self.evaluateAhead(node, name: name, declaredInputTypes: Self.declaredTypes(node, graph),
                                                    kernel: kernel, inputs: inputs,
                                                    inferenceSemantics: inferenceSemantics, precision: precision)
                for (out, value) in zip(node.outputs, values) {
                    guard let out, let value else { continue }
                    if lastReader[out] != nil || wantedSet.contains(out) { sources.append((slot(out), .computed(value))) }
                    computed[out] = value
                }
                continue
            }
            for v in node.inputs.compactMap({ $0 }) + node.captures { try noteSource(v) }
            let reads = node.inputs.compactMap { $0 } + node.captures
            var handedOver: [Bool] = []
            for input in node.inputs {
                guard let v = input else { handedOver.append(false); continue }
                let producedHere = graph.value(v).producingNode != nil
                handedOver.append(producedHere && !wantedSet.contains(v) && lastReader[v] == k
                                  && reads.lazy.filter { $0 == v }.count == 1)
            }
            var released: [Int] = []
            for v in Set(reads) where lastReader[v] == k && !wantedSet.contains(v) { released.append(slot(v)) }
            let outputs: [Int?] = node.outputs.map { out in
                guard let out, lastReader[out] != nil || wantedSet.contains(out) else { return nil }
                return slot(out)
            }
            let constantInputs = node.inputs.map { input in
                input.map { graph.value($0).producer == .initializer || computed[$0] != nil } ?? false
            }
            steps.append(Step(info: NodeInfo(node, name: name, constantInputs: constantInputs,
                                             declaredInputTypes: Self.declaredTypes(node, graph)), kernel: kernel,
                              inputs: node.inputs.map { $0.map(slot) },
                              outputs: outputs,
                              captures: node.captures.map { (graph.value($0).name, slot($0)) },
                              handedOver: handedOver, released: released.sorted(),
                              hasSubgraphs: node.hasSubgraphs))
        }
        for v in wantedValues { try noteSource(v) }
        // Initializers move to the first step that reads them.
        var firstReader: [Int: Int] = [:]
        for (k, step) in steps.enumerated() {
            for s in step.inputs.compactMap({ $0 }) + step.captures.map(\.slot) where firstReader[s] == nil { firstReader[s] = k }
        }
        var early: [(slot: Int, source: Source)] = []
        for (s, source) in sources {
            switch source {
            case .constant(let v), .graphInput(let v):
                if graph.initializer(v) != nil, let k = firstReader[s] { steps[k].loads.append((s, v)) }
                if case .graphInput = source { early.append((s, source)) } // fed inputs are placed before the first step
                else if firstReader[s] == nil { early.append((s, source)) }
            default:
                early.append((s, source))
            }
        }
        self.wanted = wantedValues.map(slot)
        self.sources = early
        self.deferred = Set(steps.flatMap { $0.loads.map(\.slot) })
        self.steps = steps
        self.slotCount = slotOf.count
    }

    /// An ONNX Constant node: its value is computed while planning in every graph.
    private static func isConstantNode(_ node: Node) -> Bool {
        node.isOnnx("Constant") && node.inputs.isEmpty
    }

    /// Operators that may be computed while planning when their inputs are constants: ONNX operators
    /// without subgraphs, except those whose result is random (and Dropout, random in training mode).
    /// Whether `node` computes the same outputs from the same inputs on every run (no random draw, no
    /// subgraph, no captured value): then its outputs from constant inputs are constants too.
    static func isComputedAhead(_ node: Node) -> Bool {
        guard node.isDefaultDomain, !node.inputs.isEmpty,
              node.inputs.contains(where: { $0 != nil }), !node.hasSubgraphs, node.captures.isEmpty else { return false }
        return !["Dropout", "RandomNormal", "RandomNormalLike", "RandomUniform", "RandomUniformLike", "Multinomial",
                 "Bernoulli"].contains(node.opType)
    }

    /// The outputs of a node whose inputs are constants (a Constant node has none): the same on every
    /// run, so computed once. Absent or uncomputed outputs are nil; output 0 must be computed.
    private static func evaluateAhead(_ node: Node, name: String, declaredInputTypes: [ElementType?], kernel: RegisteredKernel,
                                      inputs: [RuntimeValue?], inferenceSemantics: Bool,
                                      precision: Precision) throws(EvaluationError) -> [RuntimeValue?] {
        let box = KernelInputs()
        box.values = inputs
        let context = KernelContext(info: NodeInfo(node, name: name, declaredInputTypes: declaredInputTypes), box: box,
                                    inferenceSemantics: inferenceSemantics, precision: precision, subgraphRunner: nil)
        let outputs: [RuntimeValue?]
        do {
            outputs = try kernel(context)
        } catch let error as EvaluationError {
            throw error
        } catch {
            throw .node(name: name, opType: node.opType, reason: "\(error)")
        }
        guard let first = outputs.first ?? nil else { throw .node(name: name, opType: node.opType, reason: "output 0 was not computed") }
        return [first.adopted(by: precision)] + outputs.dropFirst().map { $0?.adopted(by: precision) }
    }

    /// Nodes that the values in `wanted` depend on.
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

    /// The element types the graph declares for a node's inputs (an initializer's own type, else the
    /// value's declared type; nil when not declared).
    static func declaredTypes(_ node: Node, _ graph: Graph) -> [ElementType?] {
        node.inputs.map { input in
            input.flatMap { graph.initializer($0)?.elementType ?? graph.value($0).type?.tensor?.elementType }
        }
    }
}
