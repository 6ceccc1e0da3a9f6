import CFreezerKernels
import FreezerIR

extension NeuralNetworkOperators {
    /// Mean and `1 / sqrt(variance + epsilon)` of each of `rows` contiguous runs of `size` values.
    ///
    /// Two passes in Double (the population variance of the centred values), whatever the input type:
    /// at least as accurate as the stash_type float32 the ONNX functions specify.
    static func rowStatistics<T: BLASFloat>(_ x: UnsafeBufferPointer<T>, rows: Int, size: Int,
                                            epsilon: Double) -> (mean: [Double], invStd: [Double]) {
        var mean = [Double](repeating: 0, count: rows), invStd = [Double](repeating: 0, count: rows)
        var first = 0
        // Four rows at a time, one per SIMD lane: each row's sums keep their order (bit-identical to
        // the loop below), but four independent chains of additions overlap instead of each waiting
        // on the latency of its previous addition.
        if size > 0, let p = x.baseAddress {
            let n = Double(size)
            while first + 4 <= rows {
                let p0 = p + first * size, p1 = p0 + size, p2 = p1 + size, p3 = p2 + size
                var sum = SIMD4<Double>()
                for i in 0..<size { sum += SIMD4(Double(p0[i]), Double(p1[i]), Double(p2[i]), Double(p3[i])) }
                let mu = sum / n
                var sq = SIMD4<Double>()
                for i in 0..<size {
                    let d = SIMD4(Double(p0[i]), Double(p1[i]), Double(p2[i]), Double(p3[i])) - mu
                    sq += d * d
                }
                for k in 0..<4 {
                    mean[first + k] = mu[k]
                    invStd[first + k] = 1 / (sq[k] / n + epsilon).squareRoot()
                }
                first += 4
            }
        }
        for r in first..<rows {
            let base = r * size
            var sum = 0.0
            for i in base..<(base + size) { sum += Double(x[i]) }
            let mu = sum / Double(size)
            var sq = 0.0
            for i in base..<(base + size) { let d = Double(x[i]) - mu; sq += d * d }
            mean[r] = mu
            invStd[r] = 1 / (sq / Double(size) + epsilon).squareRoot()
        }
        return (mean, invStd)
    }

    /// InstanceNormalization (1, 6, 22): per image and channel, `scale[c] · (x − mean) / sqrt(var + ε) + B[c]`.
    static func instanceNormalization(_ ctx: KernelContext) throws(EvaluationError) -> [NDArray?] {
        let x = try ctx.input(0), scale = try ctx.input(1), bias = try ctx.input(2)
        let kind = try floatKind(x, ctx, input: "input")
        guard x.rank >= 3 else { throw ctx.fail("input must be N×C×D1… (rank ≥ 3) but is \(text(x.shape))") }
        let c = x.shape[1]
        guard scale.count == c, bias.count == c else {
            throw ctx.fail("scale \(text(scale.shape)) and B \(text(bias.shape)) must have C = \(c) values for input \(text(x.shape))")
        }
        let epsilon = Double(ctx.float("epsilon", default: 1e-5))
        let size = x.shape[2...].reduce(1, *)
        switch kind {
        case .float: return [try instanceNorm(Float.self, x, scale, bias, channels: c, size: size, epsilon: epsilon, ctx)]
        case .double: return [try instanceNorm(Double.self, x, scale, bias, channels: c, size: size, epsilon: epsilon, ctx)]
        }
    }

    static func instanceNorm<T: BLASFloat>(_: T.Type, _ x: NDArray, _ scale: NDArray, _ bias: NDArray, channels: Int, size: Int,
                                           epsilon: Double, _ ctx: KernelContext) throws(EvaluationError) -> NDArray {
        guard let s = floatingValues(scale, as: Double.self), let b = floatingValues(bias, as: Double.self) else {
            throw ctx.fail("scale and B must be floating point")
        }
        let xv = T.nnValues(x) ?? []
        var y = [T](repeating: 0, count: xv.count)
        let rows = x.shape[0] * channels
        xv.withUnsafeBufferPointer { xb in
            let stats = rowStatistics(xb, rows: rows, size: size, epsilon: epsilon)
            y.withUnsafeMutableBufferPointer { yb in
                for r in 0..<rows {
                    let a = stats.invStd[r] * s[r % channels], mu = stats.mean[r], shift = b[r % channels]
                    for i in (r * size)..<((r + 1) * size) { yb[i] = T((Double(xb[i]) - mu) * a + shift) }
                }
            }
        }
        return NDArray(elementType: x.elementType, shape: x.shape, storage: T.nnStorage(y))
    }

