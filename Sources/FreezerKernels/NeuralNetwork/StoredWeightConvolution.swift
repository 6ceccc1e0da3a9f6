import FreezerIR

/// A convolution of the exact reference (float64) by a large constant weight read from its stored bytes.
///
/// Decoded, a Conv weight is held whole as float64 while its node runs: twice its float32 size (a held-out
/// 1.4 GB weight took 3.9 GB). Here every image's patches become the rows of one matrix, and the
/// convolution is the product `patches · Wᵀ` by the weight as stored, `[M, C·k…]` read transposed, which
/// `StoredWeightProduct` widens block by block: each output is one float64 fma chain over C·k…, started
/// from the bias. Only the float64 evaluation takes this path: a float32 evaluation keeps its own
/// convolution, whose rounding the criterion measures.
enum StoredWeightConvolution {
    /// Patches held at most (float64 elements, for all samples together): beyond it, the decoded path.
    static let patchLimit = 16 << 20

    /// The weight of `node`, viewed as the `[M, C·k…]` matrix it is, when the node is a Conv with one group
    /// whose float32, float16 or bfloat16 weight may be read from its stored bytes
    /// (`StoredWeightProduct.storedOperand`).
    static func weight(of node: Node, in graph: Graph) -> StoredWeightProduct.Weight? {
        guard NativeKernels.isAvailable, node.isOnnx("Conv"), node.attribute("group")?.intValue ?? 1 == 1, node.inputs.count >= 2,
              var tensor = StoredWeightProduct.storedOperand(node.inputs[1], in: graph), tensor.dims.count >= 3,
              tensor.dims.allSatisfy({ $0 > 0 }), [ElementType.float, .float16, .bfloat16].contains(tensor.elementType) else { return nil }
        let kernel = tensor.dims.dropFirst(2).map { Int($0) }
        tensor.dims = [tensor.dims[0], tensor.dims.dropFirst().reduce(1, *)]
        return StoredWeightProduct.Weight(tensor: tensor, transposed: true, isGemm: true, kernel: kernel)
    }

    /// The convolution of each sample's X (float64, `[N, C, D…]`) by `weight` (+ bias), or nil when the
    /// inputs do not suit this path (the decoded path then runs, and reports what is wrong).
    static func convolve(_ contexts: [KernelContext], weight: StoredWeightProduct.Weight) throws(EvaluationError) -> [NDArray]? {
        let m = Int(weight.tensor.dims[0]), depth = weight.k, kernel = weight.kernel
        guard !kernel.isEmpty else { return nil }
        var geometry: NeuralNetworkOperators.SpatialGeometry?
        var xs: [NDArray] = []
        var bias: NDArray?
        for ctx in contexts {
            let x = try ctx.input(0)
            guard case .double = x.storage, x.rank == kernel.count + 2, x.shape[1] * kernel.reduce(1, *) == depth else { return nil }
            try NeuralNetworkOperators.checkKernelShape(ctx, weightSpatial: kernel)
            let g = try NeuralNetworkOperators.spatialGeometry(ctx, input: Array(x.shape[2...]), kernel: kernel)
            guard geometry == nil || geometry == g, g.outputCount > 0 else { return nil }
            geometry = g
            if let b = ctx.optionalInput(2) {
                guard case .double = b.storage, b.shape == [m] else { return nil }
                bias = b
            }
            xs.append(x)
        }
        guard let g = geometry else { return nil }
        let outputs = g.outputCount
        let rows = xs.reduce(0) { $0 + $1.shape[0] } * outputs
        guard rows * depth <= patchLimit else { return nil }
        // patches[row = (image, output position), column = (channel, kernel position)]
        let windows = NeuralNetworkOperators.windowRows(g)
        var patches = [Double](repeating: 0, count: rows * depth)
        var column = [Double](repeating: 0, count: outputs)
        var index = [Int](repeating: 0, count: g.rank)
        var row0 = 0
        for x in xs {
            let channels = x.shape[1], inCount = g.inputCount
            x.doubles.withUnsafeBufferPointer { xb in
                column.withUnsafeMutableBufferPointer { cb in
                    for image in 0..<x.shape[0] {
                        for ch in 0..<channels {
                            let plane = xb.baseAddress! + (image * channels + ch) * inCount
                            for (k, window) in windows.enumerated() {
                                window.gather(plane, into: cb.baseAddress!, index: &index)
                                let j = ch * windows.count + k
                                for o in 0..<outputs { patches[(row0 + o) * depth + j] = cb[o] }
                            }
                        }
                        row0 += outputs
                    }
                }
            }
        }
        let a = NDArray(elementType: .double, shape: [rows, depth], storage: .double(patches))
        guard let product = StoredWeightProduct.multiply(a, by: weight, bias: bias, precision: .float64) else { return nil }
        // product[row, m] → y[image][m][output position]
        let values = product.doubles
        var results: [NDArray] = []
        var first = 0
        for x in xs {
            let images = x.shape[0]
            var y = [Double](repeating: 0, count: images * m * outputs)
            for image in 0..<images {
                for o in 0..<outputs {
                    let source = (first + image * outputs + o) * m
                    for c in 0..<m { y[(image * m + c) * outputs + o] = values[source + c] }
                }
            }
            first += images * outputs
            results.append(NDArray(elementType: .double, shape: [images, m] + g.output, storage: .double(y)))
        }
        return results
    }
}
