import Foundation
import FreezerVerify
import Testing
@testable import FreezerKernels

/// The vectorized softmax (C kernel) against a float64 reference and against the Swift loops on the
/// special values.
@Suite("Vectorized softmax", .enabled(if: NativeKernels.isAvailable, "runs where the CPU has AVX-512"))
struct NativeSoftmaxTests {
    private func swiftSoftmax(_ v: [Float], length: Int) -> [Float] {
        Softmax.normalize(v, outer: v.count / length, length: length, inner: 1, log: false,
                          exp: { Foundation.exp($0) }, ln: { Foundation.log($0) })
    }

    @Test(arguments: [1, 2, 15, 16, 17, 32, 33, 100])
    func agreesWithFloat64WithinTheErrorOfTheScalarLoops(length: Int) {
        var generator = SeededGenerator(seed: UInt64(length))
        let rows = 40
        let x = (0..<(rows * length)).map { _ in Float(Int(generator.next() % 60001) - 30000) / 1000 }
        let fast = Softmax.softmaxRows(x, length: length), slow = swiftSoftmax(x, length: length)
        var worstFast = 0.0, worstSlow = 0.0
        for r in 0..<rows {
            let row = x[(r * length)..<((r + 1) * length)].map(Double.init)
            let top = row.max()!
            let sum = row.reduce(0) { $0 + Foundation.exp($1 - top) }
            for i in 0..<length {
                let want = Foundation.exp(row[i] - top) / sum
                guard want > 1e-30 else { continue }
                worstFast = max(worstFast, abs(Double(fast[r * length + i]) - want) / want)
                worstSlow = max(worstSlow, abs(Double(slow[r * length + i]) - want) / want)
            }
        }
        #expect(worstFast <= max(4e-6, 2 * worstSlow), "fast \(worstFast), scalar \(worstSlow)")
    }

    @Test func specialValuesBehaveAsInTheScalarLoops() {
        let rows: [[Float]] = [
            [1, .nan, 2], [-.infinity, 0, 1], [-.infinity, -.infinity, -.infinity], [.infinity, 0, 1], [5], [-200, 0, -90],
        ]
        for row in rows {
            let fast = Softmax.softmaxRows(row, length: row.count), slow = swiftSoftmax(row, length: row.count)
            for (f, s) in zip(fast, slow) {
                #expect(f.isNaN == s.isNaN && (f.isNaN || abs(f - s) <= 1e-6 * max(1, abs(s))), "\(row): \(fast) vs \(slow)")
            }
        }
    }
}
