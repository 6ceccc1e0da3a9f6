import Foundation

/// A discrete Fourier transform of one length, in Double: `y[k] = Σ_j x[j]·e^(∓2πi·jk/n)` (− forward,
/// + inverse; no 1/n scaling here).
///
/// Twiddle factors come from one table of e^(−2πi·m/n) for m in 0..<n, each computed directly (never by
/// repeated multiplication), so the error does not grow with n. Lengths that are powers of two use an
/// iterative radix-2 FFT; short other lengths the direct O(n²) sum with exponents reduced mod n; longer
/// ones Bluestein's algorithm (the DFT as a convolution with the chirp e^(−πi·j²/n), computed by
/// power-of-two FFTs), O(n log n).
final class FourierTransform {
    let length: Int
    private let cosines: [Double]
    private let sines: [Double]
    /// Bluestein's chirp e^(−πi·j²/n) and the FFT of its conjugate, padded to a power of two.
    private var chirp: (re: [Double], im: [Double], filterRe: [Double], filterIm: [Double], fft: FourierTransform)?

    /// Lengths from which a non-power-of-two transform uses Bluestein's algorithm.
    static let bluesteinThreshold = 64

    init(length n: Int) {
        length = n
        cosines = (0..<n).map { cos(2 * Double.pi * Double($0) / Double(n)) }
        sines = (0..<n).map { -sin(2 * Double.pi * Double($0) / Double(n)) }
        guard n & (n - 1) != 0, n >= Self.bluesteinThreshold else { return }
        var m = 1
        while m < 2 * n - 1 { m <<= 1 }
        // j² mod 2n keeps the chirp's angle small, so it is as exact as the twiddle table.
        var re = [Double](repeating: 0, count: n), im = re
        for j in 0..<n {
            let k = (j * j) % (2 * n)
            re[j] = cos(Double.pi * Double(k) / Double(n))
            im[j] = -sin(Double.pi * Double(k) / Double(n))
        }
        var fr = [Double](repeating: 0, count: m), fi = fr
        for j in 0..<n {
            fr[j] = re[j]; fi[j] = -im[j]
            if j > 0 { fr[m - j] = re[j]; fi[m - j] = -im[j] }
        }
        let fft = FourierTransform(length: m)
        fft.transform(&fr, &fi, inverse: false)
        chirp = (re, im, fr, fi, fft)
    }

    /// Transforms `re`/`im` (each of `length` values) in place.
    func transform(_ re: inout [Double], _ im: inout [Double], inverse: Bool) {
        let n = length
        guard n > 1 else { return }
        let sign: Double = inverse ? -1 : 1
        if n & (n - 1) == 0 {
            // Bit-reversal permutation, then butterflies of growing span.
            var j = 0
            for i in 1..<n {
                var bit = n >> 1
                while j & bit != 0 { j ^= bit; bit >>= 1 }
                j |= bit
                if i < j { re.swapAt(i, j); im.swapAt(i, j) }
            }
            var span = 2
            while span <= n {
                let half = span / 2, step = n / span
                var start = 0
                while start < n {
                    for k in 0..<half {
                        let wr = cosines[k * step], wi = sign * sines[k * step]
                        let a = start + k, b = a + half
                        let tr = re[b] * wr - im[b] * wi, ti = re[b] * wi + im[b] * wr
                        re[b] = re[a] - tr; im[b] = im[a] - ti
                        re[a] += tr; im[a] += ti
                    }
                    start += span
                }
                span <<= 1
            }
            return
        }
        if let chirp {
            // y[k] = w[k]·Σ_j (x[j]·w[j])·conj(w[k − j]) with w[j] = e^(∓πi·j²/n); the inverse conjugates w.
            let m = chirp.fft.length
            var ar = [Double](repeating: 0, count: m), ai = ar
            for j in 0..<n {
                let wr = chirp.re[j], wi = sign * chirp.im[j]
                ar[j] = re[j] * wr - im[j] * wi
                ai[j] = re[j] * wi + im[j] * wr
            }
            chirp.fft.transform(&ar, &ai, inverse: false)
            for j in 0..<m {
                // The forward filter is conj(w); the inverse filter conj(conj(w)) has the FFT
                // conj(F(conj(w)))(−k), read from the mirrored bin.
                let fr: Double, fi: Double
                if inverse { let q = (m - j) % m; fr = chirp.filterRe[q]; fi = -chirp.filterIm[q] }
                else { fr = chirp.filterRe[j]; fi = chirp.filterIm[j] }
                let r = ar[j] * fr - ai[j] * fi
                ai[j] = ar[j] * fi + ai[j] * fr
                ar[j] = r
            }
            chirp.fft.transform(&ar, &ai, inverse: true)
            let scale = 1 / Double(m)
            for k in 0..<n {
                let wr = chirp.re[k], wi = sign * chirp.im[k]
                let cr = ar[k] * scale, ci = ai[k] * scale
                re[k] = cr * wr - ci * wi
                im[k] = cr * wi + ci * wr
            }
            return
        }
        var outRe = [Double](repeating: 0, count: n), outIm = outRe
        for k in 0..<n {
            var sr = 0.0, si = 0.0, m = 0
            for j in 0..<n {
                let wr = cosines[m], wi = sign * sines[m]
                sr += re[j] * wr - im[j] * wi
                si += re[j] * wi + im[j] * wr
                m += k
                if m >= n { m -= n }
            }
            outRe[k] = sr; outIm[k] = si
        }
        re = outRe
        im = outIm
    }
}
