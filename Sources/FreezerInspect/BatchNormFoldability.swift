import FreezerIR

/// Decides whether a BatchNormalization folds into the operator producing its input: the one decision
/// that `inspect` reports and FoldBatchNorm applies.
///
/// Conditions, checked in this order (the first that fails is the reason):
/// 1. in inference form (unless the caller converts it first) and per channel (`spatial` is 1, the default);
/// 2. X is produced in the same graph by Conv, ConvTranspose, Gemm or MatMul, or by an Add of a MatMul
///    and a constant bias (either operand order);
/// 3. nothing but the BN (through the Add, if any) reads that output, and it is not a graph output;
/// 4. the producer's weight and bias are constants (see `GraphScope.foldConstant` for the one rule, which
///    covers outer-scope names, Identity copies and overridable initializers) of a type the fold computes;
/// 5. the BN's scale, B, mean and var are constants of one length;
/// 6. the shapes agree: the channel count equals the operator's output channels, a ConvTranspose weight
///    fits its group, a Gemm or MatMul weight is 2-D, biases hold one value per channel (Gemm's C may
///    broadcast), and a MatMul's input is 2-D, so its features are the BN's axis 1.
///
/// The opset version of a node that carries none is the model's, or else the newest (as the evaluator
/// assumes).
public enum BatchNormFoldability {
    typealias Failure = BatchNormFoldFailure
    private static let floatTypes: Set<ElementType> = [.float, .float16, .bfloat16, .double]

    /// For passes: `graph` is the graph being rewritten, `enclosing` the graphs around it, innermost
    /// first, with the main graph last (empty for the main graph itself).
    public static func match(_ bn: NodeID, in graph: Graph, enclosing: [Graph], opsetImports: [OpsetImport],
                             inferenceFormFirst: Bool = false) -> Result<BatchNormFoldPlan, BatchNormFoldFailure> {
        let scope = GraphScope.forPass(graph, enclosing: enclosing, opsetImports: opsetImports)
        return match(graph.node(bn), in: scope, inferenceFormFirst: inferenceFormFirst)
    }

    /// `inferenceFormFirst`: the BN will be put in inference form before folding (MakeBatchNormInference
    /// runs before FoldBatchNorm, or refuses the conversion), so its training switch is not a reason.
    static func match(_ bn: Node, in scope: GraphScope, inferenceFormFirst: Bool) -> Result<BatchNormFoldPlan, Failure> {
        do throws(Failure) { return .success(try plan(bn, in: scope, inferenceFormFirst: inferenceFormFirst)) } catch {
            return .failure(error)
        }
    }

    private static func plan(_ bn: Node, in scope: GraphScope, inferenceFormFirst: Bool) throws(Failure) -> BatchNormFoldPlan {
        let isOnnx = bn.isDefaultDomain
        let version = isOnnx ? scope.opsetVersion(bn) ?? .max : .max
        if !inferenceFormFirst {
            if version <= 6, (bn.attribute("is_test")?.intValue ?? 0) == 0 { throw .trainingMode(attribute: "is_test", value: 0) }
            if version >= 14, let mode = bn.attribute("training_mode")?.intValue, mode != 0 {
                throw .trainingMode(attribute: "training_mode", value: mode)
            }
        }
        if version <= 7, bn.attribute("spatial")?.intValue == 0 { throw .perActivation }
        guard let x = scope.input(bn, 0) else { throw .missingInput(role: "X") }
        guard let producer = scope.producer(x) else {
            let origin = switch scope.origin(of: x).origin {
            case .graphInput, .overridableInitializer: "a graph input"
            case .initializer, .constantNode: "a constant"
            default: "a value of an enclosing graph"
            }
            throw .inputNotFromNode(value: scope.name(x), origin: origin)
        }
        let (linear, add) = try linearProducer(producer, in: scope)
        try requireResult(x, of: producer, in: scope)
        try soleReader(of: add?.product ?? x, from: linear, is: add?.node ?? bn, in: scope)
        if let add { try soleReader(of: x, from: add.node, is: bn, in: scope) }

        let weight: FoldConstant
        var quantized: (dequantize: Node, integers: Tensor)?
        do throws(Failure) {
            weight = try operand(linear, slot: 1, role: "weight", in: scope)
        } catch {
            guard case .quantizedOperand = error, linear.isOnnx("Conv") else { throw error }
            let found = try dequantizedWeight(of: linear, in: scope)
            quantized = (found.dequantize, found.integers)
            weight = found.scale
        }
        var bias: FoldConstant?
        if let add {
            try requireFloat(add.bias, role: "bias", in: scope)
            bias = add.bias
        } else if linear.opType != "MatMul", scope.input(linear, 2) != nil {
            bias = try operand(linear, slot: 2, role: "bias", in: scope)
        }

        let stats = try statistics(bn, in: scope)
        let epsilon = Double(bn.attribute("epsilon")?.floatValue ?? 1e-5)
        var multiplier = [Double](repeating: 0, count: stats.scale.count)
        var shift = multiplier
        for c in multiplier.indices {
            multiplier[c] = stats.scale[c] / (stats.variance[c] + epsilon).squareRoot()
            shift[c] = stats.bias[c] - stats.mean[c] * multiplier[c]
        }
        let (target, axis) = try shapes(linear, add: add?.node, weight: quantized?.integers ?? weight.tensor, bias: bias,
                                        channels: multiplier.count, in: scope)
        if let c = multiplier.indices.first(where: { !multiplier[$0].isFinite || !shift[$0].isFinite }) {
            throw .nonFiniteFactor(channel: c, factor: multiplier[c], shift: shift[c])
        }
        if let quantized, let c = multiplier.firstIndex(where: { !($0 > 0) }) {
            throw .quantizedScaleSign(node: scope.name(quantized.dequantize), channel: c, multiplier: multiplier[c])
        }
        let definition = scope.resolve(weight.value)
        return BatchNormFoldPlan(
            batchNormalization: bn.id, target: target, linear: linear.id,
            biasNode: add?.node.id ?? (target == .matMul ? nil : linear.id), biasSlot: add?.biasSlot ?? (target == .matMul ? nil : 2),
            weightChannelAxis: quantized == nil ? axis : 0, weight: weight, weightScaleOf: quantized?.dequantize.id, bias: bias, multiplier: multiplier, shift: shift, epsilon: epsilon,
            weightShared: definition.scope.graph.consumers(of: definition.id).count > 1)
    }

