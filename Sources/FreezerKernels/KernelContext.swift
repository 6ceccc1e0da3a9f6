import FreezerIR
import Synchronization

/// What a kernel sees of the node it computes: inputs, attributes, the opset version in effect, and a
/// way to run subgraphs (for If, Loop, Scan).
public struct KernelContext {
    public typealias SubgraphRunner = (Graph, [RuntimeValue?]) throws(EvaluationError) -> [RuntimeValue]

    /// What does not change from run to run: prepared once per node, shared by reference.
    let info: NodeInfo
    /// The node's inputs (nil: optional input absent); held by the evaluator for the node's duration.
    let box: KernelInputs
    /// Whether to evaluate training forms as they behave at inference (see `Interpreter.Options`).
    public let inferenceSemantics: Bool
    /// The precision floating-point values are computed in (see `Interpreter.Options.precision`).
    public let precision: Precision
    let subgraphRunner: SubgraphRunner?

    public var node: Node { info.node }
    /// The node's display name, for messages.
    public var nodeName: String { info.name }
    /// The opset version in effect for the node.
    public var opset: Int64 { info.opset }

    /// The node's inputs as tensors (nil: absent, or a sequence or optional, which tensor kernels do
    /// not take; `value(_:)` reads those).
    public var inputs: [NDArray?] { box.values.map { $0?.tensor } }

    /// Number of inputs the node has (trailing optional inputs may be absent).
    public var inputCount: Int { box.values.count }

    /// Evaluates a subgraph attribute of this node with the given graph inputs (by position) and
    /// returns its outputs in order, all tensors. Outer-scope values are resolved from the enclosing
    /// evaluation.
    public func runSubgraph(_ graph: Graph, _ inputs: [NDArray?]) throws -> [NDArray] {
        let outputs = try runSubgraph(graph, values: inputs.map { $0.map(RuntimeValue.tensor) })
        return try outputs.enumerated().map { (k, v) throws(EvaluationError) -> NDArray in
            guard let a = v.tensor else { throw fail("output \(k) of the subgraph is a \(v.kindName), not a tensor") }
            return a
        }
    }

    /// Evaluates a subgraph attribute of this node with the given graph inputs (by position, any kind
    /// of value) and returns its outputs in order.
    public func runSubgraph(_ graph: Graph, values inputs: [RuntimeValue?]) throws(EvaluationError) -> [RuntimeValue] {
        guard let subgraphRunner else { throw fail("has no subgraph attribute to run") }
        return try subgraphRunner(graph, inputs)
    }

    /// Number of outputs the node declares (trailing optional outputs may be absent).
    public var outputCount: Int { info.node.outputs.count }

    /// Whether output `i` exists (kernels may skip computing absent optional outputs).
    public func outputIsNeeded(_ i: Int) -> Bool { i < info.declaredOutputs.count && info.declaredOutputs[i] }

    /// An error about this node.
    public func fail(_ reason: String) -> EvaluationError {
        .node(name: info.name, opType: info.node.opType, reason: reason)
    }

    /// A refusal of a feature of this operator that the evaluator does not implement (distinct from an
    /// invalid model: the model may be fine, freezer just cannot evaluate it).
    public func unsupportedFeature(_ feature: String) -> EvaluationError {
        .unsupportedFeature(node: info.name, opType: info.node.opType, feature: feature)
    }

    /// Required tensor input `i`.
    public func input(_ i: Int) throws(EvaluationError) -> NDArray {
        guard i < box.values.count, let v = box.values[i] else { throw fail("required input \(i) is missing") }
        guard case .tensor(let a) = v else { throw notATensor(i, v) }
        return a
    }

    /// Tensor input `i`, handed over to the kernel so that it can write its result into the input's buffer.
    ///
    /// When this node is the last reader of the value, the evaluator has already let go of it, so the
    /// returned array is the only reference and mutating it reuses the memory instead of allocating.
    /// Otherwise (the value is read later, is a constant, or a caller's input) copy-on-write copies it on
    /// the first write, so taking is always safe. After taking, `input(i)` reports the input as missing.
    public func takeInput(_ i: Int) throws(EvaluationError) -> NDArray {
        guard i < box.values.count, let v = box.values[i] else { throw fail("required input \(i) is missing") }
        guard case .tensor(let a) = v else { throw notATensor(i, v) }
        box.values[i] = nil
        return a
    }

