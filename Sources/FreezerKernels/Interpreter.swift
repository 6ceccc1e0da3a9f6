import CBLAS
import FreezerIR
import Synchronization

/// The reference evaluator: runs an ONNX graph on named inputs and returns named outputs.
///
/// Only the nodes the requested outputs depend on are evaluated, so a training graph's loss and
/// gradient branches never run when only the inference outputs are asked for. Every operator a run
/// needs is checked to be supported before the first node executes.
///
/// The first run for a set of requested outputs builds an `ExecutionPlan` (kept for later runs; a
/// subgraph's plan is kept with its node). Values live in numbered slots and are released after their
/// last reader; an input whose last reader is the node is handed to the kernel, which may write its
/// result into that buffer. Initializers are converted once per interpreter. `Options.threads` sets
/// the thread count of matrix products (OpenBLAS's and freezer's own), which is process-wide.
///
/// A value is a tensor, or a sequence or optional (`RuntimeValue`) where a model's Sequence*, Optional*,
/// If, Loop or Identity nodes make one; `run` takes and returns tensors, `runValues` values of any kind.
public struct Interpreter {
    public struct Options: Sendable {
        /// Evaluate training forms as they behave at inference: Dropout is the identity with an all-true
        /// mask, BatchNormalization uses its running statistics whatever training_mode/is_test says.
        public var inferenceSemantics: Bool
        /// Threads of matrix products. freezer's own float product (on CPUs with AVX-512) gives the same
        /// bits with any count; the BLAS (double precision, other CPUs) is bit-identical run after run
        /// with 1, the default.
        public var threads: Int
        /// The precision floating-point values are computed in: each type its own (the model as it runs),
        /// or every float16, bfloat16 and float32 value widened exactly to float64 (the exact reference of
        /// the equivalence check).
        public var precision: Precision
        /// Keep every initializer converted once for the interpreter's life, with constant subexpressions
        /// and packed weights (fast repeated runs: the default); or convert each initializer when a run
        /// first reads it, release it after its last reader and drop a node's packed weights once it ran
        /// (memory bounded by the largest weights in use at once: one evaluation of a large model, all
        /// samples through `run(batch:)`).
        public var keepsConstants: Bool
        /// When set, a run stops with `outOfMemory` once the machine's available memory falls below the
        /// guard's reserve after a main-graph node (a clear error instead of the system killing the process).
        public var memoryGuard: MemoryGuard?
        public init(inferenceSemantics: Bool = false, threads: Int = 1, precision: Precision = .own, keepsConstants: Bool = true,
                    memoryGuard: MemoryGuard? = nil) {
            self.memoryGuard = memoryGuard
            self.inferenceSemantics = inferenceSemantics
            self.threads = threads
            self.precision = precision
            self.keepsConstants = keepsConstants
        }
    }

    /// Whether float products, 2-D convolutions, softmax and layer normalization run on freezer's
    /// AVX-512 kernels on this machine (otherwise on OpenBLAS and Swift loops): their results are fixed
    /// per kind of machine.
    public static var usesNativeKernels: Bool { NativeKernels.isAvailable }
    /// The OpenBLAS core (kernel family) the evaluator's BLAS products run on, as selected for this CPU.
    public static var openBLASCore: String { BLASSetup.core }

    public let model: Model
    public let registry: KernelRegistry
    public let options: Options
    let constants: ConstantCache
    private let plans: PlanCache

    public init(model: Model, registry: KernelRegistry = .standard, options: Options = .init()) {
        self.model = model
        self.registry = registry
        self.options = options
        constants = ConstantCache(precision: options.precision)
        plans = PlanCache()
        BLASSetup.ready
        openblas_set_num_threads(Int32(max(1, options.threads)))
        PackedProduct.threads.store(max(1, options.threads), ordering: .relaxed)
    }

    /// Names of the main graph's inputs that must be fed (initializer-backed inputs are optional).
    public var requiredInputs: [String] { model.graph.runtimeInputs.map { model.graph.value($0).name } }

