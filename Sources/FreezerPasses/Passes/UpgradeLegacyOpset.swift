import FreezerIR
import FreezerInspect

/// Rewrites a model whose default-domain opset is below 7 into its opset-7 form.
///
/// onnxruntime has no kernels for many default-domain operator versions before 7 (`Relu-1`, `Mul-6`,
/// `BatchNormalization-6`, ...), so a frozen model that keeps `opset_import ai.onnx 1` does not load there.
/// Every node of the main graph and of every subgraph is checked against a table of what changed between
/// its version and the one in effect at opset 7 (taken from the ONNX operator changelog). The upgrade is
/// all or nothing: when one node has no known exact opset-7 form, nothing changes, the opset stays, and
/// a skip names the node and why.
public struct UpgradeLegacyOpset: Pass {
    public static let name = "UpgradeLegacyOpset"
    static let target: Int64 = 7
    public static let documentation = PassDocumentation(
        id: "PASS-UPGRADE-OPSET",
        summary: "Raise a default-domain opset below 7 to 7, rewriting every node into its opset-7 form (onnxruntime has no kernels for most older versions).",
        before: "opset_import ai.onnx 1..6; Mul(X, B[C]; broadcast = 1, axis = 1); PRelu(X, slope[C]); BatchNormalization(...; is_test = 1, consumed_inputs); Reshape(X; shape = [...]); Concat(...) without axis",
        after: "opset_import ai.onnx 7; Mul(X, B'[C,1,1]) with B' a new constant (or Unsqueeze(B) when B is computed); PRelu(X, slope'[C,1,1]); BatchNormalization(...) without is_test and consumed_inputs; Reshape(X, shape initializer); Concat(...; axis = 1)",
        conditions: [
            "Runs only when the default-domain opset import is below 7; ir_version is raised to 3 when lower.",
            "consumed_inputs (an in-place hint) is dropped wherever it appears (Relu, Add, Mul, BatchNormalization, ...).",
            "Add, Sub, Mul, Div, Pow, And, Or, Xor, Equal, Greater, Less with broadcast = 1: B is reshaped to NumPy-broadcastable form by appending 1-dims after axis (a new constant, or Unsqueeze when B is computed); a negative axis needs B's rank, a non-negative one also A's rank. broadcast = 0 (equal shapes) just loses the attribute. Gemm loses broadcast (C broadcasts unidirectionally from 7).",
            "PRelu before 7 applies a 1-D slope [C] along axis 1 of an input of rank > 2: the slope becomes [C,1,...]. When X's channel dimension is known and differs from C, the slope is left for NumPy broadcasting.",
            "BatchNormalization and Dropout must already be in inference form (is_test = 1: MakeBatchNormInference and RemoveDropout ran); is_test goes, spatial stays. A Dropout whose mask is read is not upgraded (the model keeps its opset; the skip is logged): onnxruntime's Dropout-7 returns an all-zero mask, freezer's inference mask is all ones.",
            "Reshape-1 takes its shape attribute as an int64 initializer; Concat before 4 gets its implicit axis = 1; Cast-1's type name becomes its number; Pad-1's paddings become pads; Split-1's constant split input becomes the attribute; Tile-1's constant tiles/axis become repeats; LpPool-1 p becomes an int; Selu-1 gets its opset-1 defaults written out; recurrent ops lose output_sequence only when it cannot change the outputs.",
            "Any other operator that changed before 7, any unknown default-domain operator, Upsample-1 and model-local functions are not upgraded: the whole model keeps its opset (the conversion goes on) and the skip names the nodes.",
        ],
        formula: "Legacy broadcast: B of shape [b₀..bₖ] placed at axis a of A (rank r) ≡ NumPy broadcast of B reshaped to [b₀..bₖ, 1 × (r − a − k − 1)]",
        limits: [
            PassLimit("A model below opset 7 with an operator the upgrade does not rewrite (any other operator that changed before 7, an unknown default-domain operator, Upsample-1, model-local functions, a read Dropout mask): the whole model keeps its opset", exitCode: nil),
        ])

    public init() {}

