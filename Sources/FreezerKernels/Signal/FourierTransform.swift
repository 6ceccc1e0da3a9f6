import Foundation

/// A discrete Fourier transform of one length, in Double: `y[k] = Σ_j x[j]·e^(∓2πi·jk/n)` (− forward,
/// + inverse; no 1/n scaling here).
///
/// Twiddle factors come from one table of e^(−2πi·m/n) for m in 0..<n, each computed directly (never by
/// repeated multiplication), so the error does not grow with n. Lengths that are powers of two use an
/// iterative radix-2 FFT; other lengths the direct O(n²) sum with exponents reduced mod n.
struct FourierTransform {
    let length: Int
    private let cosines: [Double]
    private let sines: [Double]

    init(length n: Int) {
        length = n
        cosines = (0..<n).map { cos(2 * Double.pi * Double($0) / Double(n)) }
        sines = (0..<n).map { -sin(2 * Double.pi * Double($0) / Double(n)) }
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