    /// Runs the main graph. `outputs` defaults to the graph outputs; any value name may be requested.
    /// With a `profile`, the time of every main-graph node is added to it.
    public func run(_ feeds: [String: NDArray], outputs requested: [String]? = nil,
                    profile: RunProfile? = nil) throws(EvaluationError) -> [String: NDArray] {
        try run(batch: [feeds], outputs: requested, profile: profile)[0]
    }

    /// Runs the main graph on several sets of feeds, node by node: each node runs for every set before
    /// the next node starts, so each weight is read once for all of them. Results in the order of `batch`.
    /// `onNode(done, total)` is called after each main-graph node, for a progress display.
    public func run(batch: [[String: NDArray]], outputs requested: [String]? = nil,
                    profile: RunProfile? = nil, onNode: ((_ done: Int, _ total: Int) -> Void)? = nil) throws(EvaluationError) -> [[String: NDArray]] {
        let results = try runValues(batch: batch.map { $0.mapValues(RuntimeValue.tensor) }, outputs: requested,
                                    profile: profile, onNode: onNode)
        return try results.map { (sample) throws(EvaluationError) -> [String: NDArray] in
            var tensors: [String: NDArray] = [:]
            for (name, value) in sample {
                guard let array = value.tensor else {
                    throw .node(name: model.graph.name, opType: "graph",
                                reason: "output '\(name)' is a \(value.kindName), not a tensor; read it with runValues")
                }
                tensors[name] = array
            }
            return tensors
        }
    }

    /// Runs the main graph on values of any kind (tensors, sequences, optionals); see `run(batch:)`.
    public func runValues(_ feeds: [String: RuntimeValue], outputs requested: [String]? = nil,
                          profile: RunProfile? = nil) throws(EvaluationError) -> [String: RuntimeValue] {
        try runValues(batch: [feeds], outputs: requested, profile: profile)[0]
    }

    /// Runs the main graph on several sets of feeds of any kind; see `run(batch:)`.
    public func runValues(batch: [[String: RuntimeValue]], outputs requested: [String]? = nil,
                          profile: RunProfile? = nil, onNode: ((_ done: Int, _ total: Int) -> Void)? = nil) throws(EvaluationError) -> [[String: RuntimeValue]] {
        let graph = model.graph
        let names = requested ?? graph.outputs.map { graph.value($0).name }
        var wanted: [ValueID] = []
        for name in names {
            guard let id = graph.value(named: name) else {
                throw .unknownOutput(name: name, available: graph.outputs.map { graph.value($0).name })
            }
            wanted.append(id)
        }
        let declared = graph.inputs.map { graph.value($0).name }
        var inputs: [[ValueID: RuntimeValue]] = []
        for feeds in batch {
            var sample: [ValueID: RuntimeValue] = [:]
            for (name, value) in feeds {
                guard let id = graph.value(named: name), graph.inputs.contains(id) else {
                    throw .unexpectedInput(name: name, expected: declared)
                }
                try Self.checkFeed(value, against: graph.value(id))
                sample[id] = value.adopted(by: options.precision)
            }
            inputs.append(sample)
        }
        let plan = try plans.plan(for: wanted) { () throws(EvaluationError) in
            let needed = ExecutionPlan.neededNodes(graph, for: wanted)
            try checkSupported(graph, nodes: needed)
            // Kept constants are resolved (and constant subexpressions computed) once, while planning.
            let resolve: ((ValueID) throws(EvaluationError) -> NDArray)? = options.keepsConstants ? { (v) throws(EvaluationError) in
                guard let tensor = graph.initializer(v) else {
                    throw .node(name: graph.name, opType: "graph", reason: "initializer '\(graph.value(v).name)' has no tensor")
                }
                return try constants.array(for: v, tensor)
            } : nil
            return try ExecutionPlan(graph, wanted: wanted, needed: needed, registry: registry, initializers: resolve,
                                     inferenceSemantics: options.inferenceSemantics, precision: options.precision)
        }
        let envs = try execute(plan, graph, feeds: inputs, outer: [:], isMain: true, profile: profile, onNode: onNode)
        profile?.finishRun()
        return envs.map { env in
            var result: [String: RuntimeValue] = [:]
            for (name, slot) in zip(names, plan.wanted) { result[name] = env[slot] }
            return result
        }
    }

