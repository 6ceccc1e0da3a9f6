import FreezerIR

extension NeuralNetworkOperators {
    /// The mode and output layout of one BatchNormalization node, by opset.
    struct BatchNormForm {
        /// Whether the node asks for batch statistics (training):
        /// opset ≤ 6 `is_test == 0` (the default); 7–13 more than one output; 14+ `training_mode == 1`.
        var training: Bool
        /// opset ≤ 8 `spatial = 0`: one statistic per activation (C×D1×…×Dn) rather than per channel.
        var perActivation: Bool
        /// Outputs 3 and 4: saved mean and saved variance (opset ≤ 13) or saved inverse standard
        /// deviation (com.microsoft BatchNormInternal).
        var savedOutputs: SavedOutputs
        enum SavedOutputs { case none, meanAndVariance, meanAndInverseStd }

        static func of(_ ctx: KernelContext) -> BatchNormForm {
            let v = ctx.opset
            let training: Bool
            if v <= 6 {
                training = ctx.int("is_test", default: 0) == 0
            } else if v <= 13 {
                training = (1..<max(1, ctx.outputCount)).contains { ctx.outputIsNeeded($0) }
            } else {
                training = ctx.int("training_mode", default: 0) != 0
            }
            return BatchNormForm(training: training, perActivation: v <= 8 && ctx.int("spatial", default: 1) == 0,
                                 savedOutputs: v <= 13 ? .meanAndVariance : .none)
        }
    }

    /// BatchNormalization, every opset (1, 6, 7, 9, 14, 15).
    ///
    /// Inference: `y = x · s + (B − mean · s)` with `s = scale / sqrt(var + epsilon)`, in the computation
    /// type of X (float32 for float32, as onnxruntime computes it). Training (see `BatchNormForm`): the
    /// batch mean and population variance (accumulated in Double) replace mean and var in that formula,
    /// and `running = input · momentum + batch · (1 − momentum)`; opset ≤ 13 also outputs the batch
    /// mean and variance (the ONNX reference's saved_mean/saved_var; onnxruntime's saved_var output
    /// holds the inverse standard deviation instead). With `inferenceSemantics` the training form is
    /// evaluated as at inference: the given statistics are used and returned unchanged.
    static func batchNormalization(_ ctx: KernelContext) throws(EvaluationError) -> [NDArray?] {
        try batchNorm(ctx, form: .of(ctx))
    }

    /// com.microsoft BatchNormInternal (onnxruntime training): inputs as BatchNormalization, attribute
    /// training_mode (default 1), outputs Y, running_mean, running_var, saved_mean, saved_inv_std.
    static func batchNormInternal(_ ctx: KernelContext) throws(EvaluationError) -> [NDArray?] {
        try batchNorm(ctx, form: BatchNormForm(training: ctx.int("training_mode", default: 1) != 0,
                                               perActivation: false, savedOutputs: .meanAndInverseStd))
    }

    static func batchNorm(_ ctx: KernelContext, form: BatchNormForm) throws(EvaluationError) -> [NDArray?] {
        let x = try ctx.input(0)
        let kind = try floatKind(x, ctx, input: "X")
        let params = try (0..<4).map { (i) throws(EvaluationError) -> NDArray in try ctx.input(i + 1) }
        let names = ["scale", "B", "mean", "var"]
        for (p, name) in zip(params, names) { _ = try floatKind(p, ctx, input: name) }
        guard x.rank >= 1 else { throw ctx.fail("X must have rank ≥ 1 but is a scalar") }
        // A 1-D X is N samples of one channel.
        let n = x.shape[0]
        var channels = x.rank >= 2 ? x.shape[1] : 1
        var inner = x.rank >= 2 ? x.shape[2...].reduce(1, *) : 1
        if form.perActivation { channels *= inner; inner = 1 }
        for (p, name) in zip(params, names) where p.count != channels {
            let expected = form.perActivation ? "C×D1×…×Dn = \(channels) values (spatial = 0)" : "\(channels) values (one per channel)"
            throw ctx.fail("input \(name) is \(text(p.shape)) but X \(text(x.shape)) needs \(expected)")
        }
        let epsilon = ctx.float("epsilon", default: 1e-5), momentum = ctx.float("momentum", default: 0.9)
        let useBatch = form.training && !ctx.inferenceSemantics
        let layout = BatchNormLayout(n: n, channels: channels, inner: inner)
        switch kind {
        case .float:
            return batchNormTyped(Float.self, x, params, form: form, useBatch: useBatch, layout: layout, epsilon: epsilon, momentum: momentum, ctx)
        case .double:
            return batchNormTyped(Double.self, x, params, form: form, useBatch: useBatch, layout: layout, epsilon: epsilon, momentum: momentum, ctx)
        }
    }

    struct BatchNormLayout { var n: Int, channels: Int, inner: Int }

