import FreezerIR

extension VisionSignalOperators {
    /// RoiAlign (10, 16): pools each region of interest of X [N, C, H, W] into [output_height, output_width]
    /// bins by bilinear sampling, giving [rois, C, output_height, output_width].
    ///
    /// A roi [x1, y1, x2, y2] of image batch_indices[r] is scaled by spatial_scale and, with
    /// coordinate_transformation_mode half_pixel (the default from 16; opset 10 behaves as
    /// output_half_pixel), shifted by −0.5; with output_half_pixel its size is at least 1×1. Each bin is
    /// sampled on a grid of sampling_ratio² points, or ⌈roi_h/output_h⌉ × ⌈roi_w/output_w⌉ points when
    /// sampling_ratio is 0 (adaptive), at (start + (i + 0.5)·bin/grid). A point beyond [−1, H] × [−1, W]
    /// contributes 0; others are clamped to ≥ 0 and interpolated between the neighbours (the last row or
    /// column repeated at the edge). mode avg averages the samples; mode max takes the largest of the
    /// weighted corner terms w·x over the bin, as the ONNX reference and onnxruntime compute it.
    static func roiAlign(_ ctx: KernelContext, halfPixelDefault: Bool) throws(EvaluationError) -> [NDArray?] {
        let (x, data) = try floatInput(ctx, 0, "X")
        let rois = try floatInput(ctx, 1, "rois").values
        let batchIndices = try IndexInputs.ints(ctx, 2, "batch_indices")
        guard x.rank == 4 else { throw ctx.fail("X must be [N, C, H, W], got \(text(x.shape))") }
        let roiShape = try ctx.input(1).shape
        guard roiShape.count == 2, roiShape[1] == 4, roiShape[0] == batchIndices.count else {
            throw ctx.fail("rois must be [num_rois, 4] with one batch index per roi, got \(text(roiShape)) and \(batchIndices.count) indices")
        }
        let mode = ctx.string("mode", default: "avg")
        guard mode == "avg" || mode == "max" else { throw ctx.fail("mode '\(mode)' is not avg or max") }
        var halfPixel = false
        if halfPixelDefault {
            let coordinate = ctx.string("coordinate_transformation_mode", default: "half_pixel")
            guard coordinate == "half_pixel" || coordinate == "output_half_pixel" else {
                throw ctx.fail("coordinate_transformation_mode '\(coordinate)' is not half_pixel or output_half_pixel")
            }
            halfPixel = coordinate == "half_pixel"
        }
        let outH = ctx.int("output_height", default: 1), outW = ctx.int("output_width", default: 1)
        let ratio = ctx.int("sampling_ratio", default: 0)
        guard outH >= 1, outW >= 1, outH <= 1 << 20, outW <= 1 << 20, ratio >= 0, ratio <= 1 << 20 else {
            throw ctx.fail("output_height (\(outH)) and output_width (\(outW)) must be ≥ 1 and sampling_ratio (\(ratio)) ≥ 0")
        }
        let scale = Double(ctx.float("spatial_scale", default: 1))
        let channels = x.shape[1], height = x.shape[2], width = x.shape[3]
        let ph = Int(outH), pw = Int(outW), count = batchIndices.count
        var out = [Double](repeating: 0, count: try IndexInputs.count([count, channels, ph, pw], ctx, "output"))
        let offset = halfPixel ? 0.5 : 0
        for r in 0..<count {
            let image = batchIndices[r]
            guard image >= 0, image < Int64(x.shape[0]) else { throw ctx.fail("batch index \(image) is out of range for \(x.shape[0]) images") }
            let startW = rois[r * 4] * scale - offset, startH = rois[r * 4 + 1] * scale - offset
            var roiW = rois[r * 4 + 2] * scale - offset - startW, roiH = rois[r * 4 + 3] * scale - offset - startH
            if !halfPixel { roiW = max(roiW, 1); roiH = max(roiH, 1) }
            let binH = roiH / Double(ph), binW = roiW / Double(pw)
            let gridH = ratio > 0 ? Int(ratio) : Int(max(0, min((roiH / Double(ph)).rounded(.up), 1e6)))
            let gridW = ratio > 0 ? Int(ratio) : Int(max(0, min((roiW / Double(pw)).rounded(.up), 1e6)))
            let samples = max(gridH * gridW, 1)
            // The four neighbours and weights of every sample point, shared by all channels.
            var taps: [(Int, Int, Int, Int, Double, Double, Double, Double)] = []
            taps.reserveCapacity(ph * pw * gridH * gridW)
            for i in 0..<ph {
                for j in 0..<pw {
                    for iy in 0..<gridH {
                        var y = startH + Double(i) * binH + (Double(iy) + 0.5) * binH / Double(gridH)
                        for ix in 0..<gridW {
                            var xx = startW + Double(j) * binW + (Double(ix) + 0.5) * binW / Double(gridW)
                            if y < -1 || y > Double(height) || xx < -1 || xx > Double(width) {
                                taps.append((0, 0, 0, 0, 0, 0, 0, 0))
                                continue
                            }
                            let yc = max(y, 0), xc = max(xx, 0)
                            var y0 = Int(yc), x0 = Int(xc), y1 = y0 + 1, x1 = x0 + 1
                            y = yc; xx = xc
                            if y0 >= height - 1 { y0 = height - 1; y1 = y0; y = Double(y0) }
                            if x0 >= width - 1 { x0 = width - 1; x1 = x0; xx = Double(x0) }
                            let ly = y - Double(y0), lx = xx - Double(x0), hy = 1 - ly, hx = 1 - lx
                            taps.append((y0 * width + x0, y0 * width + x1, y1 * width + x0, y1 * width + x1,
                                         hy * hx, hy * lx, ly * hx, ly * lx))
                        }
                    }
                }
            }
            for c in 0..<channels {
                let plane = (Int(image) * channels + c) * height * width
                var t = 0
                for i in 0..<ph {
                    for j in 0..<pw {
                        var value = 0.0
                        for s in 0..<(gridH * gridW) {
                            let p = taps[t]
                            t += 1
                            if mode == "avg" {
                                value += p.4 * data[plane + p.0] + p.5 * data[plane + p.1] + p.6 * data[plane + p.2] + p.7 * data[plane + p.3]
                            } else {
                                let m = max(p.4 * data[plane + p.0], p.5 * data[plane + p.1], p.6 * data[plane + p.2], p.7 * data[plane + p.3])
                                value = s == 0 ? m : max(value, m)
                            }
                        }
                        out[((r * channels + c) * ph + i) * pw + j] = mode == "avg" ? value / Double(samples) : value
                    }
                }
            }
        }
        return [result(out, shape: [count, channels, ph, pw], like: x)]
    }
}