    // MARK: - Graph evaluation

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

    /// Runs `plan` for each set of feeds, node by node: each node runs for every sample before the next
    /// node, so an initializer is read once for all samples (loaded by its first reader, released after its
    /// last) and, without `keepsConstants`, a node's packed weights are dropped once it has run. Returns
    /// each sample's environment: every slot a requested value occupies is filled.
    private func execute(_ plan: ExecutionPlan, _ graph: Graph, feeds: [[ValueID: RuntimeValue]],
                         outer: [String: RuntimeValue], isMain: Bool, profile: RunProfile? = nil,
                         onNode: ((Int, Int) -> Void)? = nil) throws(EvaluationError) -> [[RuntimeValue?]] {
        var envs = [[RuntimeValue?]](repeating: [RuntimeValue?](repeating: nil, count: plan.slotCount), count: feeds.count)
        for (slot, source) in plan.sources {
            switch source {
            case .graphInput(let v):
                for s in envs.indices {
                    if let fed = feeds[s][v] {
                        envs[s][slot] = fed
                    } else if plan.deferred.contains(slot) {
                        continue // its default is loaded by the first node that reads it
                    } else if let tensor = graph.initializer(v) {
                        envs[s][slot] = .tensor(try initializer(v, tensor, isMain: isMain))
                    } else {
                        throw .missingInput(name: graph.value(v).name, expected: graph.runtimeInputs.map { graph.value($0).name })
                    }
                }
            case .constant(let v):
                guard let tensor = graph.initializer(v) else { continue }
                let array = RuntimeValue.tensor(try initializer(v, tensor, isMain: isMain))
                for s in envs.indices { envs[s][slot] = array }
            case .computed(let array):
                for s in envs.indices { envs[s][slot] = array }
            case .outerScope(let name):
                guard let array = outer[name] else {
                    throw .node(name: graph.name, opType: "subgraph", reason: "outer-scope value '\(name)' is not available")
                }
                for s in envs.indices { envs[s][slot] = array }
            }
        }

        // Slots that hold the same value in every sample: constants, and what nodes compute from them
        // alone (a weight standardized at run time, rotary tables): such a node runs once for all samples.
        var shared = Set<Int>()
        for (slot, source) in plan.sources {
            switch source {
            case .constant, .computed: shared.insert(slot)
            case .graphInput, .outerScope: break
            }
        }
        let inputs = KernelInputs()
        for (index, step) in plan.steps.enumerated() {
            // A weight multiplied in place is not decoded, unless the product turns out not to apply.
            let inPlace = isMain && !options.keepsConstants ? weightReadInPlace(step, graph) ?? convolutionWeightReadInPlace(step, graph) : nil
            // Likewise a large table a Gather picks rows from: only those rows are decoded.
            let byRows = isMain && !options.keepsConstants ? tableReadByRows(step, graph) : nil
            for (slot, v) in step.loads where slot != inPlace?.slot && slot != byRows?.slot {
                try load(slot, v, graph, into: &envs, isMain: isMain)
                shared.insert(slot)
            }
            var done = false
            if envs.count > 1, inPlace == nil, byRows == nil, ExecutionPlan.isComputedAhead(step.node),
               step.inputs.allSatisfy({ $0.map(shared.contains) ?? true }) {
                try run(step, env: &envs[0], inputs: inputs, outer: outer, profile: profile)
                for s in envs.indices.dropFirst() {
                    for slot in step.outputs.compactMap({ $0 }) { envs[s][slot] = envs[0][slot] }
                    for slot in step.released { envs[s][slot] = nil }
                }
                shared.formUnion(step.outputs.compactMap { $0 })
                done = true
            }
            if let inPlace {
                done = step.node.isOnnx("Conv")
                    ? try runConvolutionReadingWeightInPlace(step, inPlace.weight, envs: &envs, profile: profile)
                    : try runReadingWeightInPlace(step, inPlace.weight, envs: &envs, profile: profile)
                if !done { try load(inPlace.slot, inPlace.value, graph, into: &envs, isMain: isMain) }
            }
            if let byRows {
                done = try runGatheringRows(step, byRows.table, envs: &envs, profile: profile)
                if !done { try load(byRows.slot, byRows.value, graph, into: &envs, isMain: isMain) }
            }
            if !done, try !runStacked(step, envs: &envs, inputs: inputs, profile: profile) {
                for s in envs.indices {
                    try run(step, env: &envs[s], inputs: inputs, outer: outer, profile: profile)
                }
            }
            if !options.keepsConstants { step.info.forgetPackedConstants() }
            if isMain, let guardrail = options.memoryGuard { try guardrail.check(after: step.info.name, samples: envs.count) }
            onNode?(index + 1, plan.steps.count)
        }
        return envs
    }