    public func run(on model: inout Model, context: inout PassContext) throws(PassError) {
        guard let opset = model.opsetVersion(for: ""), opset < Self.target else { return }
        if let function = model.functions.first(where: { $0.nodes.contains(where: \.isDefaultDomain) }) {
            context.skip(.parameters, graph: "main", node: function.name,
                         reason: "model-local function '\(function.name)' uses default-domain operators at opset \(opset) and its body is kept as read; the model keeps opset \(opset), which onnxruntime may not load")
            return
        }
        var work = model
        var changes: [(graph: String, nodes: [String], notes: [String])] = []
        var refusals: [(graph: String, node: String, op: String, reason: String)] = []
        var upgradedNodes = 0
        try work.rewriteGraphs { (graph, path) throws(PassError) in
            var upgrade = LegacyGraphUpgrade(graph: graph, opset: opset)
            var changed: [String] = []
            var notes: [String] = []
            for node in graph.nodes where node.isDefaultDomain {
                let name = graph.displayName(node.id)
                switch upgrade.rewrite(node.id) {
                case .unchanged: break
                case .changed(let what):
                    changed.append(name)
                    notes.append("\(name) (\(node.opType)): \(what.joined(separator: ", "))")
                case .refused(let reason):
                    refusals.append((path, name, node.opType, "cannot upgrade \(node.opType) '\(name)' from opset \(opset) to \(Self.target): \(reason)"))
                }
            }
            graph = upgrade.graph
            if upgrade.addedNodes {
                do { try graph.sortTopologically() } catch {
                    throw PassError(pass: Self.name, "graph '\(path)' has no valid order after the upgrade: \(error)")
                }
            }
            for node in graph.nodes where node.isDefaultDomain {
                graph.updateNode(node.id) { $0.opsetVersion = Self.target }
                upgradedNodes += 1
            }
            if !changed.isEmpty { changes.append((path, changed, notes)) }
        }
        guard refusals.isEmpty else {
            let ops = Set(refusals.map(\.op)).sorted().joined(separator: ", ")
            for r in refusals {
                context.skip(.parameters, graph: r.graph, node: r.node,
                             reason: "\(r.reason). The model keeps opset \(opset) (refused operators: \(ops)); onnxruntime may not load it")
            }
            return
        }
        for k in work.opsetImports.indices where work.opsetImports[k].isDefaultDomain {
            work.opsetImports[k].version = Self.target
        }
        let oldIR = work.irVersion
        work.irVersion = max(work.irVersion, 3)
        model = work
        for change in changes {
            context.record(.parameters, graph: change.graph, nodes: change.nodes, action: "upgraded to opset \(Self.target)",
                           detail: change.notes.joined(separator: "; "))
        }
        let rewritten = changes.map(\.nodes.count).reduce(0, +)
        context.record(.parameters, graph: "main", nodes: [], action: "raised opset",
                       detail: "opset_import ai.onnx \(opset) → \(Self.target)" + (oldIR != work.irVersion ? "; ir_version \(oldIR) → \(work.irVersion)" : "")
                           + "; \(upgradedNodes) default-domain node\(upgradedNodes == 1 ? "" : "s") now read at opset \(Self.target), \(rewritten) of them rewritten")
    }
}

/// The rewrite of one graph's nodes into their opset-7 forms.
struct LegacyGraphUpgrade {
    enum Outcome {
        case unchanged
        case changed([String])
        case refused(String)
    }

    var graph: Graph
    let opset: Int64
    /// Shapes known before the rewrite: declared, from initializers, or carried through simple operators.
    let shapes: [ValueID: [Dimension]]
    private(set) var addedNodes = false
    /// Reshaped copies of constants already made: (original, new dims) → new constant.
    private var reshaped: [String: ValueID] = [:]

    init(graph: Graph, opset: Int64) {
        self.graph = graph
        self.opset = opset
        shapes = LegacyShapes.infer(graph)
    }

