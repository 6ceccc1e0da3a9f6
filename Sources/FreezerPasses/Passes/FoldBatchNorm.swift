import FreezerIR
import FreezerInspect

/// Folds inference-form BatchNormalization into the linear operator that feeds it.
public struct FoldBatchNorm: Pass {
    public static let name = "FoldBatchNorm"
    public static let documentation = PassDocumentation(
        summary: "Fold BatchNormalization into a preceding Conv, ConvTranspose, Gemm or MatMul(+Add).",
        before: "X → Conv(W, b) → Z → BatchNormalization(scale, B, mean, var, ε) → Y  (likewise ConvTranspose, Gemm, MatMul, MatMul+Add)",
        after: "X → Conv(W', b') → Y  (MatMul without Add: X → MatMul(W') → Add(b') → Y)",
        conditions: [
            "The BatchNormalization is in inference form, per channel (spatial = 1), and scale, B, mean, var are constants.",
            "Its input is produced by Conv, ConvTranspose, Gemm, or a 2-D MatMul (optionally followed by Add of a constant bias on either side), whose output nothing else reads.",
            "The linear operator's weights (and bias) are constants. A weight read by another node too is cloned, never changed in place.",
            "The channel count of the statistics equals the operator's output channels (Conv: W dim 0; ConvTranspose: W dim 1 × group; Gemm/MatMul: output features).",
        ],
        formula: "a_c = scale_c / √(var_c + ε);  W'[c,…] = a_c · W[c,…];  b'_c = a_c · (b_c − mean_c) + B_c. Gemm: C' = a · (β·C − mean) + B with β' = 1. Computed in Double from the stored values, rounded once to the weight's type.")

    public init() {}

    public func run(on model: inout Model, context: inout PassContext) throws(PassError) {
        try model.rewriteGraphs { (graph, path) throws(PassError) in
            for node in graph.nodes where node.opType == "BatchNormalization" && (node.domain.isEmpty || node.domain == "ai.onnx") {
                guard graph.contains(node.id) else { continue }
                switch plan(node.id, in: graph) {
                case .failure(let skip):
                    context.skip(.batchNormalization, graph: path, node: graph.displayName(node.id), reason: skip.reason)
                case .success(let fold):
                    let evidence: [String: String]
                    do { evidence = try apply(fold, in: &graph) } catch {
                        throw PassError(pass: Self.name, "folding '\(graph.displayName(node.id))' failed: \(error)")
                    }
                    context.record(.batchNormalization, graph: path, nodes: fold.nodeNames,
                                   action: "folded into \(fold.target.opType) '\(fold.targetName)'",
                                   detail: fold.description, evidence: evidence)
                }
            }
        }
    }

    // MARK: - Planning: decide whether and how a BatchNormalization folds

    struct Skip: Error { var reason: String }

    enum Target {
        case conv, convTranspose(group: Int), gemm(transB: Bool, alpha: Double, beta: Double), matMul, matMulAdd(add: NodeID, biasSlot: Int)
        var opType: String {
            switch self {
            case .conv: "Conv"
            case .convTranspose: "ConvTranspose"
            case .gemm: "Gemm"
            case .matMul: "MatMul"
            case .matMulAdd: "MatMul+Add"
            }
        }
    }

    struct Fold {
        var bn: NodeID
        var linear: NodeID
        var target: Target
        var targetName: String
        var nodeNames: [String]
        var multiplier: [Double]
        var shift: [Double]
        var description: String
    }