    /// Whether an evaluation that does not keep constants multiplies `node`'s weight straight from its
    /// stored bytes (`StoredWeightProduct`), holding no decoded copy of it.
    public static func readsWeightInPlace(_ node: Node, in graph: Graph) -> Bool {
        StoredWeightProduct.weight(of: node, in: graph) != nil
    }

    /// Fills `slot` with initializer `v` in every sample's environment that lacks it (one array for all).
    private func load(_ slot: Int, _ v: ValueID, _ graph: Graph, into envs: inout [[RuntimeValue?]], isMain: Bool) throws(EvaluationError) {
        guard let tensor = graph.initializer(v) else { return }
        var array: RuntimeValue?
        for s in envs.indices where envs[s][slot] == nil {
            if array == nil { array = .tensor(try initializer(v, tensor, isMain: isMain)) }
            envs[s][slot] = array
        }
    }

    /// The weight of a MatMul or Gemm step that `StoredWeightProduct` multiplies in place: loaded by this
    /// step and read by no later one.
    private func weightReadInPlace(_ step: ExecutionPlan.Step, _ graph: Graph) -> (slot: Int, value: ValueID, weight: StoredWeightProduct.Weight)? {
        guard let (slot, value) = loadedForThisStepAlone(step, input: 1),
              let weight = StoredWeightProduct.weight(of: step.node, in: graph) else { return nil }
        return (slot, value, weight)
    }

    /// The slot of `step`'s input `k` and the initializer it holds, when this step loads it, reads it only
    /// as that input, and no later step reads it: then it may be read from its stored bytes instead.
    private func loadedForThisStepAlone(_ step: ExecutionPlan.Step, input k: Int) -> (slot: Int, value: ValueID)? {
        guard k < step.inputs.count, let slot = step.inputs[k], step.released.contains(slot),
              step.inputs.indices.allSatisfy({ $0 == k || step.inputs[$0] != slot }),
              let load = step.loads.first(where: { $0.slot == slot }) else { return nil }
        return (slot, load.value)
    }

    /// The weight of a Conv step of the exact reference (float64) that `StoredWeightConvolution` reads in
    /// place: loaded by this step and read by no later one.
    private func convolutionWeightReadInPlace(_ step: ExecutionPlan.Step, _ graph: Graph) -> (slot: Int, value: ValueID, weight: StoredWeightProduct.Weight)? {
        guard options.precision == .float64, let (slot, value) = loadedForThisStepAlone(step, input: 1),
              let weight = StoredWeightConvolution.weight(of: step.node, in: graph) else { return nil }
        return (slot, value, weight)
    }