    /// A Conv weight `DequantizeLinear(integers, scale, zero point)` whose scale is one per output channel
    /// (axis 0), all three constants, and read by this Conv only: the fold can scale the per-channel scales,
    /// which keeps the integers and the zero points exactly.
    private static func dequantizedWeight(of conv: Node, in scope: GraphScope) throws(Failure)
        -> (dequantize: Node, integers: Tensor, scale: FoldConstant) {
        let weightValue = scope.input(conv, 1)!
        guard case .computed(let dq) = scope.originThroughIdentity(weightValue) else { throw .missingOperand(role: "weight", node: scope.name(conv), opType: conv.opType) }
        func refuse(_ why: String) -> Failure { .quantizedWeightNotFoldable(node: scope.name(dq), reason: why) }
        guard case .success(let scale)? = scope.input(dq, 1).map(scope.foldConstant) else { throw refuse("its scale is not a constant") }
        guard let integers = quantizedIntegers(dq, in: scope) else {
            throw refuse("its integers are neither a constant nor the QuantizeLinear of a constant")
        }
        if let zero = scope.input(dq, 2), !isConstantExpression(zero, in: scope) { throw refuse("its zero point is not a constant") }
        let rank = integers.dims.count
        let axis = dq.attribute("axis")?.intValue ?? 1
        guard scale.tensor.dims.count == 1, rank >= 1, (axis < 0 ? axis + Int64(rank) : axis) == 0 else {
            throw refuse("its scale is not one per output channel (axis 0): absorbing the BatchNormalization factor would change the integers")
        }
        guard dq.attribute("block_size") == nil else { throw refuse("it dequantizes in blocks") }
        guard scope.graph.consumers(of: weightValue).count == 1, !scope.graph.isGraphOutput(weightValue) else {
            throw refuse("other nodes read the dequantized weight too")
        }
        try requireFloat(scale, role: "weight scale", in: scope)
        return (dq, integers, scale)
    }

    /// The tensor whose shape the integers have: a constant, or (a quantization-aware-training export) the
    /// float weight a QuantizeLinear of constants quantizes at run time. Scaling DequantizeLinear's scale
    /// leaves those integers as they are either way.
    private static func quantizedIntegers(_ dq: Node, in scope: GraphScope) -> Tensor? {
        guard let input = scope.input(dq, 0) else { return nil }
        if case .success(let c) = scope.foldConstant(input) { return c.tensor }
        guard case .computed(let q) = scope.originThroughIdentity(input), q.isOnnx("QuantizeLinear"),
              q.inputs.compactMap({ $0 }).allSatisfy({ isConstantExpression($0, in: scope) }),
              let weight = scope.input(q, 0), case .success(let w) = scope.foldConstant(weight) else { return nil }
        return w.tensor
    }

    /// A value computed from constants only (exporters write a quantizer's zero point as Cast of a stored
    /// one): the same on every run, though not itself a stored constant.
    private static func isConstantExpression(_ id: ValueID, in scope: GraphScope, depth: Int = 4) -> Bool {
        if case .success = scope.foldConstant(id) { return true }
        guard depth > 0, case .computed(let node) = scope.originThroughIdentity(id), node.isDefaultDomain,
              !StochasticRegularizers.randomOperators.contains(node.opType), !node.hasSubgraphs, !node.inputs.isEmpty else { return false }
        return node.inputs.compactMap { $0 }.allSatisfy { isConstantExpression($0, in: scope, depth: depth - 1) }
    }