    func plan(_ id: NodeID, in g: Graph) -> Result<Fold, Skip> {
        let bn = g.node(id)
        let version = bn.opsetVersion ?? 1
        if version <= 6, (bn.attribute("is_test")?.intValue ?? 0) == 0 { return .failure(Skip(reason: "still in training mode (is_test = 0)")) }
        if version >= 14, (bn.attribute("training_mode")?.intValue ?? 0) != 0 { return .failure(Skip(reason: "still in training mode (training_mode = 1)")) }
        if version <= 7, (bn.attribute("spatial")?.intValue ?? 1) == 0 {
            return .failure(Skip(reason: "spatial = 0: statistics are per activation, not per channel; kept as inference-form BatchNormalization"))
        }
        guard bn.inputs.count >= 5, let x = bn.inputs[0] else { return .failure(Skip(reason: "fewer than 5 inputs")) }
        var stats: [[Double]] = []
        for (slot, role) in ["scale", "B", "mean", "var"].enumerated() {
            guard let v = bn.inputs[slot + 1], let t = g.constantValue(v), let values = try? t.doubles() else {
                let what = bn.inputs[slot + 1].map { "'\(g.value($0).name)'" } ?? "(absent)"
                return .failure(Skip(reason: "its \(role) \(what) is not a constant"))
            }
            stats.append(values)
        }
        let channels = stats[0].count
        guard stats.allSatisfy({ $0.count == channels }) else { return .failure(Skip(reason: "scale, B, mean and var differ in length")) }
        let epsilon = Double(bn.attribute("epsilon")?.floatValue ?? 1e-5)
        var multiplier = [Double](repeating: 0, count: channels)
        var shift = [Double](repeating: 0, count: channels)
        for c in 0..<channels {
            multiplier[c] = stats[0][c] / (stats[3][c] + epsilon).squareRoot()
            shift[c] = stats[1][c] - stats[2][c] * multiplier[c]
        }
        guard !g.isGraphOutput(x), g.consumers(of: x) == [id] else {
            let others = g.consumers(of: x).filter { $0 != id }.map { "'\(g.displayName($0))'" } + (g.isGraphOutput(x) ? ["the graph outputs"] : [])
            return .failure(Skip(reason: "its input '\(g.value(x).name)' is also read by \(others.joined(separator: ", ")), so the producer cannot change"))
        }
        guard let producer = g.producer(of: x) else {
            return .failure(Skip(reason: "its input '\(g.value(x).name)' is not produced by a node (\(g.value(x).producer == .graphInput ? "a graph input" : "a constant or outer value"))"))
        }
        let result: Result<(Target, NodeID, String), Skip> = target(producer, channels: channels, in: g)
        switch result {
        case .failure(let skip): return .failure(skip)
        case .success(let (target, linear, detail)):
            let name = g.displayName(linear)
            var names = [g.displayName(id), name]
            if case .matMulAdd(let add, _) = target { names.append(g.displayName(add)) }
            return .success(Fold(bn: id, linear: linear, target: target, targetName: name, nodeNames: names,
                                 multiplier: multiplier, shift: shift,
                                 description: "\(channels) channels, ε = \(epsilon); \(detail)"))
        }
    }