    /// Operators whose schema had `consumed_inputs` before opset 7.
    static let consumedInputs: Set<String> = [
        "Abs", "Add", "BatchNormalization", "Ceil", "Clip", "Div", "Dropout", "Elu", "Exp", "Floor", "HardSigmoid",
        "InstanceNormalization", "LeakyRelu", "Log", "Max", "Mean", "Min", "Mul", "Neg", "PRelu", "Reciprocal",
        "Relu", "Reshape", "Selu", "Sigmoid", "Sqrt", "Sub", "Sum", "Tanh",
    ]
    /// Operators that changed before 7 only by dropping `consumed_inputs`.
    static let onlyConsumedInputs: Set<String> = [
        "Abs", "Ceil", "Clip", "Elu", "Exp", "Floor", "HardSigmoid", "InstanceNormalization", "LeakyRelu", "Log",
        "Max", "Mean", "Min", "Neg", "Reciprocal", "Relu", "Sigmoid", "Sqrt", "Sum", "Tanh",
    ]
    /// Operators with the legacy `broadcast`/`axis` attributes.
    static let legacyBroadcast: Set<String> = ["Add", "Sub", "Mul", "Div", "Pow", "And", "Or", "Xor", "Equal", "Greater", "Less"]
    /// Operators whose version in effect is the same at every opset from 1 to 7 (ONNX changelog), plus
    /// AveragePool, whose opset-7 count_include_pad defaults to the older behaviour (pads not counted).
    static let unchanged: Set<String> = [
        "ArgMax", "ArgMin", "AveragePool", "Constant", "Conv", "ConvTranspose", "DepthToSpace", "Flatten", "Gather",
        "GlobalAveragePool", "GlobalMaxPool", "Hardmax", "Identity", "If", "LRN", "LogSoftmax", "Loop", "LpNormalization",
        "MatMul", "MaxPool", "MaxRoiPool", "Not", "RandomNormal", "RandomNormalLike", "RandomUniform", "RandomUniformLike",
        "ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceMax", "ReduceMean", "ReduceMin", "ReduceProd",
        "ReduceSum", "ReduceSumSquare", "Shape", "Size", "Slice", "Softmax", "Softplus", "Softsign", "SpaceToDepth",
        "Squeeze", "TopK", "Transpose", "Unsqueeze",
    ]

