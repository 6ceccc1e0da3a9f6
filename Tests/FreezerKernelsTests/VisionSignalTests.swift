import Foundation
import Testing
@testable import FreezerIR
@testable import FreezerKernels

/// Hand-computed cases for the detection, sampling and signal kernels (VisionSignalOperators and the
/// cubic/antialiased Resize), each run on float32 and float64 data.
@Suite("VisionSignal")
struct VisionSignalTests {
    /// `values` as a float32 or a float64 tensor.
    static func tensor(_ values: [Double], _ shape: [Int], double: Bool) -> NDArray {
        double ? NDArray(doubles: values, shape: shape) : NDArray(floats: values.map { Float($0) }, shape: shape)
    }

    static func scalar(_ v: Double, double: Bool) -> NDArray { tensor([v], [1], double: double) }

    static func expectClose(_ got: NDArray, _ expected: [Double], tolerance: Double = 1e-5,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        let v = got.asDoubles
        #expect(v.count == expected.count && zip(v, expected).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($1)) },
                "got \(v), expected \(expected)", sourceLocation: sourceLocation)
    }

    // MARK: NonMaxSuppression

    /// Equal scores are visited by box index; box 3 (score 0.95) overlaps boxes 0 and 1 with IoU 0.6
    /// (intersection 0.75, union 1.25); boxes 0 and 1 are identical (IoU 1); box 2 is far away.
    @Test(arguments: [false, true])
    func nonMaxSuppressionTiesAndCenterPointBoxes(double: Bool) throws {
        let centers: [Double] = [0.5, 0.5, 1, 1,  0.5, 0.5, 1, 1,  5, 5, 1, 1,  0.75, 0.5, 1, 1]
        let scores = Self.tensor([0.9, 0.9, 0.9, 0.95], [1, 1, 4], double: double)
        func run(_ boxes: [Double], center: Int64, iou: Double, maxBoxes: Int64) throws -> [Int64] {
            try runNode("NonMaxSuppression", [Self.tensor(boxes, [1, 4, 4], double: double), scores,
                                              NDArray(ints: [maxBoxes], shape: [1]), Self.scalar(iou, double: double)],
                        attributes: [attr("center_point_box", center)], opset: 11)[0].ints
        }
        // IoU 0.6 > 0.5: box 3 suppresses 0 and 1.
        #expect(try run(centers, center: 1, iou: 0.5, maxBoxes: 10) == [0, 0, 3, 0, 0, 2])
        // IoU 0.6 ≤ 0.7: box 0 survives (first of the tied scores), box 1 is suppressed by box 0.
        #expect(try run(centers, center: 1, iou: 0.7, maxBoxes: 10) == [0, 0, 3, 0, 0, 0, 0, 0, 2])
        #expect(try run(centers, center: 1, iou: 0.7, maxBoxes: 2) == [0, 0, 3, 0, 0, 0])
        // The same boxes as corners [y1, x1, y2, x2], some given with the corners swapped.
        let corners: [Double] = [0, 0, 1, 1,  1, 1, 0, 0,  4.5, 4.5, 5.5, 5.5,  1, 1.25, 0, 0.25]
        #expect(try run(corners, center: 0, iou: 0.7, maxBoxes: 10) == [0, 0, 3, 0, 0, 0, 0, 0, 2])
        // A score threshold is strict: 0.9 is not above 0.9.
        let thresholded = try runNode("NonMaxSuppression", [Self.tensor(centers, [1, 4, 4], double: double), scores,
                                                            NDArray(ints: [10], shape: [1]), Self.scalar(0.7, double: double),
                                                            Self.scalar(0.9, double: double)],
                                      attributes: [attr("center_point_box", Int64(1))], opset: 11)[0]
        #expect(thresholded.shape == [1, 3] && thresholded.ints == [0, 0, 3])
    }

    // MARK: RoiAlign

    /// X[h, w] = 4h + w is linear, so an average of bilinear samples is the value at the samples' mean
    /// position; samples beyond the last row/column read the edge.
    @Test(arguments: [false, true])
    func roiAlignAdaptiveSampling(double: Bool) throws {
        let x = Self.tensor((0..<16).map(Double.init), [1, 1, 4, 4], double: double)
        func run(_ roi: [Double], ratio: Int64, mode: String, size: Int64 = 1, opset: Int64 = 16) throws -> NDArray {
            var attributes = [attr("sampling_ratio", ratio), attr("output_height", size), attr("output_width", size)]
            if opset >= 16 { attributes.append(attr("coordinate_transformation_mode", mode)) }
            return try runNode("RoiAlign", [x, Self.tensor(roi, [1, 4], double: double), NDArray(ints: [0], shape: [1])],
                               attributes: attributes, opset: opset)[0]
        }
        // Adaptive: ⌈4/1⌉ = 4 samples per axis at 0.5, 1.5, 2.5, 3.5 → 3.5 reads the edge 3: mean 1.875.
        Self.expectClose(try run([0, 0, 4, 4], ratio: 0, mode: "output_half_pixel"), [4 * 1.875 + 1.875])
        // sampling_ratio 2: samples at 1 and 3, mean 2.
        Self.expectClose(try run([0, 0, 4, 4], ratio: 2, mode: "output_half_pixel"), [10])
        // Opset 10 has no coordinate_transformation_mode and behaves as output_half_pixel.
        Self.expectClose(try run([0, 0, 4, 4], ratio: 0, mode: "", opset: 10), [4 * 1.875 + 1.875])
        // half_pixel shifts the roi by −0.5: 3 samples at 0, 1, 2 for the roi [0, 3].
        Self.expectClose(try run([0, 0, 3, 3], ratio: 0, mode: "half_pixel"), [5])
        // 2×2 bins of the roi [0, 2]: adaptive ⌈1/1⌉ = 1 sample per bin, at the bin centers.
        Self.expectClose(try run([0, 0, 2, 2], ratio: 0, mode: "output_half_pixel", size: 2), [2.5, 3.5, 6.5, 7.5])
    }

    // MARK: GridSample

    /// X = [1, 2, 3] (H = 1, W = 3), align_corners 0: x = ((g + 1)·3 − 1)/2, reflected at −0.5 and 2.5.
    @Test(arguments: [false, true])
    func gridSampleReflectionWithoutAlignCorners(double: Bool) throws {
        let x = Self.tensor([1, 2, 3], [1, 1, 1, 3], double: double)
        // g = −1 → x = −0.5 (on the border): taps −1 (reflected to 0) and 0 → 1.
        // g = −1.5 → x = −1.25 → reflected to 0.25 → 0.75·1 + 0.25·2 = 1.25.
        // g = 1.5 → x = 3.25 → reflected to 1.75 → 0.25·2 + 0.75·3 = 2.75.
        // g = 4 → x = 7: 4.5 past 2.5 is one full width (3) and 1.5 more, reflected twice → 1.0 → 2.
        let grid = Self.tensor([-1, 0, -1.5, 0, 1.5, 0, 4, 0], [1, 1, 4, 2], double: double)
        let y = try runNode("GridSample", [x, grid], attributes: [attr("padding_mode", "reflection"), attr("align_corners", Int64(0))],
                            opset: 20)[0]
        #expect(y.shape == [1, 1, 1, 4])
        Self.expectClose(y, [1, 1.25, 2.75, 2])
        // Opset 16 names the mode bilinear and gives the same values.
        let legacy = try runNode("GridSample", [x, grid], attributes: [attr("mode", "bilinear"), attr("padding_mode", "reflection")],
                                 opset: 16)[0]
        Self.expectClose(legacy, [1, 1.25, 2.75, 2])
        // Nearest rounds half to even: x = −0.5 → −0 → index 0; x = 3.25 reflects to 1.75 → 2 (3).
        let nearest = try runNode("GridSample", [x, grid], attributes: [attr("mode", "nearest"), attr("padding_mode", "reflection")],
                                  opset: 20)[0]
        Self.expectClose(nearest, [1, 1, 3, 2])
    }

    /// Cubic border padding clamps the neighbours, not the coordinate (onnxruntime, PyTorch): with
    /// align_corners 1, g = 1.5 on [1, 2, 3] is x = 2.5 (t = 0.5): neighbours 1, 2, 3→2, 4→2 weigh
    /// −0.09375, 0.59375, 0.59375, −0.09375, giving 3.09375 (a clamped coordinate would give 3).
    @Test(arguments: [false, true])
    func gridSampleCubicBorder(double: Bool) throws {
        let x = Self.tensor([1, 2, 3], [1, 1, 1, 3], double: double)
        let y = try runNode("GridSample", [x, Self.tensor([1.5, 0], [1, 1, 1, 2], double: double)],
                            attributes: [attr("mode", "cubic"), attr("padding_mode", "border"), attr("align_corners", Int64(1))], opset: 20)[0]
        Self.expectClose(y, [-0.09375 * 2 + 0.59375 * 3 + 0.59375 * 3 - 0.09375 * 3])
    }

    /// A single grid point along a dimension is the center 0, with or without align_corners.
    @Test(arguments: [false, true])
    func affineGridIdentity(double: Bool) throws {
        let theta = Self.tensor([1, 0, 0, 0, 1, 0], [1, 2, 3], double: double)
        for corners in [Int64(0), 1] {
            let g = try runNode("AffineGrid", [theta, NDArray(ints: [1, 1, 1, 2], shape: [4])],
                                attributes: [attr("align_corners", corners)], opset: 20)[0]
            #expect(g.shape == [1, 1, 2, 2])
            Self.expectClose(g, corners == 1 ? [-1, 0, 1, 0] : [-0.5, 0, 0.5, 0])
        }
    }

    /// With zero offsets and no mask DeformConv is an ordinary convolution; a mask of ½ halves it.
    @Test(arguments: [false, true])
    func deformConvWithoutOffsetsIsConv(double: Bool) throws {
        let x = Self.tensor((0..<(2 * 4 * 5 * 6)).map { sin(Double($0)) }, [2, 4, 5, 6], double: double)
        let w = Self.tensor((0..<(6 * 2 * 3 * 2)).map { cos(Double($0) * 0.3) }, [6, 2, 3, 2], double: double)
        let b = Self.tensor([0.5, -1, 2, 0, 1, 3], [6], double: double)
        let attributes = [attr("group", Int64(2)), attr("strides", [Int64(2), 1]), attr("pads", [Int64(1), 0, 1, 1]),
                          attr("dilations", [Int64(1), 2])]
        let conv = try runNode("Conv", [x, w, b], attributes: attributes, opset: 11)[0]
        let outH = conv.shape[2], outW = conv.shape[3]
        // Offsets [N, offset_group·kH·kW·2, outH, outW], all zero.
        func offsets(_ groups: Int) -> NDArray {
            Self.tensor([Double](repeating: 0, count: 2 * groups * 12 * outH * outW), [2, groups * 12, outH, outW], double: double)
        }
        let deform = try runNode("DeformConv", [x, w, offsets(2), b], attributes: attributes + [attr("offset_group", Int64(2))], opset: 19)[0]
        #expect(deform.shape == conv.shape)
        Self.expectClose(deform, conv.asDoubles, tolerance: 1e-5)
        let half = Self.tensor([Double](repeating: 0.5, count: 2 * 6 * outH * outW), [2, 6, outH, outW], double: double)
        let noBias = try runNode("DeformConv", [x, w, offsets(1), nil, half], attributes: attributes, opset: 19)[0]
        let convNoBias = try runNode("Conv", [x, w], attributes: attributes, opset: 11)[0]
        Self.expectClose(noBias, convNoBias.asDoubles.map { $0 / 2 }, tolerance: 1e-5)
    }

    // MARK: Resize (cubic)

    /// Upsampling [10, 20, 30, 40] by 2 (half_pixel): output 0 maps to −0.25, so t = 0.75 and the Keys
    /// weights (a = −0.75) of inputs −2, −1, 0, 1 are −0.03515625, 0.26171875, 0.87890625, −0.10546875;
    /// the first three read the edge pixel 10.
    @Test(arguments: [false, true])
    func cubicResizeAtTheBorder(double: Bool) throws {
        let x = Self.tensor([10, 20, 30, 40], [1, 4], double: double)
        let scales = Self.tensor([1, 2], [2], double: false)
        let y = try runNode("Resize", [x, nil, scales], attributes: [attr("mode", "cubic")], opset: 19)[0]
        #expect(y.shape == [1, 8])
        Self.expectClose(NDArray(doubles: [y.asDoubles[0]], shape: [1]), [1.10546875 * 10 - 0.10546875 * 20])
        // exclude_outside drops inputs −2 and −1 and renormalizes by 0.87890625 − 0.10546875 = 99/128.
        let excluded = try runNode("Resize", [x, nil, scales], attributes: [attr("mode", "cubic"), attr("exclude_outside", Int64(1))],
                                   opset: 19)[0]
        Self.expectClose(NDArray(doubles: [excluded.asDoubles[0]], shape: [1]), [95.0 / 11])
        // Inside the image no edge is read: output 3 maps to 1.25 (t = 0.25), the same weights in reverse
        // order on inputs 0…3. (Keys with a = −0.75 does not reproduce a ramp exactly: 22.96875, not 22.5.)
        Self.expectClose(NDArray(doubles: [y.asDoubles[3]], shape: [1]),
                         [-0.10546875 * 10 + 0.87890625 * 20 + 0.26171875 * 30 - 0.03515625 * 40])
    }

    /// Antialiased linear downsampling by 1/2 widens the triangle to 2 input pixels: output 0 (coordinate
    /// 0.5) weighs inputs −1…2 by 0.25, 0.75, 0.75, 0.25 (normalized by 2), input −1 reading the edge.
    @Test(arguments: [false, true])
    func antialiasedLinearDownsampling(double: Bool) throws {
        let x = Self.tensor([0, 4, 8, 12], [1, 4], double: double)
        let y = try runNode("Resize", [x, nil, Self.tensor([1, 0.5], [2], double: false)],
                            attributes: [attr("mode", "linear"), attr("antialias", Int64(1))], opset: 18)[0]
        Self.expectClose(y, [(0.25 * 0 + 0.75 * 0 + 0.75 * 4 + 0.25 * 8) / 2, (0.25 * 4 + 0.75 * 8 + 0.75 * 12 + 0.25 * 12) / 2])
    }

    // MARK: DFT

    /// The inverse DFT of the forward DFT returns the signal, for a power-of-two and another length, and
    /// IRFFT of RFFT returns a real signal.
    @Test(arguments: [false, true])
    func inverseOfForwardDFT(double: Bool) throws {
        for n in [6, 8] {
            let signal = (0..<(2 * n)).map { sin(Double($0) * 1.3) + 0.25 * Double($0 % 3) }
            let x = Self.tensor(signal, [1, n, 2], double: double)
            let spectrum = try runNode("DFT", [x], opset: 20)[0]
            #expect(spectrum.shape == [1, n, 2])
            // Bin 0 is the sum of the samples.
            let sumRe = stride(from: 0, to: 2 * n, by: 2).map { signal[$0] }.reduce(0, +)
            Self.expectClose(NDArray(doubles: [spectrum.asDoubles[0]], shape: [1]), [sumRe], tolerance: 1e-5)
            let back = try runNode("DFT", [spectrum], attributes: [attr("inverse", Int64(1))], opset: 20)[0]
            Self.expectClose(back, signal, tolerance: double ? 1e-12 : 1e-5)
            // Opset 17 takes the axis as an attribute.
            let back17 = try runNode("DFT", [try runNode("DFT", [x], attributes: [attr("axis", Int64(1))], opset: 17)[0]],
                                     attributes: [attr("axis", Int64(1)), attr("inverse", Int64(1))], opset: 17)[0]
            Self.expectClose(back17, signal, tolerance: double ? 1e-12 : 1e-5)

            let real = Self.tensor((0..<n).map { cos(Double($0)) + Double($0) }, [1, n, 1], double: double)
            let half = try runNode("DFT", [real], attributes: [attr("onesided", Int64(1))], opset: 20)[0]
            #expect(half.shape == [1, n / 2 + 1, 2])
            let restored = try runNode("DFT", [half], attributes: [attr("onesided", Int64(1)), attr("inverse", Int64(1))], opset: 20)[0]
            #expect(restored.shape == [1, n, 1])
            Self.expectClose(restored, real.asDoubles, tolerance: double ? 1e-12 : 1e-5)
        }
    }

    /// IRFFT with dft_length 5 reads only bins 0…2 (numpy's irfft, the ONNX reference): a DC bin of 5
    /// gives five ones whatever the later bins hold.
    @Test(arguments: [false, true])
    func irfftReadsTheHalfSpectrumOnly(double: Bool) throws {
        var bins = [Double](repeating: 100, count: 24)
        bins[0] = 5; bins[1] = 7; bins[2] = 0; bins[3] = 0; bins[4] = 0; bins[5] = 0
        let y = try runNode("DFT", [Self.tensor(bins, [12, 2], double: double), NDArray(ints: [5], shape: []), NDArray(ints: [0], shape: [])],
                            attributes: [attr("inverse", Int64(1)), attr("onesided", Int64(1))], opset: 20)[0]
        #expect(y.shape == [5, 1])
        Self.expectClose(y, [1, 1, 1, 1, 1])
    }

    /// Long non-power-of-two lengths (Bluestein's algorithm) agree with the direct sum, forward and inverse.
    @Test(arguments: [100, 127])
    func longDFTMatchesTheDirectSum(n: Int) throws {
        let signal = (0..<(2 * n)).map { cos(Double($0) * 0.7) + 0.1 * Double($0 % 5) }
        for inverse in [false, true] {
            var expected: [Double] = []
            for k in 0..<n {
                var re = 0.0, im = 0.0
                for j in 0..<n {
                    let angle = (inverse ? 2 : -2) * Double.pi * Double((j * k) % n) / Double(n)
                    re += signal[2 * j] * cos(angle) - signal[2 * j + 1] * sin(angle)
                    im += signal[2 * j] * sin(angle) + signal[2 * j + 1] * cos(angle)
                }
                expected += inverse ? [re / Double(n), im / Double(n)] : [re, im]
            }
            let y = try runNode("DFT", [NDArray(doubles: signal, shape: [n, 2])], attributes: [attr("inverse", Int64(inverse ? 1 : 0))],
                                opset: 20)[0]
            let v = y.asDoubles
            #expect(zip(v, expected).allSatisfy { abs($0 - $1) <= 1e-10 }, "n \(n) inverse \(inverse)")
        }
    }

    // MARK: Windows

    @Test func windows() throws {
        let four = NDArray(ints: [4], shape: [])
        Self.expectClose(try runNode("HannWindow", [four])[0], [0, 0.5, 1, 0.5])
        Self.expectClose(try runNode("HannWindow", [four], attributes: [attr("periodic", Int64(0))])[0], [0, 0.75, 0.75, 0])
        // Hamming with α = 25/46: the ends are 1 − 2·21/46 = 4/46.
        Self.expectClose(try runNode("HammingWindow", [four], attributes: [attr("periodic", Int64(0))])[0],
                         [4.0 / 46, 25.0 / 46 + 21.0 / 92, 25.0 / 46 + 21.0 / 92, 4.0 / 46])
        let doubles = try runNode("BlackmanWindow", [four], attributes: [attr("output_datatype", Int64(11))])[0]
        #expect(doubles.elementType == .double)
        Self.expectClose(doubles, [0, 0.42 + 0.08 * -1, 1, 0.42 + 0.08 * -1])
    }
}
