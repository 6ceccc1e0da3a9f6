import FreezerIR

extension VisionSignalOperators {
    /// STFT (17): the short-time Fourier transform of `signal` [batch, length, 1 or 2].
    ///
    /// Frame f covers samples f·frame_step ..< f·frame_step + frame_length, multiplied by `window` (default
    /// all ones); frames = 1 + ⌊(length − frame_length) / frame_step⌋. frame_length defaults to the window's
    /// length, else the signal length. Each frame's DFT of length frame_length is returned as
    /// [batch, frames, bins, 2], bins = ⌊frame_length/2⌋ + 1 when `onesided` (default 1) else frame_length.
    static func stft(_ ctx: KernelContext) throws(EvaluationError) -> [NDArray?] {
        let (x, values) = try floatInput(ctx, 0, "signal")
        guard x.rank == 3, x.shape[2] == 1 || x.shape[2] == 2 else {
            throw ctx.fail("signal must be [batch, length, 1 or 2], got \(text(x.shape))")
        }
        let step = try IndexInputs.scalar(ctx, 1, "frame_step")
        guard step >= 1, step <= Int64(Int32.max) else { throw ctx.fail("frame_step \(step) must be ≥ 1") }
        var window: [Double]?
        if let w = ctx.optionalInput(2) {
            guard w.rank == 1 else { throw ctx.fail("window must be 1-D, got \(text(w.shape))") }
            window = try floatInput(ctx, 2, "window").values
        }
        var frameLength = window?.count ?? x.shape[1]
        if let given = ctx.optionalInput(3), given.count > 0 {
            let v = try IndexInputs.scalar(ctx, 3, "frame_length")
            guard v >= 1, v <= Int64(Int32.max) else { throw ctx.fail("frame_length \(v) must be ≥ 1") }
            guard window == nil || window?.count == Int(v) else {
                throw ctx.fail("frame_length \(v) differs from the window's length \(window?.count ?? 0)")
            }
            frameLength = Int(v)
        }
        let batch = x.shape[0], length = x.shape[1], parts = x.shape[2]
        guard frameLength >= 1, frameLength <= length else {
            throw ctx.fail("frame_length \(frameLength) must be between 1 and the signal length \(length)")
        }
        let onesided = ctx.int("onesided", default: 1) != 0
        let frames = 1 + (length - frameLength) / Int(step)
        let bins = onesided ? frameLength / 2 + 1 : frameLength
        let shape = [batch, frames, bins, 2]
        var out = [Double](repeating: 0, count: try IndexInputs.count(shape, ctx, "output"))
        let fourier = FourierTransform(length: frameLength)
        var re = [Double](repeating: 0, count: frameLength), im = re
        for b in 0..<batch {
            for f in 0..<frames {
                let start = f * Int(step)
                for j in 0..<frameLength {
                    let w = window?[j] ?? 1
                    let at = (b * length + start + j) * parts
                    re[j] = values[at] * w
                    im[j] = parts == 2 ? values[at + 1] * w : 0
                }
                fourier.transform(&re, &im, inverse: false)
                for k in 0..<bins {
                    let at = ((b * frames + f) * bins + k) * 2
                    out[at] = re[k]
                    out[at + 1] = im[k]
                }
            }
        }
        return [result(out, shape: shape, like: x)]
    }
}