    mutating func rewrite(_ id: NodeID) -> Outcome {
        let node = graph.node(id)
        let op = node.opType
        var notes: [String] = []
        var attributes = node.attributes
        func drop(_ names: String...) {
            for name in names where attributes.contains(where: { $0.name == name }) {
                attributes.removeAll { $0.name == name }
                notes.append("dropped \(name)")
            }
        }
        func set(_ attribute: Attribute, note: String) {
            attributes.removeAll { $0.name == attribute.name }
            attributes.append(attribute)
            notes.append(note)
        }
        if Self.consumedInputs.contains(op) { drop("consumed_inputs") }

        switch op {
        case _ where Self.unchanged.contains(op) || Self.onlyConsumedInputs.contains(op):
            break
        case _ where Self.legacyBroadcast.contains(op):
            let broadcast = node.attribute("broadcast")?.intValue ?? 0
            if broadcast == 1 {
                switch legacyBroadcast(id, axis: node.attribute("axis")?.intValue) {
                case .success(let note): if let note { notes.append(note) }
                case .failure(let refusal): return .refused(refusal.reason)
                }
            }
            drop("broadcast", "axis")
        case "Gemm":
            drop("broadcast")
        case "PRelu":
            switch perChannelSlope(id) {
            case .success(let note): if let note { notes.append(note) }
            case .failure(let refusal): return .refused(refusal.reason)
            }
        case "BatchNormalization", "Dropout":
            let isTest = node.attribute("is_test")?.intValue ?? 0
            if isTest != 1 {
                return .refused("is_test is \(isTest) (training mode): it must be in inference form first (run MakeBatchNormInference / RemoveDropout)")
            }
            if op == "Dropout", node.outputs.count > 1, let mask = node.outputs[1], graph.isUsed(mask) {
                // freezer's inference mask is all ones; onnxruntime's Dropout-7 returns an all-zero mask.
                return .refused("its mask output '\(graph.value(mask).name)' is read, and onnxruntime's Dropout-7 returns an all-zero mask at inference where freezer's is all ones")
            }
            drop("is_test")
        case "Concat":
            if opset < 4, node.attribute("axis") == nil {
                set(Attribute(name: "axis", value: .int(1)), note: "made the implicit axis = 1 explicit")
            }
        case "Reshape":
            if opset < 5 {
                guard let shape = node.attribute("shape")?.intsValue else { return .refused("Reshape-1 without a 'shape' attribute") }
                guard node.inputs.count == 1 else { return .refused("Reshape-1 with more than one input") }
                let name = node.name.isEmpty ? "\(graph.value(node.outputs[0]!).name)_shape" : "\(node.name)_shape"
                let constant = graph.addInitializer(.makeInt64(name: name, dims: [Int64(shape.count)], values: shape))
                graph.setInput(id, 1, to: constant)
                attributes.removeAll { $0.name == "shape" }
                notes.append("shape attribute \(shape) → input '\(graph.value(constant).name)'")
            }
        case "Cast":
            if let typeName = node.attribute("to")?.stringValue {
                guard let type = Self.typeNames[typeName.uppercased()] else { return .refused("'to' = \"\(typeName)\" is not a known type name") }
                set(Attribute(name: "to", value: .int(Int64(type.rawValue))), note: "to \"\(typeName)\" → \(type.rawValue)")
            }
        case "Pad":
            if opset < 2, let paddings = node.attribute("paddings")?.intsValue {
                attributes.removeAll { $0.name == "paddings" }
                set(Attribute(name: "pads", value: .ints(paddings)), note: "paddings → pads")
            }
        case "Split":
            if opset < 2, node.inputs.count > 1, let split = node.inputs[1] {
                guard let tensor = graph.constantValue(split), let sizes = try? tensor.int64s() else {
                    return .refused("Split-1 reads its split sizes from a computed input; opset 2 needs them as an attribute")
                }
                graph.setInput(id, 1, to: nil)
                set(Attribute(name: "split", value: .ints(sizes)), note: "split input → attribute \(sizes)")
            }
        case "Tile":
            if opset < 6 {
                func scalar(_ k: Int) -> Int64? {
                    guard k < node.inputs.count, let v = node.inputs[k], let t = graph.constantValue(v), t.elementCount == 1 else { return nil }
                    return (try? t.int64s())?.first
                }
                guard node.inputs.count == 3, let tiles = scalar(1), let axis = scalar(2) else {
                    return .refused("Tile-1 with computed tiles or axis; opset 6 needs a count per dimension")
                }
                guard let x = node.inputs[0], let rank = shapes[x]?.count, rank > 0, axis >= -Int64(rank), axis < Int64(rank) else {
                    return .refused("the rank of Tile-1's input is unknown; opset 6 needs a count per dimension")
                }
                var repeats = [Int64](repeating: 1, count: rank)
                repeats[Int(axis < 0 ? axis + Int64(rank) : axis)] = tiles
                let base = node.name.isEmpty ? graph.value(node.outputs[0]!).name : node.name
                let constant = graph.addInitializer(.makeInt64(name: "\(base)_repeats", dims: [Int64(rank)], values: repeats))
                graph.truncateInputs(id, to: 1)
                graph.setInput(id, 1, to: constant)
                notes.append("tiles \(tiles) at axis \(axis) → repeats \(repeats)")
            }
        case "LpPool", "GlobalLpPool":
            if opset < 2 {
                if op == "LpPool" && node.attribute("kernel_shape") == nil { return .refused("LpPool-1 without kernel_shape") }
                let p = node.attribute("p")?.floatValue ?? 2
                guard p.rounded() == p, abs(p) < 1e9 else { return .refused("p = \(p) is not an integer, and opset 2 takes an integer p") }
                set(Attribute(name: "p", value: .int(Int64(p))), note: "p \(p) → \(Int64(p))")
            }
        case "Selu":
            // Opset 1 rounded the defaults (1.6732, 1.0507); opset 6 has more digits.
            if opset < 6 {
                if node.attribute("alpha") == nil { set(Attribute(name: "alpha", value: .float(1.6732)), note: "wrote out opset-1 default alpha = 1.6732") }
                if node.attribute("gamma") == nil { set(Attribute(name: "gamma", value: .float(1.0507)), note: "wrote out opset-1 default gamma = 1.0507") }
            }
        case "RNN", "GRU", "LSTM":
            if let sequence = node.attribute("output_sequence")?.intValue {
                let yUsed = node.outputs.first.flatMap { $0 }.map { graph.isUsed($0) } ?? false
                guard sequence == 1 || !yUsed else {
                    return .refused("output_sequence = 0 with output Y read: opset 7 has no such form")
                }
                drop("output_sequence")
            } else if let y = node.outputs.first ?? nil, graph.isUsed(y) {
                return .refused("output_sequence defaults to 0 before opset 7 while output Y is read: opset 7 has no such form")
            }
            if op == "GRU", opset < 3 {
                if node.attribute("direction")?.stringValue == "foward" {
                    set(Attribute(name: "direction", value: .string(Array("forward".utf8))), note: "direction \"foward\" → \"forward\"")
                }
            }
        case "Upsample":
            return .refused("Upsample-1 was experimental (width_scale/height_scale); its upgrade is not implemented")
        default:
            return .refused("\(op) has no known opset-7 form (not in the ONNX operators of opsets 1–6, or experimental)")
        }
        guard !notes.isEmpty else { return .unchanged }
        graph.setAttributes(id, attributes)
        return .changed(notes)
    }