    private func target(_ p: Node, channels: Int, in g: Graph) -> Result<(Target, NodeID, String), Skip> {
        func constant(_ slot: Int, _ role: String) -> Result<Tensor, Skip> {
            guard slot < p.inputs.count, let v = p.inputs[slot] else { return .failure(Skip(reason: "\(p.opType) '\(g.displayName(p.id))' has no \(role)")) }
            guard let t = g.constantValue(v) else {
                return .failure(Skip(reason: "the \(role) '\(g.value(v).name)' of \(p.opType) '\(g.displayName(p.id))' is not a constant"))
            }
            guard t.elementType.isFloatingPoint, (try? t.checkSize()) != nil else {
                return .failure(Skip(reason: "the \(role) '\(g.value(v).name)' is not a readable floating-point tensor"))
            }
            return .success(t)
        }
        func mismatch(_ n: Int) -> Skip {
            Skip(reason: "BatchNormalization has \(channels) channels but \(p.opType) '\(g.displayName(p.id))' produces \(n)")
        }
        guard p.domain.isEmpty || p.domain == "ai.onnx" else { return .failure(Skip(reason: "its input comes from \(p.qualifiedOpType), not Conv, ConvTranspose, Gemm or MatMul")) }
        switch p.opType {
        case "Conv":
            let w: Tensor
            switch constant(1, "weight") {
            case .success(let t): w = t
            case .failure(let s): return .failure(s)
            }
            if p.inputs.count > 2, p.inputs[2] != nil, case .failure(let s) = constant(2, "bias") { return .failure(s) }
            guard let m = w.dims.first, Int(m) == channels else { return .failure(mismatch(Int(w.dims.first ?? 0))) }
            return .success((.conv, p.id, "weight \(w.dims)"))
        case "ConvTranspose":
            if case .failure(let s) = constant(1, "weight") { return .failure(s) }
            let w = try! constant(1, "weight").get()
            if p.inputs.count > 2, p.inputs[2] != nil, case .failure(let s) = constant(2, "bias") { return .failure(s) }
            let group = Int(p.attribute("group")?.intValue ?? 1)
            guard w.dims.count >= 2, group > 0, Int(w.dims[0]) % group == 0 else { return .failure(Skip(reason: "ConvTranspose weight shape \(w.dims) does not fit group \(group)")) }
            let m = Int(w.dims[1]) * group
            guard m == channels else { return .failure(mismatch(m)) }
            return .success((.convTranspose(group: group), p.id, "weight \(w.dims), group \(group) (output channels on weight axis 1)"))
        case "Gemm":
            if case .failure(let s) = constant(1, "weight B") { return .failure(s) }
            let b = try! constant(1, "weight B").get()
            if p.inputs.count > 2, p.inputs[2] != nil, case .failure(let s) = constant(2, "bias C") { return .failure(s) }
            let transB = (p.attribute("transB")?.intValue ?? 0) != 0
            guard b.dims.count == 2 else { return .failure(Skip(reason: "Gemm weight B is not 2-D")) }
            let n = Int(transB ? b.dims[0] : b.dims[1])
            guard n == channels else { return .failure(mismatch(n)) }
            if p.inputs.count > 2, let c = p.inputs[2], let ct = g.constantValue(c) {
                let ok = ct.dims.isEmpty || (ct.dims.last.map { $0 == 1 || Int($0) == n } ?? false) && ct.dims.count <= 2
                if !ok { return .failure(Skip(reason: "Gemm bias C has shape \(ct.dims), which does not broadcast over \(n) output features")) }
            }
            let alpha = Double(p.attribute("alpha")?.floatValue ?? 1), beta = Double(p.attribute("beta")?.floatValue ?? 1)
            return .success((.gemm(transB: transB, alpha: alpha, beta: beta), p.id, "transB \(transB ? 1 : 0), alpha \(alpha), beta \(beta)"))
        case "MatMul":
            return matMul(p, add: nil, channels: channels, in: g)
        case "Add":
            for slot in 0..<2 {
                guard let a = p.inputs[slot], let mm = g.producer(of: a), mm.opType == "MatMul",
                      mm.domain.isEmpty || mm.domain == "ai.onnx", p.inputs.count == 2, let other = p.inputs[1 - slot] else { continue }
                guard g.consumers(of: a) == [p.id], !g.isGraphOutput(a) else {
                    return .failure(Skip(reason: "MatMul output '\(g.value(a).name)' is read by more than the Add"))
                }
                guard let bias = g.constantValue(other) else {
                    return .failure(Skip(reason: "the Add after MatMul '\(g.displayName(mm.id))' adds '\(g.value(other).name)', which is not a constant"))
                }
                guard bias.elementCount == channels, bias.dims.count <= 2, bias.dims.dropLast().allSatisfy({ $0 == 1 }) else {
                    return .failure(Skip(reason: "the Add's bias has shape \(bias.dims), not one value per output feature (\(channels))"))
                }
                return matMul(mm, add: (p.id, 1 - slot), channels: channels, in: g)
            }
            return .failure(Skip(reason: "its input comes from Add '\(g.displayName(p.id))', which does not add a constant bias to a MatMul"))
        default:
            return .failure(Skip(reason: "its input comes from \(p.opType) '\(g.displayName(p.id))', not Conv, ConvTranspose, Gemm or MatMul"))
        }
    }