    /// Runs a Conv step of the exact reference with its weight read in place, all samples' patches in one
    /// product. Returns false, with nothing changed, when the inputs do not suit it.
    private func runConvolutionReadingWeightInPlace(_ step: ExecutionPlan.Step, _ weight: StoredWeightProduct.Weight,
                                                    envs: inout [[RuntimeValue?]], profile: RunProfile?) throws(EvaluationError) -> Bool {
        guard step.outputs.count == 1, let outSlot = step.outputs[0] else { return false }
        var contexts: [KernelContext] = []
        for env in envs {
            let box = KernelInputs()
            box.values = step.inputs.enumerated().map { k, slot in k == 1 ? nil : slot.flatMap { env[$0] } }
            contexts.append(KernelContext(info: step.info, box: box, inferenceSemantics: options.inferenceSemantics,
                                          precision: options.precision, subgraphRunner: nil))
        }
        let start = profile == nil ? nil : ContinuousClock.now
        guard let results = try StoredWeightConvolution.convolve(contexts, weight: weight) else { return false }
        store(results, of: step, at: outSlot, in: &envs, readFrom: weight.tensor, profile: profile, since: start)
        return true
    }

    /// Puts each sample's result of `step`, computed outside its kernel, in `outSlot`, releases what the
    /// step read for the last time, gives back the pages of the stored tensor it read, and records the time.
    private func store(_ results: [NDArray], of step: ExecutionPlan.Step, at outSlot: Int, in envs: inout [[RuntimeValue?]],
                       readFrom stored: Tensor, profile: RunProfile?, since start: ContinuousClock.Instant?) {
        for s in envs.indices {
            envs[s][outSlot] = RuntimeValue.tensor(results[s]).adopted(by: options.precision)
            for slot in step.released { envs[s][slot] = nil }
        }
        if case .raw(let bytes) = stored.payload { bytes.dropResidentPages() }
        if let profile, let start { profile.record(step.node.qualifiedOpType, seconds: (ContinuousClock.now - start).seconds) }
    }

    /// The table of a Gather step that `StoredTableGather` reads by rows: loaded by this step and read by
    /// no later one.
    private func tableReadByRows(_ step: ExecutionPlan.Step, _ graph: Graph) -> (slot: Int, value: ValueID, table: Tensor)? {
        guard step.inputs.count == 2, let (slot, value) = loadedForThisStepAlone(step, input: 0),
              let table = StoredTableGather.table(of: step.node, in: graph) else { return nil }
        return (slot, value, table)
    }

    /// Runs a Gather step reading only the rows of its table that the samples' indices pick. Returns
    /// false, with nothing changed, when the indices do not suit it (the decoded path then reports why).
    private func runGatheringRows(_ step: ExecutionPlan.Step, _ table: Tensor, envs: inout [[RuntimeValue?]],
                                  profile: RunProfile?) throws(EvaluationError) -> Bool {
        guard let indexSlot = step.inputs[1], step.outputs.count == 1, let outSlot = step.outputs[0] else { return false }
        var indices: [NDArray] = []
        for env in envs {
            guard let i = env[indexSlot]?.tensor else { return false }
            indices.append(i)
        }
        let start = profile == nil ? nil : ContinuousClock.now
        guard let results = try StoredTableGather.gather(table, indices: indices, precision: options.precision) else { return false }
        store(results, of: step, at: outSlot, in: &envs, readFrom: table, profile: profile, since: start)
        return true
    }