    static let typeNames: [String: ElementType] = [
        "FLOAT": .float, "UINT8": .uint8, "INT8": .int8, "UINT16": .uint16, "INT16": .int16, "INT32": .int32,
        "INT64": .int64, "STRING": .string, "BOOL": .bool, "FLOAT16": .float16, "DOUBLE": .double,
        "UINT32": .uint32, "UINT64": .uint64,
    ]

    struct Refusal: Error { var reason: String }

    /// Legacy `broadcast = 1`: places B at `axis` of A by appending 1-dims to B (nil note: already NumPy-compatible).
    mutating func legacyBroadcast(_ id: NodeID, axis: Int64?) -> Result<String?, Refusal> {
        let node = graph.node(id)
        guard node.inputs.count == 2, let a = node.inputs[0], let b = node.inputs[1] else {
            return .failure(Refusal(reason: "broadcast = 1 needs two inputs"))
        }
        let rankA = shapes[a]?.count
        if let tensor = graph.constantValue(b) {
            let rankB = tensor.dims.count
            if tensor.elementCount == 1 {
                // A one-element B is a scalar in legacy broadcasting, whatever its rank and axis.
                if rankB == 0 || (rankA.map { rankB <= $0 } ?? false) { return .success(nil) }
                return .success(replaceConstant(b, tensor, of: id, dims: []))
            }
            guard let axis else { return .success(nil) } // trailing alignment is NumPy's
            guard let trailing = trailingOnes(axis: axis, rankA: rankA, rankB: rankB) else {
                return .failure(Refusal(reason: "axis = \(axis) is non-negative and the rank of input 0 ('\(graph.value(a).name)') is unknown, so the 1-dims B needs cannot be counted"))
            }
            guard trailing >= 0 else { return .failure(Refusal(reason: "B of shape \(tensor.dims) does not fit input 0 at axis \(axis)")) }
            if trailing == 0 { return .success(nil) }
            return .success(replaceConstant(b, tensor, of: id, dims: tensor.dims + [Int64](repeating: 1, count: trailing)))
        }
        guard let axis else { return .success(nil) }
        guard let rankB = shapes[b]?.count else {
            return .failure(Refusal(reason: "B ('\(graph.value(b).name)') is computed and its rank is unknown, so the 1-dims it needs at axis \(axis) cannot be counted"))
        }
        guard let trailing = trailingOnes(axis: axis, rankA: rankA, rankB: rankB) else {
            return .failure(Refusal(reason: "axis = \(axis) is non-negative and the rank of input 0 ('\(graph.value(a).name)') is unknown"))
        }
        guard trailing >= 0 else { return .failure(Refusal(reason: "B of rank \(rankB) does not fit input 0 at axis \(axis)")) }
        if trailing == 0 { return .success(nil) }
        return .success(unsqueeze(b, into: id, slot: 1, axes: (0..<trailing).map { Int64(rankB + $0) }))
    }

