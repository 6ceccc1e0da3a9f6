import FreezerIR

extension NeuralNetworkOperators {
    /// A value MaxPool can compare: floats, and int8/uint8 (held as Int64) from opset 12.
    protocol PoolValue: Comparable {
        /// Below every value, so the first element of a window always replaces it.
        static var nnLowest: Self { get }
    }

    /// The in-image input positions of each window, visited in row-major kernel order.
    struct WindowWalker {
        let g: SpatialGeometry
        private var outIndex: [Int]
        private var kIndex: [Int]
        private let inStrides: [Int]

        init(_ g: SpatialGeometry) {
            self.g = g
            outIndex = [Int](repeating: 0, count: g.rank)
            kIndex = [Int](repeating: 0, count: g.rank)
            inStrides = NDArray.strides(of: g.input)
        }

        /// Fills `indices` with the flat (row-major, spatial) input indices of the window at output
        /// position `outFlat`, and returns how many positions of the window lie inside the padded
        /// extent `[-padBegin, in + padEnd)` (the count_include_pad divisor).
        mutating func window(_ outFlat: Int, into indices: inout [Int]) -> Int {
            let nd = g.rank
            var rest = outFlat
            for d in stride(from: nd - 1, through: 0, by: -1) {
                outIndex[d] = rest % g.output[d]
                rest /= g.output[d]
            }
            indices.removeAll(keepingCapacity: true)
            var padded = 1
            for d in 0..<nd {
                let start = outIndex[d] * g.strides[d] - g.padBegin[d]
                var inside = 0
                for j in 0..<g.kernel[d] where start + j * g.dilations[d] < g.input[d] + g.padEnd[d] { inside += 1 }
                padded *= inside
                kIndex[d] = 0
            }
            let total = g.kernelCount
            for _ in 0..<total {
                var flat = 0
                var valid = true
                for d in 0..<nd {
                    let p = outIndex[d] * g.strides[d] - g.padBegin[d] + kIndex[d] * g.dilations[d]
                    if p < 0 || p >= g.input[d] { valid = false; break }
                    flat += p * inStrides[d]
                }
                if valid { indices.append(flat) }
                var d = nd - 1
                while d >= 0 {
                    kIndex[d] += 1
                    if kIndex[d] < g.kernel[d] { break }
                    kIndex[d] = 0
                    d -= 1
                }
            }
            return padded
        }
    }

    /// The geometry of MaxPool/AveragePool from X and the kernel_shape attribute.
    static func poolGeometry(_ ctx: KernelContext, _ x: NDArray) throws(EvaluationError) -> SpatialGeometry {
        guard x.rank >= 3 else { throw ctx.fail("X must be N×C×D1… (rank ≥ 3) but is \(text(x.shape))") }
        let nd = x.rank - 2
        guard let kernel = ctx.ints("kernel_shape") else { throw ctx.fail("attribute 'kernel_shape' is required") }
        let k = try intsAttribute(ctx, "kernel_shape", count: nd, default: kernel.map { Int($0) }, minimum: 1)
        return try spatialGeometry(ctx, input: Array(x.shape[2...]), kernel: k, ceilMode: ctx.int("ceil_mode", default: 0) != 0)
    }

    /// MaxPool: Y, and from opset 8 optional Indices (int64, flat over N×C×D…; storage_order 1 gives
    /// column-major spatial indices). Ties keep the first maximum in row-major window order.
    static func maxPool(_ ctx: KernelContext) throws(EvaluationError) -> [NDArray?] {
        let x = try ctx.input(0)
        let g = try poolGeometry(ctx, x)
        let storageOrder = ctx.int("storage_order", default: 0)
        guard storageOrder == 0 || storageOrder == 1 else { throw ctx.fail("attribute 'storage_order' is \(storageOrder); expected 0 or 1") }
        let outShape = Array(x.shape[0..<2]) + g.output
        _ = try elementCount(outShape, ctx, what: "the output")
        let wantIndices = ctx.outputCount > 1 && ctx.outputIsNeeded(1)
        let planes = x.shape[0] * x.shape[1]
        let y: NDArray.Storage
        var indices: [Int64] = []
        switch x.storage {
        case .float(let v):
            let r = maxPoolPlanes(v, planes: planes, g, indices: wantIndices, columnMajor: storageOrder == 1)
            y = .float(r.0); indices = r.1
        case .double(let v):
            let r = maxPoolPlanes(v, planes: planes, g, indices: wantIndices, columnMajor: storageOrder == 1)
            y = .double(r.0); indices = r.1
        case .int(let v) where x.elementType == .int8 || x.elementType == .uint8:
            let r = maxPoolPlanes(v, planes: planes, g, indices: wantIndices, columnMajor: storageOrder == 1)
            y = .int(r.0); indices = r.1
        default:
            throw ctx.fail("input X has element type \(x.elementType); MaxPool takes floating-point, int8 and uint8 tensors")
        }
        return [NDArray(elementType: x.elementType, shape: outShape, storage: y),
                wantIndices ? NDArray(ints: indices, shape: outShape) : nil]
    }

