import Testing
@testable import FreezerIR
@testable import FreezerKernels

/// Products with a single row or column run on gemv instead of gemm: every transposition and the
/// beta·C term must mean the same as for the general product.
@Suite("Matrix-vector products")
struct MatrixVectorTests {
    private func values(_ n: Int, seed: Int) -> [Float] {
        (0..<n).map { Float(((($0 + 1) * 7919 + seed * 104729) % 201) - 100) / 37 }
    }

    /// Y = alpha · op(A) · op(B) + beta · C in Double, from row-major A and B as stored.
    private func reference(_ a: [Float], _ b: [Float], _ c: [Float], m: Int, n: Int, k: Int,
                           transA: Bool, transB: Bool, alpha: Double, beta: Double) -> [Double] {
        var y = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<k {
                    let x = Double(transA ? a[p * m + i] : a[i * k + p])
                    let w = Double(transB ? b[j * k + p] : b[p * n + j])
                    sum += x * w
                }
                y[i * n + j] = alpha * sum + beta * Double(c[c.count == 1 ? 0 : (c.count == n ? j : i * n + j)])
            }
        }
        return y
    }

    @Test(arguments: [(1, 37, 19), (23, 1, 19), (1, 1, 5), (1, 8, 1)])
    func gemmWithOneRowOrColumn(_ shape: (Int, Int, Int)) throws {
        let (m, n, k) = shape
        for transA in [false, true] {
            for transB in [false, true] {
                for (alpha, beta, cCount) in [(1.0, 0.0, 0), (0.5, 1.0, n), (2.0, -1.5, m * n), (1.0, 1.0, 1)] {
                    let a = values(m * k, seed: 1), b = values(k * n, seed: 2)
                    let c = cCount == 0 ? [Float](repeating: 0, count: 1) : values(cCount, seed: 3)
                    let cArray: NDArray? = cCount == 0 ? nil : NDArray(floats: c, shape: cCount == m * n ? [m, n] : (cCount == 1 ? [1] : [n]))
                    let attributes = [Attribute(name: "transA", value: .int(transA ? 1 : 0)), Attribute(name: "transB", value: .int(transB ? 1 : 0)),
                                      Attribute(name: "alpha", value: .float(Float(alpha))), Attribute(name: "beta", value: .float(Float(beta)))]
                    let y = try runNode("Gemm", [NDArray(floats: a, shape: transA ? [k, m] : [m, k]),
                                                 NDArray(floats: b, shape: transB ? [n, k] : [k, n]), cArray],
                                        attributes: attributes, opset: 13)[0]
                    let expected = reference(a, b, c, m: m, n: n, k: k, transA: transA, transB: transB,
                                             alpha: alpha, beta: cCount == 0 ? 0 : beta)
                    #expect(y.shape == [m, n])
                    for (got, want) in zip(y.floats, expected) {
                        #expect(abs(Double(got) - want) <= 1e-4 * max(1, abs(want)), "m \(m) n \(n) k \(k) transA \(transA) transB \(transB)")
                    }
                }
            }
        }
    }

    @Test func matMulOfMatrixAndVector() throws {
        let a = values(6, seed: 4), v = values(3, seed: 5)
        let y = try runNode("MatMul", [NDArray(floats: a, shape: [2, 3]), NDArray(floats: v, shape: [3])], opset: 13)[0]
        #expect(y.shape == [2])
        let expected = reference(a, v, [0], m: 2, n: 1, k: 3, transA: false, transB: false, alpha: 1, beta: 0)
        for (got, want) in zip(y.floats, expected) { #expect(abs(Double(got) - want) <= 1e-5) }
        let w = try runNode("MatMul", [NDArray(floats: v, shape: [3]), NDArray(floats: a, shape: [3, 2])], opset: 13)[0]
        #expect(w.shape == [2])
        let expectedRow = reference(v, a, [0], m: 1, n: 2, k: 3, transA: false, transB: false, alpha: 1, beta: 0)
        for (got, want) in zip(w.floats, expectedRow) { #expect(abs(Double(got) - want) <= 1e-5) }
    }
}