    private func matMul(_ mm: Node, add: (NodeID, Int)?, channels: Int, in g: Graph) -> Result<(Target, NodeID, String), Skip> {
        guard mm.inputs.count == 2, let a = mm.inputs[0], let w = mm.inputs[1] else { return .failure(Skip(reason: "MatMul without two inputs")) }
        guard let wt = g.constantValue(w), wt.elementType.isFloatingPoint, wt.dims.count == 2 else {
            return .failure(Skip(reason: "MatMul '\(g.displayName(mm.id))' weight '\(g.value(w).name)' is not a constant 2-D floating-point tensor"))
        }
        guard Int(wt.dims[1]) == channels else {
            return .failure(Skip(reason: "BatchNormalization has \(channels) channels but MatMul '\(g.displayName(mm.id))' produces \(wt.dims[1]) features"))
        }
        // BatchNormalization normalizes axis 1; MatMul's features are on the last axis. They coincide only for 2-D.
        guard let rank = g.value(a).type?.tensor?.shape?.count else {
            return .failure(Skip(reason: "the rank of MatMul '\(g.displayName(mm.id))' input '\(g.value(a).name)' is unknown, so its features cannot be shown to be BatchNormalization's channel axis"))
        }
        guard rank == 2 else {
            return .failure(Skip(reason: "MatMul '\(g.displayName(mm.id))' output is \(rank)-D: BatchNormalization normalizes axis 1, but MatMul's features are on the last axis"))
        }
        if let (addID, slot) = add { return .success((.matMulAdd(add: addID, biasSlot: slot), mm.id, "bias added by '\(g.displayName(addID))'")) }
        return .success((.matMul, mm.id, "bias added as a new Add"))
    }

    // MARK: - Applying a fold