    /// MaxPool over `planes` planes of X: two spatial axes without Indices take the row walk of
    /// `maxPool2D`, everything else the general window walk (both give the same values).
    static func maxPoolPlanes<T: PoolValue>(_ x: [T], planes: Int, _ g: SpatialGeometry, indices wantIndices: Bool,
                                           columnMajor: Bool) -> ([T], [Int64]) {
        if g.rank == 2 && !wantIndices { return (maxPool2D(x, planes: planes, g), []) }
        return maxPoolWindows(x, planes: planes, g, indices: wantIndices, columnMajor: columnMajor)
    }

    /// MaxPool of any rank through `WindowWalker`, with Indices.
    static func maxPoolWindows<T: PoolValue>(_ x: [T], planes: Int, _ g: SpatialGeometry, indices wantIndices: Bool,
                                            columnMajor: Bool) -> ([T], [Int64]) {
        let inCount = g.inputCount, outCount = g.outputCount
        var y = [T](repeating: T.nnLowest, count: planes * outCount)
        var argmax = [Int64](repeating: 0, count: wantIndices ? planes * outCount : 0)
        var walker = WindowWalker(g)
        var window: [Int] = []
        window.reserveCapacity(g.kernelCount)
        // Column-major spatial strides, for storage_order 1.
        var colStrides = [Int](repeating: 1, count: g.rank)
        for d in 1..<max(1, g.rank) { colStrides[d] = colStrides[d - 1] * g.input[d - 1] }
        let rowStrides = NDArray.strides(of: g.input)
        x.withUnsafeBufferPointer { xb in
            y.withUnsafeMutableBufferPointer { yb in
              // Windows of a block of outputs are gathered once, then applied to every plane (so each
              // plane's input is read in order rather than one window per plane at a time).
              let block = 256
              var starts = [Int](repeating: 0, count: block + 1)
              var flatWindows: [Int] = []
              flatWindows.reserveCapacity(block * g.kernelCount)
              for first in stride(from: 0, to: outCount, by: block) {
                let count = min(block, outCount - first)
                flatWindows.removeAll(keepingCapacity: true)
                for j in 0..<count {
                    _ = walker.window(first + j, into: &window)
                    starts[j] = flatWindows.count
                    flatWindows.append(contentsOf: window)
                }
                starts[count] = flatWindows.count
                for plane in 0..<planes {
                  flatWindows.withUnsafeBufferPointer { fw in
                    for j in 0..<count {
                        let o = first + j
                        let base = plane * inCount
                        var best = T.nnLowest
                        var bestIndex = -1
                        for t in starts[j]..<starts[j + 1] {
                            let i = fw[t]
                            guard bestIndex < 0 || xb[base + i] > best else { continue }
                            best = xb[base + i]
                            bestIndex = i
                        }
                        yb[plane * outCount + o] = best
                        guard wantIndices else { continue }
                        var flat = max(bestIndex, 0)
                        if columnMajor {
                            var rest = flat
                            flat = 0
                            for d in 0..<g.rank {
                                flat += (rest / rowStrides[d]) * colStrides[d]
                                rest %= rowStrides[d]
                            }
                        }
                        argmax[plane * outCount + o] = Int64(base + flat)
                    }
                  }
                }
              }
            }
        }
        return (y, argmax)
    }

