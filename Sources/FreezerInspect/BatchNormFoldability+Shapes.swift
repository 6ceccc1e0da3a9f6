import FreezerIR

/// Condition 6 of the fold: the shapes of the weight and bias agree with the BN's channels.
extension BatchNormFoldability {
    /// The target kind and the weight axis holding output channels, or the first shape that disagrees.
    static func shapes(_ linear: Node, add: Node?, weight w: Tensor, bias: FoldConstant?, channels: Int,
                       in scope: GraphScope) throws(Failure) -> (BatchNormFoldPlan.Target, Int) {
        let name = scope.name(linear), op = linear.opType
        let weightName = scope.input(linear, 1).map(scope.name) ?? ""
        func produced(_ n: Int64, _ unit: String) throws(Failure) {
            guard n == channels else { throw .channelMismatch(channels: channels, node: name, opType: op, produced: Int(n), unit: unit) }
        }
        func twoDimensional() throws(Failure) {
            guard w.dims.count == 2 else { throw .weightNot2D(value: weightName, node: name, opType: op, dims: w.dims) }
        }
        func onePerChannel(_ constant: FoldConstant?, _ matMulAdd: Bool = false) throws(Failure) {
            guard let constant else { return }
            let b = constant.tensor
            // An Add broadcasts its bias against [N, C], so leading 1s are fine there.
            let fits = b.elementCount == channels
                && (matMulAdd ? b.dims.count <= 2 && b.dims.dropLast().allSatisfy { $0 == 1 } : b.dims.count == 1)
            guard fits else {
                let holder = add ?? linear
                throw .biasShape(value: scope.name(constant.value), node: scope.name(holder), opType: holder.opType,
                                 dims: b.dims, channels: channels)
            }
        }

        let target: BatchNormFoldPlan.Target, axis: Int
        switch op {
        case "Conv":
            try produced(w.dims.first ?? 0, "channels")
            try onePerChannel(bias)
            (target, axis) = (.conv, 0)
        case "ConvTranspose":
            let group = linear.attribute("group")?.intValue ?? 1
            guard w.dims.count >= 2, group > 0, w.dims[0] % group == 0 else { throw .groupMismatch(dims: w.dims, group: group) }
            try produced(w.dims[1] * group, "channels")
            try onePerChannel(bias)
            (target, axis) = (.convTranspose(group: Int(group)), 1)
        case "Gemm":
            try twoDimensional()
            let transB = (linear.attribute("transB")?.intValue ?? 0) != 0
            let n = transB ? w.dims[0] : w.dims[1]
            try produced(n, "features")
            if let c = bias?.tensor {
                let broadcasts = c.dims.isEmpty || c.dims.count <= 2 && (c.dims.last == 1 || c.dims.last == n)
                guard broadcasts, (c.elementCount ?? 0) > 0 else { throw .gemmBiasShape(dims: c.dims, features: Int(n)) }
            }
            let alpha = Double(linear.attribute("alpha")?.floatValue ?? 1), beta = Double(linear.attribute("beta")?.floatValue ?? 1)
            (target, axis) = (.gemm(transB: transB, alpha: alpha, beta: beta), transB ? 0 : 1)
        default: // MatMul
            try twoDimensional()
            try produced(w.dims[1], "features")
            try onePerChannel(bias, true)
            // BatchNormalization normalizes axis 1; MatMul's features are on the last axis. They coincide only for 2-D.
            guard let a = scope.input(linear, 0) else { throw .missingOperand(role: "input A", node: name, opType: op) }
            let declared = scope.resolve(a)
            guard let rank = declared.scope.graph.inferredRank(declared.id) else {
                throw .matMulRankUnknown(node: name, input: scope.name(a))
            }
            guard rank == 2 else { throw .matMulRank(node: name, rank: rank) }
            (target, axis) = (add == nil ? .matMul : .matMulAdd, 1)
        }
        guard (w.elementCount ?? 0) > 0 else { throw .emptyWeight(value: weightName, node: name, opType: op) }
        return (target, axis)
    }
}
