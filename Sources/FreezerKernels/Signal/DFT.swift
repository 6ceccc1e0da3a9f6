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
}
