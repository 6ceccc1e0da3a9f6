import Foundation
import FreezerIR
import FreezerInspect

/// Applying a fold the matcher planned: the graph rewrite and the folded tensors, with their evidence.
struct BatchNormFoldApplier {
    var plan: BatchNormFoldPlan
    /// The graphs around the one rewritten (innermost first): new names must not shadow theirs.
    var enclosing: [Graph]
    var store: TensorStore?
    private(set) var evidence: [String: String] = [:]

    init(plan: BatchNormFoldPlan, enclosing: [Graph], store: TensorStore?) {
        self.plan = plan
        self.enclosing = enclosing
        self.store = store
    }

    /// Rewrites `g`: scaled weight, shifted bias, the BatchNormalization bypassed.
    mutating func apply(to g: inout Graph) throws(FoldError) {
        let a = plan.multiplier, shift = plan.shift
        let linear = plan.linear
        var output = g.node(linear).outputs[0]
        try scaleWeight(in: &g)
        let biasType = plan.bias?.tensor.elementType ?? plan.weight.tensor.elementType
        switch plan.target {
        case .conv, .convTranspose, .matMulAdd:
            let previous = try plan.bias.map { c throws(FoldError) in try elements(of: c.tensor) }
            let dims = plan.target == .matMulAdd ? plan.bias?.tensor.dims ?? [] : [Int64(plan.channels)]
            try replace(in: &g, node: plan.biasNode ?? linear, slot: plan.biasSlot ?? 2, role: "bias", count: plan.channels,
                        type: biasType, dims: dims) { range, _, out in
                previous.readOrZeros { b in for (k, c) in range.enumerated() { out[k] = b(c) * a[c] + shift[c] } }
            }
            if plan.target == .matMulAdd, let add = plan.biasNode { output = g.node(add).outputs[0] }
        case .gemm(_, _, let beta):
            try foldGemmBias(beta: beta, type: biasType, in: &g)
        case .matMul:
            output = try addBias(after: linear, reading: output, in: &g)
        }
        // Readers of the BatchNormalization's output now read the folded operator's output.
        guard let x = output, let y = g.node(plan.batchNormalization).outputs[0] else { throw .internal("the fold lost its output") }
        do { try bypass(node: plan.batchNormalization, input: x, output: y, in: &g) } catch { throw .graph(error) }
    }

    /// W'[…c…] = a_c · W[…c…], streamed; the original's mapped pages are given back afterwards.
    private mutating func scaleWeight(in g: inout Graph) throws(FoldError) {
        let w = plan.weight.tensor, a = plan.multiplier
        var group = 1
        if case .convTranspose(let gr) = plan.target { group = gr }
        let layout = ChannelLayout(dims: w.dims, axis: plan.weightChannelAxis, group: group)
        let source = try elements(of: w)
        try replace(in: &g, node: plan.weightScaleOf ?? plan.linear, slot: 1, role: "weight", count: source.count, type: w.elementType, dims: w.dims) { range, replaced, out in
            // The replaced tensor is the source: its values come decoded already.
            if let replaced, let from = replaced.baseAddress, let to = out.baseAddress { to.update(from: from, count: range.count) }
            else { source.decode(range, into: out) }
            layout.scale(out, range, by: a)
        }
        source.bytes.dropResidentPages()
    }

    /// C' = β·C·a + shift (C broadcast over rows and features as it was), and β becomes 1.
    private mutating func foldGemmBias(beta: Double, type: ElementType, in g: inout Graph) throws(FoldError) {
        let a = plan.multiplier, shift = plan.shift, n = plan.channels
        let c = plan.bias?.tensor
        let previous = try c.map { t throws(FoldError) in try elements(of: t) }
        let rows = c.map { $0.dims.count == 2 && $0.dims[0] > 1 ? Int($0.dims[0]) : 1 } ?? 1
        let columns = (previous?.count ?? 1) / rows
        try replace(in: &g, node: plan.linear, slot: 2, role: "bias", count: rows * n, type: type,
                    dims: rows > 1 ? [Int64(rows), Int64(n)] : [Int64(n)]) { range, _, out in
            previous.readOrZeros { stored in
                for (k, e) in range.enumerated() {
                    let r = e / n, f = e % n
                    out[k] = beta * stored(r * columns + (columns == 1 ? 0 : f)) * a[f] + shift[f]
                }
            }
        }
        var attributes = g.node(plan.linear).attributes.filter { $0.name != "beta" }
        if beta != 1 { attributes.append(Attribute(name: "beta", value: .float(1))) }
        g.setAttributes(plan.linear, attributes)
    }