    /// Rewrites the graph; returns the evidence (largest change per tensor, rounding error).
    private func apply(_ fold: Fold, in g: inout Graph) throws(GraphError) -> [String: String] {
        var evidence: [String: String] = [:]
        let bn = g.node(fold.bn)
        let linear = g.node(fold.linear)
        let a = fold.multiplier, shift = fold.shift
        let channels = a.count
        var output = linear.outputs[0]!

        func replaceConstant(of node: NodeID, slot: Int, with values: [Double], like template: Tensor, dims: [Int64], role: String) throws(GraphError) {
            let old = g.node(node).inputs.count > slot ? g.node(node).inputs[slot] : nil
            let type = template.elementType
            let baseName = old.map { g.value($0).name } ?? "\(g.displayName(node))_\(role)"
            let tensor = Tensor.make(name: baseName, type: type, dims: dims, values: values)
            let stored = (try? tensor.doubles()) ?? values
            let oldValues = old.flatMap { g.constantValue($0) }.flatMap { try? $0.doubles() }
            let change = zip(stored, oldValues ?? [Double](repeating: 0, count: stored.count)).map { abs($0 - $1) }.max() ?? 0
            let rounding = zip(stored, values).map { abs($0 - $1) }.max() ?? 0
            evidence["\(role) '\(baseName)': largest change"] = String(format: "%.6g", change)
            evidence["\(role) '\(baseName)': largest rounding error"] = String(format: "%.6g", rounding)
            if let old, g.isConstant(old), g.consumers(of: old) == [node], !g.isGraphOutput(old) {
                try g.setInitializer(old, tensor)
            } else {
                var clone = tensor
                clone.name = "\(baseName)_folded"
                let id = g.addInitializer(clone)
                g.setInput(node, slot, to: id)
                if old != nil { evidence["\(role) '\(baseName)'"] = "shared or not an initializer: cloned as '\(g.value(id).name)'" }
            }
        }

        switch fold.target {
        case .conv, .convTranspose:
            let w = g.constantValue(linear.inputs[1]!)!
            let values = try! w.doubles()
            let perChannel = values.count / Int(w.dims[0])
            var scaled = values
            if case .convTranspose(let group) = fold.target {
                let cin = Int(w.dims[0]), mg = Int(w.dims[1]), k = perChannel / mg
                for e in values.indices {
                    let ci = e / (mg * k), j = (e / k) % mg
                    scaled[e] = values[e] * a[(ci / (cin / group)) * mg + j]
                }
            } else {
                for e in values.indices { scaled[e] = values[e] * a[e / perChannel] }
            }
            let biasIn = linear.inputs.count > 2 ? linear.inputs[2].flatMap { g.constantValue($0) } : nil
            let b = biasIn.flatMap { try? $0.doubles() } ?? [Double](repeating: 0, count: channels)
            try replaceConstant(of: linear.id, slot: 1, with: scaled, like: w, dims: w.dims, role: "weight")
            try replaceConstant(of: linear.id, slot: 2, with: (0..<channels).map { b[$0] * a[$0] + shift[$0] },
                                like: biasIn ?? w, dims: [Int64(channels)], role: "bias")
        case .gemm(let transB, _, let beta):
            let w = g.constantValue(linear.inputs[1]!)!
            let values = try! w.doubles()
            let rows = Int(w.dims[0]), cols = Int(w.dims[1])
            var scaled = values
            for r in 0..<rows { for c in 0..<cols { scaled[r * cols + c] = values[r * cols + c] * a[transB ? r : c] } }
            try replaceConstant(of: linear.id, slot: 1, with: scaled, like: w, dims: w.dims, role: "weight")
            let cIn = linear.inputs.count > 2 ? linear.inputs[2].flatMap { g.constantValue($0) } : nil
            let cValues = cIn.flatMap { try? $0.doubles() } ?? [0]
            let cRows = (cIn?.dims.count == 2 && (cIn?.dims[0] ?? 1) > 1) ? Int(cIn!.dims[0]) : 1
            let cCols = cValues.count / cRows
            var newC = [Double](repeating: 0, count: cRows * channels)
            for r in 0..<cRows {
                for n in 0..<channels {
                    let c = cValues[r * cCols + (cCols == 1 ? 0 : n)]
                    newC[r * channels + n] = beta * c * a[n] + shift[n]
                }
            }
            try replaceConstant(of: linear.id, slot: 2, with: newC, like: cIn ?? w,
                                dims: cRows > 1 ? [Int64(cRows), Int64(channels)] : [Int64(channels)], role: "bias")
            var attributes = g.node(linear.id).attributes.filter { $0.name != "beta" }
            if beta != 1 { attributes.append(Attribute(name: "beta", value: .float(1))) }
            g.setAttributes(linear.id, attributes)
        case .matMul, .matMulAdd:
            let w = g.constantValue(linear.inputs[1]!)!
            let values = try! w.doubles()
            let cols = Int(w.dims[1])
            try replaceConstant(of: linear.id, slot: 1, with: values.enumerated().map { $1 * a[$0 % cols] }, like: w, dims: w.dims, role: "weight")
            if case .matMulAdd(let add, let slot) = fold.target {
                let biasTensor = g.constantValue(g.node(add).inputs[slot]!)!
                let b = try! biasTensor.doubles()
                try replaceConstant(of: add, slot: slot, with: (0..<channels).map { b[$0] * a[$0] + shift[$0] },
                                    like: biasTensor, dims: biasTensor.dims, role: "bias")
                output = g.node(add).outputs[0]!
            } else {
                let bias = g.addInitializer(.make(name: "\(g.displayName(fold.bn))_bias", type: w.elementType,
                                                  dims: [Int64(channels)], values: shift))
                let add = g.addNode(opType: "Add", opsetVersion: max(g.node(fold.linear).opsetVersion ?? 7, 7),
                                    name: "\(bn.name.isEmpty ? "bn" : bn.name)_bias", inputs: [output, bias],
                                    outputNames: ["\(g.value(output).name)_biased"], after: fold.linear)
                output = g.node(add).outputs[0]!
                evidence["bias '\(g.value(bias).name)': added"] = "\(channels) values"
            }
        }
        // Readers of the BatchNormalization's output now read the folded operator's output.
        let y = bn.outputs[0]!
        try bypass(node: fold.bn, input: output, output: y, in: &g)
        return evidence
    }
}