    /// Runs a MatMul step with its weight read in place (`StoredWeightProduct`), all samples' rows
    /// stacked into one product when their shapes agree. Returns false, with nothing changed, when the
    /// left operands do not suit it.
    private func runReadingWeightInPlace(_ step: ExecutionPlan.Step, _ weight: StoredWeightProduct.Weight, envs: inout [[RuntimeValue?]],
                                         profile: RunProfile?) throws(EvaluationError) -> Bool {
        guard let aSlot = step.inputs[0], step.outputs.count == 1, let outSlot = step.outputs[0] else { return false }
        // A Gemm's bias, the same in every sample (a constant of the graph).
        var bias: NDArray?
        if step.inputs.count == 3, let cSlot = step.inputs[2] {
            guard let c = envs.first?[cSlot]?.tensor else { return false }
            bias = c
        }
        var lefts: [NDArray] = []
        for env in envs {
            guard let a = env[aSlot]?.tensor else { return false }
            lefts.append(a)
        }
        let start = profile == nil ? nil : ContinuousClock.now
        var products: [NDArray] = []
        if lefts.count > 1, lefts.allSatisfy({ $0.shape == lefts[0].shape && $0.elementType == lefts[0].elementType }) {
            guard let stacked = Self.stacked(lefts), let product = StoredWeightProduct.multiply(stacked, by: weight, bias: bias, precision: options.precision),
                  let parts = Self.unstacked(product, count: lefts.count) else { return false }
            products = parts
        } else {
            for a in lefts {
                guard let product = StoredWeightProduct.multiply(a, by: weight, bias: bias, precision: options.precision) else { return false }
                products.append(product)
            }
        }
        store(products, of: step, at: outSlot, in: &envs, readFrom: weight.tensor, profile: profile, since: start)
        return true
    }

    /// An initializer as this run holds it: kept by the interpreter (main graph, `keepsConstants`), or
    /// converted for this run, its mapped file pages given back once converted.
    private func initializer(_ v: ValueID, _ tensor: Tensor, isMain: Bool) throws(EvaluationError) -> NDArray {
        if isMain && options.keepsConstants { return try constants.array(for: v, tensor) }
        let array = try NDArray(tensor, precision: options.precision)
        if !options.keepsConstants, case .raw(let bytes) = tensor.payload { bytes.dropResidentPages() }
        return array
    }

    /// A MatMul by a constant matrix runs once for all samples, their rows stacked, and a convolution with
    /// constant weights once for all their images: the weight is packed once instead of once per sample.
    /// freezer's float product is one fma chain per element whatever the rows around it, so float results
    /// are the bits of one sample at a time; BLAS products (float64, and float without AVX-512) may differ
    /// in the last bits with the number of rows, deterministic for a given batch and far below what the
    /// equivalence criterion measures. Returns false (nothing done) where it does not apply.
    private func runStacked(_ step: ExecutionPlan.Step, envs: inout [[RuntimeValue?]], inputs: KernelInputs,
                            profile: RunProfile?) throws(EvaluationError) -> Bool {
        // MatMul by a constant matrix (rows on axis 0), or a 2-D+ convolution with constant weights and bias
        // (images on axis 0): each output row or image depends on its own input row or image alone.
        let isMatMul = step.node.isOnnx("MatMul"), isConv = step.node.isOnnx("Conv")
        guard envs.count > 1, isMatMul || isConv, step.inputs.count >= 2, let aSlot = step.inputs[0], let bSlot = step.inputs[1],
              step.info.constantInputs.count == step.inputs.count, step.info.constantInputs.dropFirst().allSatisfy({ $0 }),
              isConv || step.inputs.count == 2, step.outputs.count == 1, let outSlot = step.outputs[0] else { return false }
        var parts: [NDArray] = []
        for env in envs {
            guard let a = env[aSlot]?.tensor, let b = env[bSlot]?.tensor, a.elementType == b.elementType, a.kind == .float || a.kind == .double,
                  isMatMul ? a.rank >= 2 && b.rank == 2 : a.rank >= 4 && b.rank == a.rank,
                  parts.first.map({ $0.shape == a.shape }) ?? true else { return false }
            parts.append(a)
        }
        guard let stacked = Self.stacked(parts) else { return false }
        parts.removeAll()
        var single = envs[0]
        single[aSlot] = .tensor(stacked)
        try run(step, env: &single, inputs: inputs, outer: [:], profile: profile)
        guard let product = single[outSlot]?.tensor, let products = Self.unstacked(product, count: envs.count) else {
            throw .node(name: step.name, opType: step.node.opType, reason: "the stacked result was not computed as a floating-point array")
        }
        for s in envs.indices {
            envs[s][outSlot] = .tensor(products[s])
            for slot in step.released { envs[s][slot] = nil }
        }
        return true
    }

