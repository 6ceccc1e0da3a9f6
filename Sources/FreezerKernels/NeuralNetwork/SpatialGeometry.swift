import FreezerIR

extension NeuralNetworkOperators {
    /// Window geometry shared by Conv and the pooling operators: kernel, strides, dilations, the
    /// padding actually applied (after auto_pad) and the output spatial size.
    struct SpatialGeometry: Equatable {
        var input: [Int]
        var kernel: [Int]
        var strides: [Int]
        var dilations: [Int]
        var padBegin: [Int]
        var padEnd: [Int]
        var output: [Int]

        var rank: Int { input.count }
        var inputCount: Int { input.reduce(1, *) }
        var outputCount: Int { output.reduce(1, *) }
        var kernelCount: Int { kernel.reduce(1, *) }

        /// For kernel position `k` (row-major over the kernel dimensions), the offset along each axis of
        /// the input element read by output position 0: `k_d * dilation_d - padBegin_d`.
        func offsets(kernelIndex k: Int) -> [Int] {
            var out = [Int](repeating: 0, count: rank)
            var rest = k
            for d in stride(from: rank - 1, through: 0, by: -1) {
                out[d] = (rest % kernel[d]) * dilations[d] - padBegin[d]
                rest /= kernel[d]
            }
            return out
        }
    }

    /// The grid positions `o` in `0..<count` whose read `o * stride + offset` lies in `0..<size`: one
    /// contiguous range, so loops over it need no bounds test.
    static func inRangePositions(offset: Int, stride: Int, size: Int, count: Int) -> Range<Int> {
        // o * s + off in [0, size)  ⇔  o in [ceil(-off / s), ceil((size - off) / s)).
        let lo = offset >= 0 ? 0 : (-offset + stride - 1) / stride
        let hi = size - offset > 0 ? (size - offset + stride - 1) / stride : 0
        let l = min(max(lo, 0), count)
        return l..<min(max(hi, l), count)
    }

    /// Reads strides, dilations, pads and auto_pad and computes the output size of a sliding window.
    ///
    /// - `ceilMode`: pooling's ceil_mode. As in onnxruntime and PyTorch, a last window that would start
    ///   beyond the input and its begin padding is dropped.
    /// - SAME_UPPER/SAME_LOWER: output `ceil(in / stride)`; the total padding is split with the odd
    ///   element at the end (UPPER) or at the beginning (LOWER). VALID: no padding.
    static func spatialGeometry(_ ctx: KernelContext, input: [Int], kernel: [Int],
                                ceilMode: Bool = false) throws(EvaluationError) -> SpatialGeometry {
        let nd = input.count
        guard kernel.count == nd, kernel.allSatisfy({ $0 >= 1 }) else {
            throw ctx.fail("the kernel shape \(text(kernel)) does not suit the input's spatial shape \(text(input))")
        }
        _ = try elementCount(kernel, ctx, what: "the kernel")
        let ones = [Int](repeating: 1, count: nd)
        let strides = try intsAttribute(ctx, "strides", count: nd, default: ones, minimum: 1)
        let dilations = try intsAttribute(ctx, "dilations", count: nd, default: ones, minimum: 1)
        var pads = try intsAttribute(ctx, "pads", count: 2 * nd, default: [Int](repeating: 0, count: 2 * nd), minimum: 0)
        let autoPad = ctx.string("auto_pad", default: "NOTSET")
        var output = [Int](repeating: 0, count: nd)
        for d in 0..<nd {
            let effective = (kernel[d] - 1) * dilations[d] + 1
            switch autoPad {
            case "NOTSET", "":
                break
            case "VALID":
                pads[d] = 0; pads[nd + d] = 0
            case "SAME_UPPER", "SAME_LOWER":
                let out = (input[d] + strides[d] - 1) / strides[d]
                let total = max(0, (out - 1) * strides[d] + effective - input[d])
                let small = total / 2
                pads[d] = autoPad == "SAME_UPPER" ? small : total - small
                pads[nd + d] = total - pads[d]
            default:
                throw ctx.fail("attribute 'auto_pad' is '\(autoPad)'; expected NOTSET, SAME_UPPER, SAME_LOWER or VALID")
            }
            let span = input[d] + pads[d] + pads[nd + d] - effective
            guard span >= 0 else {
                throw ctx.fail("the kernel \(text(kernel)) with dilations \(text(dilations)) does not fit the input \(text(input)) padded by \(text(pads))")
            }
            if ceilMode && (autoPad == "NOTSET" || autoPad == "" || autoPad == "VALID") {
                var out = (span + strides[d] - 1) / strides[d] + 1
                if (out - 1) * strides[d] >= input[d] + pads[d] { out -= 1 }
                output[d] = out
            } else {
                output[d] = span / strides[d] + 1
            }
        }
        return SpatialGeometry(input: input, kernel: kernel, strides: strides, dilations: dilations,
                               padBegin: Array(pads[0..<nd]), padEnd: Array(pads[nd...]), output: output)
    }

    /// The kernel_shape attribute, which must agree with the weight's spatial dimensions when given.
    static func checkKernelShape(_ ctx: KernelContext, weightSpatial: [Int]) throws(EvaluationError) {
        guard let k = ctx.ints("kernel_shape") else { return }
        guard k.map({ Int($0) }) == weightSpatial else {
            throw ctx.fail("attribute 'kernel_shape' \(k) does not match the spatial dimensions \(text(weightSpatial)) of W")
        }
    }
}