    static func batchNormTyped<T: BLASFloat>(_: T.Type, _ x: NDArray, _ params: [NDArray], form: BatchNormForm, useBatch: Bool,
                                             layout: BatchNormLayout, epsilon: Float, momentum: Float,
                                             _ ctx: KernelContext) -> [NDArray?] {
        let xv = T.nnValues(x) ?? []
        let scale = floatingValues(params[0], as: T.self) ?? []
        let bias = floatingValues(params[1], as: T.self) ?? []
        let meanIn = params[2], varIn = params[3]
        var mean = floatingValues(meanIn, as: T.self) ?? []
        var variance = floatingValues(varIn, as: T.self) ?? []
        var batchMean: [Double] = [], batchVar: [Double] = []
        if useBatch {
            (batchMean, batchVar) = batchStatistics(xv, layout)
            mean = batchMean.map { T($0) }
            variance = batchVar.map { T($0) }
        }
        let eps = T(epsilon)
        // Every element is written below (channels × n × inner covers X), so no zero-filling first.
        let y = [T](unsafeUninitializedCapacity: xv.count) { yb, initialized in
            xv.withUnsafeBufferPointer { xb in
                for c in 0..<layout.channels {
                    let s = scale[c] / (variance[c] + eps).nnSqrt
                    let shift = bias[c] - mean[c] * s
                    for image in 0..<layout.n {
                        let base = (image * layout.channels + c) * layout.inner
                        for i in base..<(base + layout.inner) { yb[i] = xb[i] * s + shift }
                    }
                }
            }
            initialized = xv.count
        }
        var outputs: [NDArray?] = [NDArray(elementType: x.elementType, shape: x.shape, storage: T.nnStorage(y))]
        let wanted = (1..<max(1, ctx.outputCount)).filter { ctx.outputIsNeeded($0) }
        guard let last = wanted.last else { return outputs }
        outputs += [NDArray?](repeating: nil, count: last)
        let statShape = meanIn.shape
        let m = Double(momentum)
        for slot in wanted {
            switch (slot, useBatch) {
            case (1, true):
                let running = floatingValues(meanIn, as: Double.self) ?? []
                let v = (0..<layout.channels).map { running[$0] * m + batchMean[$0] * (1 - m) }
                outputs[1] = floatingArray(v, type: meanIn.elementType, shape: statShape)
            case (2, true):
                let running = floatingValues(varIn, as: Double.self) ?? []
                let v = (0..<layout.channels).map { running[$0] * m + batchVar[$0] * (1 - m) }
                outputs[2] = floatingArray(v, type: varIn.elementType, shape: statShape)
            case (1, false): outputs[1] = meanIn
            case (2, false): outputs[2] = varIn
            case (3, true): outputs[3] = floatingArray(batchMean, type: meanIn.elementType, shape: statShape)
            case (3, false): outputs[3] = meanIn
            case (4, _):
                switch form.savedOutputs {
                case .meanAndInverseStd:
                    let v = useBatch ? batchVar : (floatingValues(varIn, as: Double.self) ?? [])
                    let eps = Double(epsilon)
                    outputs[4] = floatingArray(v.map { 1 / ($0 + eps).squareRoot() }, type: varIn.elementType, shape: statShape)
                case .meanAndVariance, .none:
                    outputs[4] = useBatch ? floatingArray(batchVar, type: varIn.elementType, shape: statShape) : varIn
                }
            default: break
            }
        }
        return outputs
    }

    /// Per-channel mean and population variance over the batch and spatial positions (two passes, in
    /// Double so that large batches do not lose precision).
    static func batchStatistics<T: BLASFloat>(_ x: [T], _ l: BatchNormLayout) -> ([Double], [Double]) {
        var mean = [Double](repeating: 0, count: l.channels), variance = [Double](repeating: 0, count: l.channels)
        let count = Double(l.n * l.inner)
        x.withUnsafeBufferPointer { xb in
            for c in 0..<l.channels {
                var sum = 0.0
                for image in 0..<l.n {
                    let base = (image * l.channels + c) * l.inner
                    for i in base..<(base + l.inner) { sum += Double(xb[i]) }
                }
                let mu = sum / count
                var sq = 0.0
                for image in 0..<l.n {
                    let base = (image * l.channels + c) * l.inner
                    for i in base..<(base + l.inner) { let d = Double(xb[i]) - mu; sq += d * d }
                }
                mean[c] = mu
                variance[c] = sq / count
            }
        }
        return (mean, variance)
    }

    /// Double values as an array of floating-point `type` (rounded once to Float for float32/16/bf16).
    static func floatingArray(_ values: [Double], type: ElementType, shape: [Int]) -> NDArray {
        if NDArray.kind(of: type) == .double { return NDArray(elementType: type, shape: shape, storage: .double(values)) }
        return NDArray(elementType: type, shape: shape, storage: .float(values.map { Float($0) }))
    }
}