    /// GroupNormalization: statistics per image and group of C/num_groups channels; scale and bias
    /// are per group at opset 18 and per channel from opset 21.
    static func groupNormalization(_ ctx: KernelContext) throws(EvaluationError) -> [NDArray?] {
        let x = try ctx.input(0), scale = try ctx.input(1), bias = try ctx.input(2)
        let kind = try floatKind(x, ctx, input: "X")
        guard x.rank >= 2 else { throw ctx.fail("X must be N×C×D1… (rank ≥ 2) but is \(text(x.shape))") }
        guard let groups64 = ctx.int("num_groups") else { throw ctx.fail("attribute 'num_groups' is required") }
        let c = x.shape[1]
        guard groups64 >= 1, groups64 <= Int64(max(c, 1)), c % Int(groups64) == 0 else {
            throw ctx.fail("attribute 'num_groups' = \(groups64) does not divide the C = \(c) channels of X \(text(x.shape))")
        }
        let groups = Int(groups64)
        let perChannel = ctx.opset >= 21
        let expected = perChannel ? c : groups
        guard scale.count == expected, bias.count == expected else {
            throw ctx.fail("scale \(text(scale.shape)) and bias \(text(bias.shape)) must have \(expected) values (one per \(perChannel ? "channel" : "group") at opset \(ctx.opset))")
        }
        guard let s = floatingValues(scale, as: Double.self), let b = floatingValues(bias, as: Double.self) else {
            throw ctx.fail("scale and bias must be floating point")
        }
        let epsilon = Double(ctx.float("epsilon", default: 1e-5))
        let spatial = x.shape[2...].reduce(1, *)
        let layout = GroupLayout(rows: x.shape[0] * groups, groups: groups, channelsPerGroup: c / groups,
                                 spatial: spatial, perChannel: perChannel)
        switch kind {
        case .float:
            return [NDArray(elementType: x.elementType, shape: x.shape, storage: .float(groupNorm(x.floats, s, b, layout, epsilon)))]
        case .double:
            return [NDArray(elementType: x.elementType, shape: x.shape, storage: .double(groupNorm(x.doubles, s, b, layout, epsilon)))]
        }
    }

    struct GroupLayout { var rows: Int, groups: Int, channelsPerGroup: Int, spatial: Int, perChannel: Bool }

    static func groupNorm<T: BLASFloat>(_ x: [T], _ s: [Double], _ b: [Double], _ l: GroupLayout, _ epsilon: Double) -> [T] {
        var y = [T](repeating: 0, count: x.count)
        let size = l.channelsPerGroup * l.spatial
        x.withUnsafeBufferPointer { xb in
            let stats = rowStatistics(xb, rows: l.rows, size: size, epsilon: epsilon)
            y.withUnsafeMutableBufferPointer { yb in
                for r in 0..<l.rows {
                    let g = r % l.groups
                    for ch in 0..<l.channelsPerGroup {
                        let p = l.perChannel ? g * l.channelsPerGroup + ch : g
                        let a = stats.invStd[r] * s[p], mu = stats.mean[r], shift = b[p]
                        let base = r * size + ch * l.spatial
                        for i in base..<(base + l.spatial) { yb[i] = T((Double(xb[i]) - mu) * a + shift) }
                    }
                }
            }
        }
        return y
    }

    /// LayerNormalization (17): statistics over axes `axis…rank−1`; Scale and B broadcast to X.
    /// Outputs Mean and InvStdDev have shape `X.shape[..<axis] + [1, …]` and the stash_type's type.
    static func layerNormalization(_ ctx: KernelContext) throws(EvaluationError) -> [NDArray?] {
        let x = try ctx.input(0), scale = try ctx.input(1)
        let bias = ctx.optionalInput(2)
        let kind = try floatKind(x, ctx, input: "X")
        guard x.rank >= 1 else { throw ctx.fail("X must have rank ≥ 1") }
        let axis = try ctx.axis(ctx.int("axis", default: -1), rank: x.rank)
        let outer = x.shape[..<axis].reduce(1, *), inner = x.shape[axis...].reduce(1, *)
        let innerShape = Array(x.shape[axis...])
        let epsilon = Double(ctx.float("epsilon", default: 1e-5))
        let stashType: ElementType
        switch ctx.int("stash_type", default: 1) {
        case 1: stashType = .float
        case 10: stashType = .float16
        case 11: stashType = .double
        case 16: stashType = .bfloat16
        case let v: throw ctx.fail("attribute 'stash_type' = \(v) is not a floating-point type")
        }
        // Parameters as inner-sized vectors when they only vary along the normalized axes (the usual
        // case), else materialized at X's full shape.
        func parameter(_ p: NDArray, _ name: String) throws(EvaluationError) -> (values: [Double], full: Bool) {
            guard let v = floatingValues(p, as: Double.self) else { throw ctx.fail("input \(name) must be floating point") }
            var shape = p.shape
            while shape.count > innerShape.count && shape.first == 1 { shape.removeFirst() }
            if let b = broadcast(v, from: shape, to: innerShape) { return (b, false) }
            if let b = broadcast(v, from: p.shape, to: x.shape) { return (b, true) }
            throw ctx.fail("input \(name) \(text(p.shape)) does not broadcast to X \(text(x.shape))")
        }
        let s = try parameter(scale, "Scale")
        let b = try bias.map { (p) throws(EvaluationError) in try parameter(p, "B") }
        var statShape = Array(x.shape[..<axis])
        statShape += [Int](repeating: 1, count: x.rank - axis)
        let layout = LayerLayout(rows: outer, size: inner)
        let (y, mean, invStd): (NDArray.Storage, [Double], [Double])
        switch kind {
        case .float where NativeKernels.isAvailable && inner > 0 && !s.full && !(b?.full ?? false):
            let r = layerNormRows(x.floats, scale: s.values, bias: b?.values, layout, epsilon)
            (y, mean, invStd) = (.float(r.0), r.1, r.2)
        case .float:
            let r = layerNorm(x.floats, scale: s, bias: b, layout, epsilon)
            (y, mean, invStd) = (.float(r.0), r.1, r.2)
        case .double:
            let r = layerNorm(x.doubles, scale: s, bias: b, layout, epsilon)
            (y, mean, invStd) = (.double(r.0), r.1, r.2)
        }
        // Mean and InvStdDev are optional outputs, rarely used at inference: skip converting them then.
        func stat(_ k: Int, _ values: [Double]) -> NDArray? {
            ctx.outputCount > k && ctx.outputIsNeeded(k) ? floatingArray(values, type: stashType, shape: statShape).rounded() : nil
        }
        return [NDArray(elementType: x.elementType, shape: x.shape, storage: y), stat(1, mean), stat(2, invStd)]
    }

