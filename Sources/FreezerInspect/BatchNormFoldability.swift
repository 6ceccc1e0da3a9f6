import FreezerIR

/// Decides whether a BatchNormalization folds into the operator producing its input.
///
/// Conditions (as onnx/optimizer's fuse_bn_into_conv, widened to ConvTranspose, Gemm and MatMul):
/// - the BN normalizes per channel (`spatial` is 1, the default);
/// - X is produced in the same graph by Conv, ConvTranspose, Gemm or MatMul, or by an Add of a MatMul
///   and a constant bias;
/// - nothing but the BN (through the Add, if any) reads that output, and it is not a graph output;
/// - the producer's weight and bias, and the BN's scale, bias, mean and var, are constants.
/// An initializer that is also a graph input counts as a constant here, as in the fixtures' manifest:
/// freezing pins it; the Parameters category reports that it was overridable.
enum BatchNormFoldability {
    struct Verdict {
        var target: Node?
        var biasAdd: Node?
        var weightShared: Bool?
        var reason: String?
    }

    private static let targets: Set<String> = ["Conv", "ConvTranspose", "Gemm", "MatMul"]
    private static let parameterRoles = ["scale", "bias", "mean", "var"]

    static func check(_ bn: Node, spatial: Int64?, in scope: GraphScope) -> Verdict {
        if spatial == 0 {
            return Verdict(reason: "spatial=0: per-activation statistics do not fold into per-channel weights")
        }
        guard let x = scope.input(bn, 0) else { return Verdict(reason: "X input is missing") }
        guard let producer = scope.producer(x) else {
            let where_ = switch scope.origin(of: x).origin {
            case .graphInput, .overridableInitializer: "a graph input"
            case .initializer, .constantNode: "a constant"
            default: "a value of an enclosing graph"
            }
            return Verdict(reason: "X '\(scope.name(x))' is \(where_), not the output of a node in this graph")
        }
        var target = producer
        var biasAdd: Node?
        if TrainingOperators.isOnnx(producer, "Add") {
            switch matMulWithConstantBias(producer, in: scope) {
            case .success(let matMul): target = matMul; biasAdd = producer
            case .failure(let reason): return Verdict(reason: reason.text)
            }
        } else if !(TrainingOperators.isDefaultDomain(producer) && targets.contains(producer.opType)) {
            return Verdict(reason: "X is produced by \(producer.qualifiedOpType) '\(scope.name(producer))', not by Conv, ConvTranspose, Gemm or MatMul")
        }
        if let reason = soleReader(of: target, is: biasAdd ?? bn, in: scope) ?? biasAdd.flatMap({ soleReader(of: $0, is: bn, in: scope) }) {
            return Verdict(reason: reason)
        }
        let weightSlots = target.opType == "MatMul" ? [1] : [1, 2]
        for slot in weightSlots {
            guard let w = scope.input(target, slot) else { continue }
            if !scope.isConstant(w, includeOverridable: true) {
                let role = slot == 1 ? "weight" : "bias"
                return Verdict(reason: "\(role) '\(scope.name(w))' of \(target.opType) '\(scope.name(target))' is not a constant (\(scope.origin(of: w).origin.label))")
            }
        }
        for (k, role) in parameterRoles.enumerated() {
            guard let p = scope.input(bn, k + 1) else { return Verdict(reason: "BN \(role) input is missing") }
            if !scope.isConstant(p, includeOverridable: true) {
                return Verdict(reason: "BN \(role) '\(scope.name(p))' is not a constant (\(scope.origin(of: p).origin.label))")
            }
        }
        let shared = scope.input(target, 1).map { w in
            let resolved = scope.resolve(w)
            return resolved.scope.graph.consumers(of: resolved.id).count > 1
        }
        return Verdict(target: target, biasAdd: biasAdd, weightShared: shared, reason: nil)
    }

    private struct Failure: Error { let text: String }

    /// For `Add(MatMul(...), b)` with a constant `b` (either operand order), the MatMul.
    private static func matMulWithConstantBias(_ add: Node, in scope: GraphScope) -> Swift.Result<Node, Failure> {
        let operands = add.inputs.compactMap { $0 }
        guard operands.count == 2 else { return .failure(Failure(text: "X is produced by Add '\(scope.name(add))' with \(operands.count) operands")) }
        for (k, operand) in operands.enumerated() {
            guard let matMul = scope.producer(operand), TrainingOperators.isOnnx(matMul, "MatMul") else { continue }
            let other = operands[1 - k]
            guard scope.isConstant(other, includeOverridable: true) else {
                return .failure(Failure(text: "X is produced by Add '\(scope.name(add))' whose bias '\(scope.name(other))' is not a constant"))
            }
            return .success(matMul)
        }
        return .failure(Failure(text: "X is produced by Add '\(scope.name(add))', which does not add a constant bias to a MatMul"))
    }

    /// nil when `reader` is the only reader of `node`'s first output and it is not a graph output;
    /// otherwise why not.
    private static func soleReader(of node: Node, is reader: Node, in scope: GraphScope) -> String? {
        guard let out = scope.output(node, 0) else { return "\(node.opType) '\(scope.name(node))' has no output" }
        let what = "output '\(scope.name(out))' of \(node.opType) '\(scope.name(node))'"
        if scope.graph.isGraphOutput(out) { return "\(what) is also a graph output" }
        let others = scope.graph.consumers(of: out).filter { $0 != reader.id }
        if !others.isEmpty {
            return "\(what) is also read by " + others.map { "'\(scope.graph.displayName($0))'" }.joined(separator: ", ")
        }
        return nil
    }
}