    /// AveragePool: the mean over each window; with count_include_pad (opset 7+) padding positions
    /// count in the divisor, except those a ceil_mode window adds beyond the end padding.
    static func averagePool(_ ctx: KernelContext) throws(EvaluationError) -> [NDArray?] {
        let x = try ctx.input(0)
        let kind = try floatKind(x, ctx, input: "X")
        let g = try poolGeometry(ctx, x)
        let includePad = ctx.int("count_include_pad", default: 0) != 0
        let outShape = Array(x.shape[0..<2]) + g.output
        _ = try elementCount(outShape, ctx, what: "the output")
        let planes = x.shape[0] * x.shape[1]
        switch kind {
        case .float:
            return [NDArray(elementType: x.elementType, shape: outShape, storage: .float(averagePoolPlanes(x.floats, planes: planes, g, includePad: includePad)))]
        case .double:
            return [NDArray(elementType: x.elementType, shape: outShape, storage: .double(averagePoolPlanes(x.doubles, planes: planes, g, includePad: includePad)))]
        }
    }

    /// Window sums are accumulated in Double and rounded once; two spatial axes take the row walk of
    /// `averagePool2D`, which adds in the same order.
    static func averagePoolPlanes<T: BLASFloat>(_ x: [T], planes: Int, _ g: SpatialGeometry, includePad: Bool) -> [T] {
        if g.rank == 2 { return averagePool2D(x, planes: planes, g, includePad: includePad) }
        return averagePoolWindows(x, planes: planes, g, includePad: includePad)
    }

    /// AveragePool of any rank through `WindowWalker`.
    static func averagePoolWindows<T: BLASFloat>(_ x: [T], planes: Int, _ g: SpatialGeometry, includePad: Bool) -> [T] {
        let inCount = g.inputCount, outCount = g.outputCount
        var y = [T](repeating: 0, count: planes * outCount)
        var walker = WindowWalker(g)
        var window: [Int] = []
        window.reserveCapacity(g.kernelCount)
        x.withUnsafeBufferPointer { xb in
            y.withUnsafeMutableBufferPointer { yb in
                for o in 0..<outCount {
                    let padded = walker.window(o, into: &window)
                    let divisor = Double(includePad ? padded : window.count)
                    for plane in 0..<planes {
                        let base = plane * inCount
                        var sum = 0.0
                        for i in window { sum += Double(xb[base + i]) }
                        yb[plane * outCount + o] = T(sum / divisor)
                    }
                }
            }
        }
        return y
    }

    /// GlobalAveragePool / GlobalMaxPool: one value per image and channel, shape N×C×1×…×1.
    static func globalPool(_ ctx: KernelContext, max isMax: Bool) throws(EvaluationError) -> [NDArray?] {
        let x = try ctx.input(0)
        let kind = try floatKind(x, ctx, input: "X")
        guard x.rank >= 2 else { throw ctx.fail("X must be N×C×D1… but is \(text(x.shape))") }
        let planes = x.shape[0] * x.shape[1]
        let size = x.shape[2...].reduce(1, *)
        let outShape = Array(x.shape[0..<2]) + [Int](repeating: 1, count: x.rank - 2)
        if isMax && size == 0 { throw ctx.fail("GlobalMaxPool of an empty spatial extent \(text(x.shape))") }
        switch kind {
        case .float:
            return [NDArray(elementType: x.elementType, shape: outShape, storage: .float(globalPoolPlanes(x.floats, planes: planes, size: size, max: isMax)))]
        case .double:
            return [NDArray(elementType: x.elementType, shape: outShape, storage: .double(globalPoolPlanes(x.doubles, planes: planes, size: size, max: isMax)))]
        }
    }

    static func globalPoolPlanes<T: BLASFloat & PoolValue>(_ x: [T], planes: Int, size: Int, max isMax: Bool) -> [T] {
        var y = [T](repeating: 0, count: planes)
        x.withUnsafeBufferPointer { xb in
            for p in 0..<planes {
                let base = p * size
                if isMax {
                    var best = T.nnLowest
                    for i in base..<(base + size) where i == base || xb[i] > best { best = xb[i] }
                    y[p] = best
                } else {
                    var sum = 0.0
                    for i in base..<(base + size) { sum += Double(xb[i]) }
                    y[p] = T(sum / Double(size))
                }
            }
        }
        return y
    }
}

extension Float: NeuralNetworkOperators.PoolValue { static var nnLowest: Float { -.infinity } }
extension Double: NeuralNetworkOperators.PoolValue { static var nnLowest: Double { -.infinity } }
extension Int64: NeuralNetworkOperators.PoolValue { static var nnLowest: Int64 { .min } }