    /// Optional tensor input `i`, nil when absent.
    public func optionalInput(_ i: Int) -> NDArray? { i < box.values.count ? box.values[i]?.tensor : nil }

    /// Required input `i`, of any kind (tensor, sequence, optional).
    public func value(_ i: Int) throws(EvaluationError) -> RuntimeValue {
        guard i < box.values.count, let v = box.values[i] else { throw fail("required input \(i) is missing") }
        return v
    }

    /// The element type the graph declares for input `i` (nil: absent or not declared). Under
    /// `Precision.float64` an input's array is float64 whatever its declared floating-point type, so a
    /// kernel whose result depends on the declared type (CastLike to float8) reads it here.
    public func declaredInputType(_ i: Int) -> ElementType? {
        i < info.declaredInputTypes.count ? info.declaredInputTypes[i] : nil
    }

    /// Input `i` of any kind, nil when absent.
    public func optionalValue(_ i: Int) -> RuntimeValue? { i < box.values.count ? box.values[i] : nil }

    /// Required input `i`, which must be a sequence.
    public func sequence(_ i: Int) throws(EvaluationError) -> TensorSequence {
        let v = try value(i)
        guard case .sequence(let s) = v else { throw fail("input \(i) must be a sequence, but is a \(v.kindName) (\(v))") }
        return s
    }

    /// Required input `i`, which must be a sequence, handed over to the kernel (see `takeInput`): when this
    /// node is its last reader, inserting or erasing edits the sequence without copying its element list.
    public func takeSequence(_ i: Int) throws(EvaluationError) -> TensorSequence {
        let s = try sequence(i)
        box.values[i] = nil
        return s
    }

    private func notATensor(_ i: Int, _ v: RuntimeValue) -> EvaluationError {
        fail("input \(i) is a \(v.kindName) (\(v)), but this operator takes a tensor there")
    }

    /// Whether input `i` is a constant of the graph: the same array on every run, worth preparing once.
    public func inputIsConstant(_ i: Int) -> Bool { i < info.constantInputs.count && info.constantInputs[i] }


    public func attribute(_ name: String) -> Attribute? { info.node.attribute(name) }

    public func int(_ name: String, default value: Int64) -> Int64 { info.node.attribute(name)?.intValue ?? value }
    public func int(_ name: String) -> Int64? { info.node.attribute(name)?.intValue }
    public func float(_ name: String, default value: Float) -> Float { info.node.attribute(name)?.floatValue ?? value }
    public func string(_ name: String, default value: String) -> String { info.node.attribute(name)?.stringValue ?? value }
    public func ints(_ name: String) -> [Int64]? { info.node.attribute(name)?.intsValue }
    public func floats(_ name: String) -> [Float]? {
        if case .floats(let v) = info.node.attribute(name)?.value { return v }
        return nil
    }
    public func graph(_ name: String) throws(EvaluationError) -> Graph {
        guard case .graph(let g) = info.node.attribute(name)?.value else { throw fail("attribute '\(name)' (a graph) is missing") }
        return g
    }

    /// Normalizes a possibly negative axis for a tensor of `rank`.
    public func axis(_ a: Int64, rank: Int) throws(EvaluationError) -> Int {
        let r = Int64(rank)
        guard a >= -r && a < max(r, 1) else { throw fail("axis \(a) is out of range for rank \(rank)") }
        return Int(a < 0 ? a + r : a)
    }
}

/// A packed constant operand with the array it was packed from (see `NodeInfo.packedConstant`).
final class PackedConstant: @unchecked Sendable {
    // Immutable; `values` only keeps the source buffer alive.
    let values: Any
    let address: UnsafeRawPointer?
    let packed: PackedMatrix

