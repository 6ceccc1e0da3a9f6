import FreezerIR

extension VisionSignalOperators {
    /// AffineGrid (20): the sampling grid of affine matrices theta for an output of `size`.
    ///
    /// 2-D: theta [N, 2, 3], size [N, C, H, W] → grid [N, H, W, 2] with grid[n, h, w] = theta[n]·(x_w, y_h, 1);
    /// 3-D: theta [N, 3, 4], size [N, C, D, H, W] → [N, D, H, W, 3] with theta[n]·(x_w, y_h, z_d, 1).
    /// The base coordinate of index i along a dimension of length s is −1 + 2i/(s − 1) with
    /// align_corners = 1 and −1 + (2i + 1)/s otherwise (0 when s = 1), the centers GridSample reads.
    static func affineGrid(_ ctx: KernelContext) throws(EvaluationError) -> [NDArray?] {
        let (theta, t) = try floatInput(ctx, 0, "theta")
        let size = try IndexInputs.list(ctx, 1, "size")
        guard size.count == 4 || size.count == 5, size.allSatisfy({ $0 >= 0 && $0 <= Int64(Int32.max) }) else {
            throw ctx.fail("size must be [N, C, H, W] or [N, C, D, H, W] with non-negative values, got \(size)")
        }
        let r = size.count - 2
        let n = Int(size[0])
        guard theta.shape == [n, r, r + 1] else {
            throw ctx.fail("theta must be [\(n), \(r), \(r + 1)] for size \(size), got \(text(theta.shape))")
        }
        let alignCorners = ctx.int("align_corners", default: 0) != 0
        let spatial = size[2...].map { Int($0) }
        func base(_ i: Int, _ s: Int) -> Double {
            // One point is the center 0, as in PyTorch's affine_grid, which the ONNX spec follows (with
            // align_corners the formula is 0/0; the ONNX reference gives −1 and onnxruntime 1.32 gives 1).
            if s <= 1 { return 0 }
            return alignCorners ? -1 + 2 * Double(i) / Double(s - 1) : -1 + Double(2 * i + 1) / Double(s)
        }
        let points = spatial.reduce(1, *)
        let shape = [n] + spatial + [r]
        var out = [Double](repeating: 0, count: try IndexInputs.count(shape, ctx, "grid"))
        let strides = NDArray.strides(of: spatial)
        var homogeneous = [Double](repeating: 1, count: r + 1)
        for p in 0..<points {
            // Homogeneous point (x, y[, z], 1): x runs along the last spatial dimension.
            for k in 0..<r {
                let dim = r - 1 - k
                homogeneous[k] = base((p / strides[dim]) % spatial[dim], spatial[dim])
            }
            for b in 0..<n {
                for row in 0..<r {
                    var sum = 0.0
                    for col in 0...r { sum += t[(b * r + row) * (r + 1) + col] * homogeneous[col] }
                    out[(b * points + p) * r + row] = sum
                }
            }
        }
        return [result(out, shape: shape, like: theta)]
    }
}
