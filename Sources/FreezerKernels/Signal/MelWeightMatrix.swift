import Foundation
import FreezerIR

extension VisionSignalOperators {
    /// MelWeightMatrix (17): a [⌊dft_length/2⌋+1, num_mel_bins] matrix of triangular filters.
    ///
    /// With mel(f) = 2595·log10(1 + f/700), num_mel_bins + 2 points evenly spaced in mel from
    /// mel(lower_edge_hertz) by (mel(upper) − mel(lower)) / (num_mel_bins + 2) are mapped back to hertz and
    /// to spectrogram bins ⌊(dft_length + 1)·f / sample_rate⌋ (the ONNX reference's spacing and rounding).
    /// Filter i rises from bin b[i] to 1 at b[i+1] ((j − b[i]) / (b[i+1] − b[i])) and falls to b[i+2]
    /// ((b[i+2] − j) / (b[i+2] − b[i+1])); a filter whose rising edge is empty is 1 at its center.
    static func melWeightMatrix(_ ctx: KernelContext) throws(EvaluationError) -> [NDArray?] {
        let melBins = try IndexInputs.scalar(ctx, 0, "num_mel_bins")
        let dftLength = try IndexInputs.scalar(ctx, 1, "dft_length")
        let sampleRate = try IndexInputs.scalar(ctx, 2, "sample_rate")
        let lower = try floatInput(ctx, 3, "lower_edge_hertz").values
        let upper = try floatInput(ctx, 4, "upper_edge_hertz").values
        guard lower.count == 1, upper.count == 1 else { throw ctx.fail("lower_edge_hertz and upper_edge_hertz must be scalars") }
        guard melBins >= 0, melBins <= 1 << 20, dftLength >= 1, dftLength <= 1 << 30, sampleRate > 0 else {
            throw ctx.fail("num_mel_bins (\(melBins)) must be ≥ 0, dft_length (\(dftLength)) ≥ 1 and sample_rate (\(sampleRate)) > 0")
        }
        let type = try outputType(ctx)
        let bins = Int(melBins), spectrogramBins = Int(dftLength / 2 + 1)
        let lowMel = 2595 * log10(1 + lower[0] / 700), highMel = 2595 * log10(1 + upper[0] / 700)
        let step = (highMel - lowMel) / Double(bins + 2)
        var edges: [Int] = []
        for i in 0..<(bins + 2) {
            let hertz = 700 * (pow(10, (Double(i) * step + lowMel) / 2595) - 1)
            let bin = (Double(dftLength + 1) * hertz / Double(sampleRate)).rounded(.down)
            guard bin.isFinite, bin >= 0, bin < Double(spectrogramBins) else {
                throw ctx.fail("the mel band edge \(hertz) Hz falls outside the \(spectrogramBins) spectrogram bins (check lower/upper_edge_hertz against sample_rate)")
            }
            edges.append(Int(bin))
        }
        var out = [Double](repeating: 0, count: spectrogramBins * bins)
        for i in 0..<bins {
            let left = edges[i], center = edges[i + 1], right = edges[i + 2]
            if center == left {
                out[center * bins + i] = 1
            } else if center > left {
                for j in left...center { out[j * bins + i] = Double(j - left) / Double(center - left) }
            }
            if right > center {
                for j in center..<right { out[j * bins + i] = Double(right - j) / Double(right - center) }
            }
        }
        return [try result(out, shape: [spectrogramBins, bins], type: type, ctx)]
    }
}
