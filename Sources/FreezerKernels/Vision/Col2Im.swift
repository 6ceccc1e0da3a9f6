import FreezerIR

extension VisionSignalOperators {
    /// Col2Im (18): rearranges column blocks [N, C·∏block, L] back into images [N, C, image_shape…],
    /// summing overlapping values: column (c, k, l) adds to the pixel at l's block position · strides −
    /// pads_begin + k's kernel position · dilations (pixels outside the image are dropped). L must be the
    /// number of block positions ∏ ⌊(image + pads_begin + pads_end − dilation·(block − 1) − 1)/stride⌋ + 1.
    static func col2Im(_ ctx: KernelContext) throws(EvaluationError) -> [NDArray?] {
        let (x, values) = try floatInput(ctx, 0, "input")
        let image = try IndexInputs.list(ctx, 1, "image_shape"), block = try IndexInputs.list(ctx, 2, "block_shape")
        let r = image.count
        guard r >= 1, block.count == r, image.allSatisfy({ $0 >= 1 && $0 <= Int64(Int32.max) }),
              block.allSatisfy({ $0 >= 1 && $0 <= Int64(Int32.max) }) else {
            throw ctx.fail("image_shape \(image) and block_shape \(block) must have the same positive number of positive values")
        }
        let dilations = try intList(ctx, "dilations", count: r, default: 1, minimum: 1)
        let strides = try intList(ctx, "strides", count: r, default: 1, minimum: 1)
        let pads = try intList(ctx, "pads", count: 2 * r, default: 0, minimum: 0)
        let imageDims = image.map { Int($0) }, kernel = block.map { Int($0) }
        let kernelSize = kernel.reduce(1, *)
        guard x.rank == 3, x.shape[1] % kernelSize == 0 else {
            throw ctx.fail("input must be [N, C·\(kernelSize), L], got \(text(x.shape))")
        }
        var blocks: [Int] = []
        for i in 0..<r {
            let span = imageDims[i] + pads[i] + pads[r + i] - dilations[i] * (kernel[i] - 1) - 1
            guard span >= 0 else { throw ctx.fail("block \(kernel) with dilations \(dilations) does not fit image \(imageDims) with pads \(pads)") }
            blocks.append(span / strides[i] + 1)
        }
        let positions = blocks.reduce(1, *)
        guard x.shape[2] == positions else {
            throw ctx.fail("input has \(x.shape[2]) columns but image \(imageDims), block \(kernel), pads, strides and dilations give \(positions) block positions")
        }
        let n = x.shape[0], channels = x.shape[1] / kernelSize
        let plane = imageDims.reduce(1, *)
        let imageStrides = NDArray.strides(of: imageDims), kernelStrides = NDArray.strides(of: kernel), blockStrides = NDArray.strides(of: blocks)
        let shape = [n, channels] + imageDims
        var out = [Double](repeating: 0, count: try IndexInputs.count(shape, ctx, "output"))
        for k in 0..<kernelSize {
            for l in 0..<positions {
                var at = 0, inside = true
                for i in 0..<r {
                    let p = (l / blockStrides[i]) % blocks[i] * strides[i] - pads[i] + (k / kernelStrides[i]) % kernel[i] * dilations[i]
                    if p < 0 || p >= imageDims[i] { inside = false; break }
                    at += p * imageStrides[i]
                }
                guard inside else { continue }
                for b in 0..<n {
                    for c in 0..<channels {
                        out[(b * channels + c) * plane + at] += values[((b * channels + c) * kernelSize + k) * positions + l]
                    }
                }
            }
        }
        return [result(out, shape: shape, like: x)]
    }
}