    /// Float arrays of one shape stacked along axis 0 (nil: another storage, or scalars).
    private static func stacked(_ parts: [NDArray]) -> NDArray? {
        guard let first = parts.first, !first.shape.isEmpty else { return nil }
        var shape = first.shape
        shape[0] *= parts.count
        switch first.storage {
        case .float: return NDArray(elementType: first.elementType, shape: shape, storage: .float(parts.flatMap(\.floats)))
        case .double: return NDArray(elementType: first.elementType, shape: shape, storage: .double(parts.flatMap(\.doubles)))
        default: return nil
        }
    }

    /// A stacked result cut back into `count` equal parts along axis 0.
    private static func unstacked(_ product: NDArray, count: Int) -> [NDArray]? {
        let size = product.count / count
        var shape = product.shape
        shape[0] /= count
        var parts: [NDArray] = []
        for s in 0..<count {
            let range = (s * size)..<((s + 1) * size)
            switch product.storage {
            case .float(let v): parts.append(NDArray(elementType: product.elementType, shape: shape, storage: .float(Array(v[range]))))
            case .double(let v): parts.append(NDArray(elementType: product.elementType, shape: shape, storage: .double(Array(v[range]))))
            default: return nil
            }
        }
        return parts
    }

    /// Runs one node on one sample's environment.
    private func run(_ step: ExecutionPlan.Step, env: inout [RuntimeValue?], inputs: KernelInputs, outer: [String: RuntimeValue],
                     profile: RunProfile?) throws(EvaluationError) {
        // Inputs read for the last time here leave the environment, so the kernel holds the only
        // reference and may reuse the buffer (copy-on-write still protects a buffer shared elsewhere).
        inputs.values.removeAll(keepingCapacity: true)
        for (k, slot) in step.inputs.enumerated() {
            guard let slot else { inputs.values.append(nil); continue }
            if step.handedOver[k] {
                inputs.values.append(env[slot].take())
            } else {
                inputs.values.append(env[slot])
            }
        }
        var subgraphRunner: KernelContext.SubgraphRunner? = nil
        if step.hasSubgraphs {
            var captured = outer
            for (name, slot) in step.captures { captured[name] = env[slot] }
            let owner = step.info
            subgraphRunner = { (sub, subInputs) throws(EvaluationError) in
                try self.runSubgraph(sub, inputs: subInputs, outer: captured, owner: owner)
            }
        }
        let context = KernelContext(info: step.info, box: inputs, inferenceSemantics: options.inferenceSemantics,
                                    precision: options.precision, subgraphRunner: subgraphRunner)
        let start = profile == nil ? nil : ContinuousClock.now
        defer {
            if let profile, let start {
                profile.record(step.node.qualifiedOpType, seconds: (ContinuousClock.now - start).seconds)
            }
        }
        do {
            let outputs = try step.kernel(context)
            inputs.values.removeAll(keepingCapacity: true)
            for (k, slot) in step.outputs.enumerated() {
                guard let slot else { continue }
                guard k < outputs.count, let value = outputs[k] else {
                    throw EvaluationError.node(name: step.name, opType: step.node.opType, reason: "output \(k) was not computed")
                }
                env[slot] = value.adopted(by: options.precision)
            }
        } catch let error as EvaluationError {
            throw error
        } catch {
            throw .node(name: step.name, opType: step.node.opType, reason: "\(error)")
        }
        for slot in step.released { env[slot] = nil }
    }

