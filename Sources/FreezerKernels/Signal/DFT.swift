import FreezerIR

extension VisionSignalOperators {
    /// DFT (17, 20): the discrete Fourier transform of `input` along one signal axis, in Double.
    ///
    /// The input's last dimension holds a real (1) or complex (2: real, imaginary) value. With n =
    /// dft_length (input 1; the signal is truncated or zero-padded to n), forward `y[k] = Σ_j x[j]·e^(−2πi·jk/n)`
    /// and inverse `x[j] = 1/n·Σ_k y[k]·e^(2πi·jk/n)`. `onesided` = 1 forward keeps bins 0…⌊n/2⌋ (RFFT);
    /// `onesided` = 1 inverse reads bins 0…⌊n/2⌋ of a Hermitian spectrum and returns the real signal of
    /// length n (IRFFT, default n = 2·(bins − 1)), as numpy's irfft. The axis is an attribute (default 1)
    /// in 17–19 and an optional input (default −2) from 20; it may not be the last (complex) dimension.
    static func dft(_ ctx: KernelContext, axisAsInput: Bool) throws(EvaluationError) -> [NDArray?] {
        let (x, values) = try floatInput(ctx, 0, "input")
        let rank = x.rank
        guard rank >= 2, let parts = x.shape.last, parts == 1 || parts == 2 else {
            throw ctx.fail("input must be [signal dims…][1 or 2] (real or complex), got \(text(x.shape))")
        }
        var axis: Int64 = 1
        if axisAsInput {
            if let a = ctx.optionalInput(2), a.count > 0 { axis = try IndexInputs.scalar(ctx, 2, "axis") } else { axis = -2 }
        } else {
            axis = ctx.int("axis", default: 1)
        }
        let r = Int64(rank)
        guard (axis >= -r && axis <= -2) || (axis >= 0 && axis <= r - 2) else {
            throw ctx.fail("axis \(axis) is out of range for input rank \(rank) (the last dimension holds the complex parts)")
        }
        let a = Int(axis < 0 ? axis + r : axis)
        let inverse = ctx.int("inverse", default: 0) != 0
        let onesided = ctx.int("onesided", default: 0) != 0
        let length = x.shape[a]
        var n: Int
        if let given = ctx.optionalInput(1), given.count > 0 {
            let v = try IndexInputs.scalar(ctx, 1, "dft_length")
            guard v >= 1, v <= Int64(Int32.max) else { throw ctx.fail("dft_length \(v) must be ≥ 1") }
            n = Int(v)
        } else {
            n = inverse && onesided ? 2 * (length - 1) : length
        }
        guard n >= 1 else { throw ctx.fail("the transform length is \(n) (signal length \(length)); it must be ≥ 1") }

        let outer = x.shape[..<a].reduce(1, *), inner = x.shape[(a + 1)..<(rank - 1)].reduce(1, *)
        let irfft = inverse && onesided
        let outLength = irfft ? n : (onesided ? n / 2 + 1 : n)
        let outParts = irfft ? 1 : 2
        // Bins read from the input: the whole (truncated/padded) signal, or for IRFFT the half spectrum.
        let used = min(length, irfft ? n / 2 + 1 : n)
        var shape = x.shape
        shape[a] = outLength
        shape[rank - 1] = outParts
        var out = [Double](repeating: 0, count: try IndexInputs.count(shape, ctx, "output"))
        let fourier = FourierTransform(length: n)
        var re = [Double](repeating: 0, count: n), im = re
        for o in 0..<outer {
            for i in 0..<inner {
                for k in 0..<n { re[k] = 0; im[k] = 0 }
                for j in 0..<used {
                    let at = ((o * length + j) * inner + i) * parts
                    re[j] = values[at]
                    im[j] = parts == 2 ? values[at + 1] : 0
                }
                if irfft {
                    // Complete the Hermitian spectrum: y[n−k] = conj(y[k]).
                    var k = 1
                    while k < n - k {
                        if k < used { re[n - k] = re[k]; im[n - k] = -im[k] }
                        k += 1
                    }
                }
                fourier.transform(&re, &im, inverse: inverse)
                let scale = inverse ? 1 / Double(n) : 1
                for k in 0..<outLength {
                    let at = ((o * outLength + k) * inner + i) * outParts
                    out[at] = re[k] * scale
                    if outParts == 2 { out[at + 1] = im[k] * scale }
                }
            }
        }
        return [result(out, shape: shape, like: x)]
    }

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
        if let w = ctx.optionalInput(2), w.count > 0 || w.rank == 1 {
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