    init(values: Any, address: UnsafeRawPointer?, packed: PackedMatrix) {
        self.values = values
        self.address = address
        self.packed = packed
    }
}

/// The inputs of the node being evaluated. A class, so that a kernel can take an input out of it (see
/// `KernelContext.takeInput`) and leave the evaluator without a second reference to the buffer.
final class KernelInputs {
    var values: [RuntimeValue?] = []
}

/// The parts of a kernel's context that are fixed for a node: built when a graph is planned.
final class NodeInfo: @unchecked Sendable {
    // Immutable; Node is Sendable, the class only avoids copying it for every evaluation.
    let node: Node
    let name: String
    let opset: Int64
    /// Per declared output: whether the node names it (trailing optional outputs may be absent).
    let declaredOutputs: [Bool]

    /// Per input: whether it is a constant of the graph (an initializer that is not a graph input, or a
    /// Constant node's output), the same array on every run.
    let constantInputs: [Bool]
    /// Per input: the element type the graph declares for it, if it does.
    let declaredInputTypes: [ElementType?]

    /// Plans of the node's subgraph attributes, by position (attribute, graph within it).
    private let subgraphPlans = Mutex<[[Int]: ExecutionPlan]>([:])
    /// The broadcast plan of the two input shapes the node saw last (see `KernelContext.broadcastPlan`).
    private let broadcast = Mutex<(a: [Int], b: [Int], plan: BroadcastPlan)?>(nil)
    /// Packed forms of constant matrix operands, by a key the kernel chooses (see `packedConstant`).
    private let packedConstants = Mutex<[[Int]: PackedConstant]>([:])

    init(_ node: Node, name: String, constantInputs: [Bool] = [], declaredInputTypes: [ElementType?] = []) {
        self.node = node
        self.name = name
        opset = node.opsetVersion ?? 1
        declaredOutputs = node.outputs.map { $0 != nil }
        self.constantInputs = constantInputs
        self.declaredInputTypes = declaredInputTypes
    }

    func lastBroadcastPlan(_ a: [Int], _ b: [Int]) -> BroadcastPlan? {
        broadcast.withLock { last in
            guard let last, last.a == a, last.b == b else { return nil }
            return last.plan
        }
    }

    func keepBroadcastPlan(_ plan: BroadcastPlan, for a: [Int], _ b: [Int]) {
        broadcast.withLock { $0 = (a, b, plan) }
    }

    /// The packed form of a constant operand, packed on first use and kept for later runs.
    ///
    /// The entry keeps the array it was packed from: while it holds that buffer, no other array can have
    /// the same address and copy-on-write keeps its elements unchanged, so an equal address proves the
    /// cached form is still the operand's (an input that turned out not to be constant is repacked).
    func packedConstant<T>(_ key: [Int], of values: [T], make: () -> PackedMatrix) -> PackedMatrix {
        let address = values.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
        if let entry = packedConstants.withLock({ $0[key] }), entry.address == address { return entry.packed }
        let packed = make()
        packedConstants.withLock { $0[key] = PackedConstant(values: values, address: address, packed: packed) }
        return packed
    }

    /// Drops the packed constant operands (they are packed again if the node runs again).
    func forgetPackedConstants() { packedConstants.withLock { $0.removeAll() } }

    /// The plan of `graph` when it is one of the node's subgraph attributes (planned on first use),
    /// else a new plan. Kernels pass the attribute's graph itself, which compares equal in constant time
    /// (same storage); any other graph is planned afresh.
    func subgraphPlan(for graph: Graph, make: () throws(EvaluationError) -> ExecutionPlan) throws(EvaluationError) -> ExecutionPlan {
        var key: [Int]? = nil
        search: for (a, attribute) in node.attributes.enumerated() {
            for (g, sub) in attribute.subgraphs.enumerated() where sub == graph {
                key = [a, g]
                break search
            }
        }
        guard let key else { return try make() }
        if let plan = subgraphPlans.withLock({ $0[key] }) { return plan }
        let plan = try make()
        subgraphPlans.withLock { $0[key] = plan }
        return plan
    }
}