    struct LayerLayout { var rows: Int, size: Int }

    /// `layerNorm` of float rows with parameters along the row, on the AVX-512 kernel: the same
    /// operations per element in double; each row's sums are 8 lane sums added in a fixed order.
    /// Rows must not be empty (`layerNorm` gives their NaN statistics).
    static func layerNormRows(_ x: [Float], scale: [Double], bias: [Double]?, _ l: LayerLayout,
                              _ epsilon: Double) -> ([Float], [Double], [Double]) {
        var mean = [Double](repeating: 0, count: l.rows), invStd = [Double](repeating: 0, count: l.rows)
        guard !x.isEmpty else { return ([], mean, invStd) }
        let biasValues = bias ?? []
        let y = [Float](unsafeUninitializedCapacity: x.count) { yb, initialized in
            x.withUnsafeBufferPointer { xb in
                scale.withUnsafeBufferPointer { sb in
                    biasValues.withUnsafeBufferPointer { bb in
                        fz_layer_norm_rows(xb.baseAddress!, yb.baseAddress!, l.rows, l.size, sb.baseAddress!,
                                           bias == nil ? nil : bb.baseAddress, epsilon, &mean, &invStd)
                    }
                }
            }
            initialized = x.count
        }
        return (y, mean, invStd)
    }

    static func layerNorm<T: BLASFloat>(_ x: [T], scale: (values: [Double], full: Bool), bias: (values: [Double], full: Bool)?,
                                        _ l: LayerLayout, _ epsilon: Double) -> ([T], [Double], [Double]) {
        let stats = x.withUnsafeBufferPointer { rowStatistics($0, rows: l.rows, size: l.size, epsilon: epsilon) }
        // Nothing to write (and no element to point at) when a dimension is 0.
        if x.isEmpty { return ([], stats.mean, stats.invStd) }
        let bValues = bias?.values ?? [], hasBias = bias != nil, biasFull = bias?.full ?? false
        // Every element of y is written once, so it starts uninitialized; the parameters are read
        // through pointers, and without a bias the shift stays the literal 0 it always was (adding it
        // turns -0 into +0, so it is kept).
        let y = x.withUnsafeBufferPointer { xb in
            scale.values.withUnsafeBufferPointer { sb in
                bValues.withUnsafeBufferPointer { bb in
                    [T](unsafeUninitializedCapacity: x.count) { yb, initialized in
                        for r in 0..<l.rows {
                            let mu = stats.mean[r], inv = stats.invStd[r]
                            let base = r * l.size
                            // Row pointers keep the loop free of index arithmetic, so it can vectorize
                            // (each element is still computed by the same operations in the same order).
                            let xr = xb.baseAddress! + base, yr = yb.baseAddress! + base
                            let sr = sb.baseAddress! + (scale.full ? base : 0)
                            if hasBias {
                                let br = bb.baseAddress! + (biasFull ? base : 0)
                                for j in 0..<l.size { yr[j] = T((Double(xr[j]) - mu) * inv * sr[j] + br[j]) }
                            } else {
                                for j in 0..<l.size { yr[j] = T((Double(xr[j]) - mu) * inv * sr[j] + 0) }
                            }
                        }
                        initialized = x.count
                    }
                }
            }
        }
        return (y, stats.mean, stats.invStd)
    }
}