    /// How many 1-dims follow B once placed at `axis` of A (nil: A's rank is needed and unknown).
    private func trailingOnes(axis: Int64, rankA: Int?, rankB: Int) -> Int? {
        if axis < 0 { return Int(-axis) - rankB }
        guard let rankA else { return nil }
        return rankA - Int(axis) - rankB
    }

    /// PRelu before 7: a 1-D slope [C] of an input of rank r > 2 applies along axis 1 → [C, 1 × (r − 2)].
    mutating func perChannelSlope(_ id: NodeID) -> Result<String?, Refusal> {
        let node = graph.node(id)
        guard node.inputs.count == 2, let x = node.inputs[0], let slope = node.inputs[1] else {
            return .failure(Refusal(reason: "PRelu needs two inputs"))
        }
        let constant = graph.constantValue(slope)
        guard let slopeShape = constant.map({ $0.dims.map(Dimension.value) }) ?? shapes[slope] else {
            return .failure(Refusal(reason: "the rank of the computed slope ('\(graph.value(slope).name)') is unknown"))
        }
        guard slopeShape.count == 1 else { return .success(nil) }
        guard case .value(let c) = slopeShape[0] else {
            return .failure(Refusal(reason: "the length of the computed 1-D slope ('\(graph.value(slope).name)') is unknown"))
        }
        if c == 1 { return .success(nil) }
        guard let xShape = shapes[x] else {
            return .failure(Refusal(reason: "the rank of X ('\(graph.value(x).name)') is unknown, so the per-channel slope cannot be reshaped"))
        }
        guard xShape.count > 2 else { return .success(nil) }
        if case .value(let channels) = xShape[1], channels != c { return .success(nil) } // NumPy broadcasting, as before
        let ones = xShape.count - 2
        if let constant { return .success(replaceConstant(slope, constant, of: id, dims: [c] + [Int64](repeating: 1, count: ones))) }
        return .success(unsqueeze(slope, into: id, slot: 1, axes: (1...ones).map(Int64.init)))
    }

    /// Makes input 1 of `node` read a copy of constant `value` with `dims` (shared between nodes).
    private mutating func replaceConstant(_ value: ValueID, _ tensor: Tensor, of node: NodeID, dims: [Int64]) -> String {
        let oldName = graph.value(value).name
        let key = "\(oldName)|\(dims)"
        let replacement: ValueID
        if let existing = reshaped[key] {
            replacement = existing
        } else {
            var copy = tensor
            copy.dims = dims
            copy.name = "\(oldName)_opset7"
            copy.externalSource = nil
            replacement = graph.addInitializer(copy)
            reshaped[key] = replacement
        }
        graph.setInput(node, 1, to: replacement)
        return "input '\(oldName)' \(tensor.dims) → constant '\(graph.value(replacement).name)' \(dims)"
    }

    /// Makes input `slot` of `node` read `Unsqueeze(value, axes)`.
    private mutating func unsqueeze(_ value: ValueID, into node: NodeID, slot: Int, axes: [Int64]) -> String {
        let name = graph.value(value).name
        let base = graph.node(node).name.isEmpty ? name : graph.node(node).name
        let u = graph.addNode(opType: "Unsqueeze", opsetVersion: UpgradeLegacyOpset.target, name: "\(base)_unsqueeze",
                              inputs: [value], outputNames: ["\(name)_opset7"],
                              attributes: [Attribute(name: "axes", value: .ints(axes))])
        graph.setInput(node, slot, to: graph.node(u).outputs[0]!)
        addedNodes = true
        return "input '\(name)' → Unsqueeze(axes \(axes)) '\(graph.displayName(u))'"
    }
}