    /// The Add between a MatMul and the BN: the MatMul's result it reads, and its constant bias.
    struct BiasAdd {
        var node: Node
        var product: ValueID
        var biasSlot: Int
        var bias: FoldConstant
    }

    /// The operator whose weight the fold scales, and the Add it goes through (MatMul + Add only).
    private static func linearProducer(_ producer: Node, in scope: GraphScope) throws(Failure) -> (Node, BiasAdd?) {
        if producer.isOnnx("Add") {
            let operands = producer.inputs.compactMap { $0 }
            guard operands.count == 2, producer.inputs.count == 2 else { throw .addNotBinary(add: scope.name(producer), operands: operands.count) }
            for (k, operand) in operands.enumerated() {
                guard let matMul = scope.producer(operand), matMul.isOnnx("MatMul") else { continue }
                try requireResult(operand, of: matMul, in: scope)
                guard case .success(let bias) = scope.foldConstant(operands[1 - k]) else {
                    throw .addBiasNotConstant(add: scope.name(producer), bias: scope.name(operands[1 - k]))
                }
                return (matMul, BiasAdd(node: producer, product: operand, biasSlot: 1 - k, bias: bias))
            }
            throw .addWithoutMatMul(add: scope.name(producer))
        }
        guard producer.isDefaultDomain, ["Conv", "ConvTranspose", "Gemm", "MatMul"].contains(producer.opType) else {
            throw .producerNotLinear(node: scope.name(producer), opType: producer.qualifiedOpType)
        }
        return (producer, nil)
    }

    /// The fold rewires the operator's result, so the value read must be it.
    private static func requireResult(_ value: ValueID, of node: Node, in scope: GraphScope) throws(Failure) {
        guard scope.output(node, 0) == value else {
            throw .notFirstOutput(value: scope.name(value), node: scope.name(node), opType: node.opType)
        }
    }

    /// Succeeds when `reader` is the only reader of `out`, the result of `node`, and it is not a graph output.
    private static func soleReader(of out: ValueID, from node: Node, is reader: Node, in scope: GraphScope) throws(Failure) {
        if scope.graph.isGraphOutput(out) { throw .outputIsGraphOutput(node: scope.name(node), opType: node.opType, value: scope.name(out)) }
        let others = scope.graph.consumers(of: out).filter { $0 != reader.id }
        if !others.isEmpty {
            throw .outputReadByOthers(node: scope.name(node), opType: node.opType, value: scope.name(out),
                                      readers: others.map { scope.graph.displayName($0) })
        }
    }

    /// Input `slot` of the linear node as a constant the fold can rewrite.
    private static func operand(_ node: Node, slot: Int, role: String, in scope: GraphScope) throws(Failure) -> FoldConstant {
        guard let id = scope.input(node, slot) else { throw .missingOperand(role: role, node: scope.name(node), opType: node.opType) }
        switch scope.foldConstant(id) {
        case .success(let c):
            try requireFloat(c, role: role, in: scope)
            return c
        case .failure(let miss):
            if case .computed(let producer) = scope.originThroughIdentity(id), producer.isOnnx("DequantizeLinear") {
                throw .quantizedOperand(role: role, value: scope.name(id), node: scope.name(node), opType: node.opType,
                                        quantizer: scope.name(producer))
            }
            throw .operandNotConstant(role: role, value: scope.name(id), node: scope.name(node), opType: node.opType, origin: miss.origin)
        }
    }

    /// The fold computes in Double and rounds once to these types; their stored size must match the shape.
    private static func requireFloat(_ c: FoldConstant, role: String, in scope: GraphScope) throws(Failure) {
        guard floatTypes.contains(c.tensor.elementType) else {
            throw .unsupportedType(role: role, value: scope.name(c.value), type: c.tensor.elementType.description)
        }
        do { try c.tensor.checkSize() } catch { throw .unreadable(role: role, value: scope.name(c.value), reason: error.description) }
    }

    /// scale, B, mean and var as numbers (they are small: one per channel).
    private static func statistics(_ bn: Node, in scope: GraphScope) throws(Failure) -> (scale: [Double], bias: [Double], mean: [Double], variance: [Double]) {
        var values: [[Double]] = []
        for (slot, role) in ["scale", "B", "mean", "var"].enumerated() {
            guard let id = scope.input(bn, slot + 1) else { throw .missingInput(role: role) }
            switch scope.foldConstant(id) {
            case .failure(let miss): throw .statisticNotConstant(role: role, value: scope.name(id), origin: miss.origin)
            case .success(let c):
                do { values.append(try c.tensor.doubles()) } catch {
                    throw .unreadable(role: role, value: scope.name(id), reason: error.description)
                }
            }
        }
        guard values.allSatisfy({ $0.count == values[0].count }) else { throw .statisticsDifferInLength(values.map(\.count)) }
        guard !values[0].isEmpty else { throw .noChannels }
        return (values[0], values[1], values[2], values[3])
    }
}