    /// Runs a subgraph (If branch, Loop or Scan body) with its inputs by position.
    /// The plan of a node's subgraph is kept with the node, so a Loop or Scan body is planned once, not
    /// on every iteration.
    func runSubgraph(_ graph: Graph, inputs: [RuntimeValue?], outer: [String: RuntimeValue], owner: NodeInfo) throws(EvaluationError) -> [RuntimeValue] {
        var feeds: [ValueID: RuntimeValue] = [:]
        for (k, id) in graph.inputs.enumerated() where k < inputs.count {
            if let array = inputs[k] { feeds[id] = array }
        }
        let plan = try owner.subgraphPlan(for: graph) { () throws(EvaluationError) in
            try ExecutionPlan(graph, wanted: graph.outputs, registry: registry, precision: options.precision)
        }
        let env = try execute(plan, graph, feeds: [feeds], outer: outer, isMain: false)[0]
        return try zip(graph.outputs, plan.wanted).map { (id, slot) throws(EvaluationError) -> RuntimeValue in
            guard let v = env[slot] else {
                throw .node(name: graph.name, opType: "subgraph", reason: "output '\(graph.value(id).name)' was not computed")
            }
            return v
        }
    }

    /// Checks a fed array against the declared input type: element type and every fixed dimension.
    /// Public so that every reader of input files refuses a file by this one rule before a run starts.
    public static func checkFeed(_ array: NDArray, against value: Value) throws(EvaluationError) {
        try checkFeed(.tensor(array), against: value)
    }

    /// Checks a fed value against the declared input type: a tensor where a tensor is declared, with its
    /// element type and every fixed dimension; a sequence or optional where one is declared.
    public static func checkFeed(_ fed: RuntimeValue, against value: Value) throws(EvaluationError) {
        guard let type = value.type else { return }
        guard let tensor = type.tensor else {
            switch (type.otherKind, fed) {
            case ("sequence", .sequence), ("optional", .optional): return
            case ("sequence", _), ("optional", _):
                throw .inputMismatch(name: value.name, expected: type.description, actual: fed.description)
            default: return
            }
        }
        guard case .tensor(let array) = fed else {
            throw .inputMismatch(name: value.name, expected: tensor.description, actual: fed.description)
        }
        // The messages are built only for a refusal: this runs on every run.
        func mismatch() -> EvaluationError {
            .inputMismatch(name: value.name, expected: tensor.description,
                           actual: "\(array.elementType)[\(array.shape.map(String.init).joined(separator: ","))]")
        }
        if tensor.elementType != array.elementType { throw mismatch() }
        guard let shape = tensor.shape else { return }
        if shape.count != array.rank { throw mismatch() }
        for (d, n) in zip(shape, array.shape) {
            if case .value(let v) = d, v != Int64(n) { throw mismatch() }
        }
    }
}

/// Initializers converted to arrays once per interpreter, so repeated runs do not re-read them.
final class ConstantCache: Sendable {
    private let arrays = Mutex<[ValueID: NDArray]>([:])
    private let precision: Precision

    /// How many initializers are held.
    var count: Int { arrays.withLock { $0.count } }

    init(precision: Precision) { self.precision = precision }

    func array(for id: ValueID, _ tensor: Tensor) throws(EvaluationError) -> NDArray {
        if let a = arrays.withLock({ $0[id] }) { return a }
        let a = try NDArray(tensor, precision: precision)
        arrays.withLock { $0[id] = a }
        return a
    }
}

/// Execution plans of the main graph by requested values, so repeated runs plan once.
final class PlanCache: Sendable {
    private let plans = Mutex<[[ValueID]: ExecutionPlan]>([:])

    func plan(for wanted: [ValueID], make: () throws(EvaluationError) -> ExecutionPlan) throws(EvaluationError) -> ExecutionPlan {
        if let p = plans.withLock({ $0[wanted] }) { return p }
        let p = try make()
        plans.withLock { $0[wanted] = p }
        return p
    }
}