    /// MatMul alone: Add(MatMul, shift) after it; returns the Add's output.
    private mutating func addBias(after linear: NodeID, reading output: ValueID?, in g: inout Graph) throws(FoldError) -> ValueID? {
        guard let output else { throw .internal("MatMul without output") }
        let bn = g.node(plan.batchNormalization)
        let name = freshName("\(g.displayName(plan.batchNormalization))_bias", in: g)
        let bias = g.addInitializer(.make(name: name, type: plan.weight.tensor.elementType, dims: [Int64(plan.channels)], values: plan.shift))
        // An unnamed BatchNormalization leaves the Add unnamed: addNode names it after its output.
        let add = g.addNode(opType: "Add", opsetVersion: max(g.node(linear).opsetVersion ?? 7, 7),
                            name: bn.name.isEmpty ? "" : "\(bn.name)_bias", inputs: [output, bias],
                            outputNames: [freshName("\(g.value(output).name)_biased", in: g)], after: linear)
        evidence["bias '\(g.value(bias).name)': added"] = "\(plan.channels) values"
        return g.node(add).outputs[0]
    }

    /// Puts a folded tensor at input `slot` of `node`: in place when this graph owns the old tensor and
    /// nothing else reads it, otherwise as a new initializer of this graph (an enclosing graph's tensor,
    /// a shared one, or a Constant, stays as it is for its other readers).
    private mutating func replace(in g: inout Graph, node: NodeID, slot: Int, role: String, count: Int, type: ElementType,
                                  dims: [Int64], exact: (Range<Int>, UnsafeBufferPointer<Double>?, UnsafeMutableBufferPointer<Double>) -> Void) throws(FoldError) {
        let old = g.node(node).inputs.count > slot ? g.node(node).inputs[slot] : nil
        let previous = old == nil ? nil : role == "weight" ? plan.weight.tensor : plan.bias?.tensor
        let baseName = old.map { g.value($0).name } ?? "\(g.displayName(node))_\(role)"
        guard let width = type.byteWidth else { throw .internal("no element width for \(type)") }
        let writer = store?.writer(byteCount: count * width) ?? PayloadWriter(inMemory: count * width)
        let measures = try ChunkedFold.write(count: count, as: type, replacing: previous, to: writer, exact: exact)
        let bytes: Bytes
        do { bytes = try writer.finish() } catch { throw .store(error) }
        let tensor = Tensor(name: baseName, elementType: type, dims: dims, payload: .raw(bytes))
        evidence["\(role) '\(baseName)': largest change"] = String(format: "%.6g", measures.largestChange.result)
        evidence["\(role) '\(baseName)': largest rounding error"] = String(format: "%.6g", measures.largestRounding.result)
        if let old, g.isConstant(old), g.consumers(of: old) == [node], !g.isGraphOutput(old) {
            do { try g.setInitializer(old, tensor) } catch { throw .graph(error) }
            return
        }
        var clone = tensor
        clone.name = freshName("\(baseName)_folded", in: g)
        let id = g.addInitializer(clone)
        g.setInput(node, slot, to: id)
        guard let old else { return }
        evidence["\(role) '\(baseName)'"] = g.value(old).producer == .outerScope
            ? "read from an enclosing graph: cloned into this graph as '\(g.value(id).name)'"
            : "shared or not an initializer: cloned as '\(g.value(id).name)'"
    }

    private func elements(of tensor: Tensor) throws(FoldError) -> StoredElements {
        do { return try StoredElements(tensor) } catch { throw .tensor(error) }
    }

    /// `base`, or `base_1`, `base_2`, …: a name no value of this graph or of an enclosing graph has, so
    /// the new value shadows nothing.
    private func freshName(_ base: String, in g: Graph) -> String {
        Graph.freshName(base) { name in g.value(named: name) != nil || enclosing.contains { $0.value(named: name) != nil } }
    }
}

extension Optional where Wrapped == StoredElements {
    /// Reads the elements when present; an absent bias reads as zeros, as the formula takes it.
    func readOrZeros<R>(_ body: ((Int) -> Double) -> R) -> R {
        switch self {
        case .some(let elements): elements.read(body)
        case .none: body { _ in 0 }
        }
    }
}