/// Shapes of a graph's values as far as declarations, initializers and simple operators tell, without a
/// full shape inference. Used only to count dimensions: an unknown shape makes the upgrade refuse.
enum LegacyShapes {
    /// Outputs with the shape of input 0.
    static let sameShape: Set<String> = [
        "Abs", "Ceil", "Elu", "Exp", "Floor", "HardSigmoid", "LeakyRelu", "Log", "Neg", "Reciprocal", "Relu", "Selu",
        "Sigmoid", "Sqrt", "Tanh", "Clip", "Cast", "Softplus", "Softsign", "Not", "Identity", "Dropout", "BatchNormalization",
        "InstanceNormalization", "LRN", "Softmax", "LogSoftmax", "Hardmax", "LpNormalization", "PRelu",
        // Before 7, these have input 0's shape (B is broadcast to it) and Sum/Max/Min/Mean take equal shapes.
        "Add", "Sub", "Mul", "Div", "Pow", "And", "Or", "Xor", "Equal", "Greater", "Less", "Sum", "Max", "Min", "Mean",
    ]
    /// Outputs with the rank of input 0.
    static let sameRank: Set<String> = [
        "ConvTranspose", "MaxPool", "AveragePool", "LpPool", "GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool",
        "Pad", "Slice", "Transpose", "Concat", "Tile", "Split", "Upsample", "DepthToSpace", "SpaceToDepth", "MaxRoiPool",
    ]

    static func infer(_ graph: Graph) -> [ValueID: [Dimension]] {
        var known: [ValueID: [Dimension]] = [:]
        func declared(_ v: ValueID) -> [Dimension]? { graph.value(v).type?.tensor?.shape }
        for (id, tensor) in graph.initializers { known[id] = tensor.dims.map(Dimension.value) }
        for id in graph.inputs { if let s = declared(id) { known[id] = s } }
        let order = (try? graph.topologicalOrder()) ?? graph.nodes.map(\.id)
        for id in order {
            let node = graph.node(id)
            func input(_ k: Int) -> [Dimension]? {
                guard k < node.inputs.count, let v = node.inputs[k] else { return nil }
                return known[v] ?? declared(v)
            }
            var out: [Dimension]?
            let op = node.isDefaultDomain ? node.opType : ""
            if let c = node.constantTensor {
                out = c.dims.map(Dimension.value)
            } else if sameShape.contains(op) {
                out = input(0)
            } else if sameRank.contains(op) {
                out = input(0).map { [Dimension](repeating: .unknown, count: $0.count) }
            } else if op == "Conv" {
                if let x = input(0), x.count > 1 {
                    var s = [Dimension](repeating: .unknown, count: x.count)
                    s[0] = x[0]
                    if let w = input(1), let c = w.first { s[1] = c }
                    out = s
                }
            } else if op == "Gemm" || op == "MatMul" && input(0)?.count == 2 && input(1)?.count == 2 || op == "Flatten" {
                out = [.unknown, .unknown]
            } else if op == "Reshape" {
                if let shape = node.attribute("shape")?.intsValue { out = shape.map { $0 > 0 ? .value($0) : .unknown } }
                else if node.inputs.count > 1, let s = node.inputs[1], let t = graph.constantValue(s), let dims = try? t.int64s() {
                    out = dims.map { $0 > 0 ? .value($0) : .unknown }
                }
            } else if op.hasPrefix("Reduce") || op == "ArgMax" || op == "ArgMin", let x = input(0) {
                // keepdims (default 1) keeps the rank; without axes every axis is reduced.
                let keep = node.attribute("keepdims")?.intValue ?? 1
                let axes = node.attribute("axes")?.intsValue ?? (op.hasPrefix("Arg") ? [node.attribute("axis")?.intValue ?? 0] : Array(0..<Int64(x.count)))
                out = [Dimension](repeating: .unknown, count: keep != 0 ? x.count : max(0, x.count - Set(axes.map { $0 < 0 ? $0 + Int64(x.count) : $0 }).count))
            } else if op == "Unsqueeze", let x = input(0), let axes = node.attribute("axes")?.intsValue {
                out = [Dimension](repeating: .unknown, count: x.count + axes.count)
            } else if op == "Squeeze", let x = input(0), let axes = node.attribute("axes")?.intsValue {
                out = [Dimension](repeating: .unknown, count: max(0, x.count - axes.count))
            }
            for (k, value) in node.outputs.enumerated() {
                guard let value else { continue }
                if let d = declared(value) { known[value] = d }
                else if let out, k == 0 || op == "Split" { known[value] = out }
            }
        }
        return known
    }
}
