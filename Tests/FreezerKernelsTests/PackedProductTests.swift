import FreezerVerify
import Testing
@testable import FreezerIR
@testable import FreezerKernels

/// freezer's packed float product: every element is one fused multiply-add chain over k in order, so
/// the results are pinned down exactly, whatever the blocking, caching or thread count.
@Suite("Packed matrix product", .enabled(if: NativeKernels.isAvailable, "runs where the CPU has AVX-512"))
struct PackedProductTests {
    typealias Ops = NeuralNetworkOperators

    private func values(_ count: Int, _ generator: inout SeededGenerator) -> [Float] {
        (0..<count).map { _ in Float(Int(generator.next() % 2001) - 1000) / 997 }
    }

    /// C = op(A)·op(B) (+ C) as the contract states it: c = fma(a[i,p], b[p,j], c) for p = 0, 1, …
    private func fmaChains(_ a: [Float], _ b: [Float], _ c: [Float]?, m: Int, n: Int, k: Int,
                           transA: Bool, transB: Bool) -> [Float] {
        var y = c ?? [Float](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var sum = y[i * n + j]
                for p in 0..<k {
                    sum = sum.addingProduct(transA ? a[p * m + i] : a[i * k + p], transB ? b[j * k + p] : b[p * n + j])
                }
                y[i * n + j] = sum
            }
        }
        return y
    }

    private func product(_ a: [Float], _ b: [Float], _ c: [Float]?, m: Int, n: Int, k: Int, transA: Bool, transB: Bool,
                         constantB: Ops.ConstantOperand<Float>? = nil) -> [Float] {
        var y = c ?? [Float](repeating: .nan, count: m * n)
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                y.withUnsafeMutableBufferPointer { yp in
                    Ops.gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 1, a: ap.baseAddress!,
                             lda: transA ? m : k, b: bp.baseAddress!, ldb: transB ? k : n, beta: c == nil ? 0 : 1,
                             c: yp.baseAddress!, ldc: n, constantB: constantB)
                }
            }
        }
        return y
    }

    /// Shapes around the micro-kernel's tile (12 × 32, half-width 16), k-block (256) and column chunk (512).
    static let shapes: [(m: Int, n: Int, k: Int)] = [
        (2, 2, 1), (5, 17, 3), (12, 32, 256), (13, 33, 257), (11, 16, 40), (25, 600, 300), (3, 1000, 7), (40, 48, 513),
    ]

    @Test(arguments: shapes)
    func everyElementIsOneFusedMultiplyAddChain(_ shape: (m: Int, n: Int, k: Int)) {
        var generator = SeededGenerator(seed: UInt64(shape.m * 1_000_003 + shape.n * 1009 + shape.k))
        let a = values(shape.m * shape.k, &generator), b = values(shape.k * shape.n, &generator)
        let c = values(shape.m * shape.n, &generator)
        for transA in [false, true] {
            for transB in [false, true] {
                for initial in [nil, c] {
                    let got = product(a, b, initial, m: shape.m, n: shape.n, k: shape.k, transA: transA, transB: transB)
                    let want = fmaChains(a, b, initial, m: shape.m, n: shape.n, k: shape.k, transA: transA, transB: transB)
                    #expect(ConvPoolFastPathTests.sameBits(got, want),
                            "\(shape) transA \(transA) transB \(transB) accumulate \(initial != nil)")
                }
            }
        }
    }

    /// Packed once for the node; k = 300 spans two k-blocks of the packed form.
    @Test(arguments: [(m: 7, n: 45, k: 70), (m: 13, n: 40, k: 300)])
    func aConstantRightOperandIsPackedOnceAndGivesTheSameBits(_ shape: (m: Int, n: Int, k: Int)) throws {
        let (m, n, k) = shape
        var generator = SeededGenerator(seed: 11)
        let a = values(m * k, &generator), b = values(k * n, &generator), bt = values(n * k, &generator)
        let info = NodeInfo(try #require(Self.matMulGraph.nodes.first), name: "matmul")
        for transB in [false, true] {
            let right = transB ? bt : b
            let want = fmaChains(a, right, nil, m: m, n: n, k: k, transA: false, transB: transB)
            for _ in 0..<2 {
                let got = product(a, right, nil, m: m, n: n, k: k, transA: false, transB: transB,
                                  constantB: .init(info: info, key: [1], values: right))
                #expect(ConvPoolFastPathTests.sameBits(got, want), "transB \(transB)")
            }
        }
    }

    @Test func aPackedConstantIsKeptForItsArrayOnly() throws {
        let info = NodeInfo(try #require(Self.matMulGraph.nodes.first), name: "matmul")
        let weights: [Float] = [1, 2, 3, 4, 5, 6]
        func pack(_ values: [Float]) -> PackedMatrix {
            values.withUnsafeBufferPointer { PackedProduct.packB(k: 2, n: 3, $0.baseAddress!, ldb: 3, transposed: false) }
        }
        let first = info.packedConstant([1], of: weights) { pack(weights) }
        var packedAgain = false
        let second = info.packedConstant([1], of: weights) { packedAgain = true; return pack(weights) }
        #expect(first === second)
        #expect(!packedAgain)
        // Another array (even with equal elements) is another operand: packed anew.
        var other = weights
        other[0] = 1
        let third = info.packedConstant([1], of: other) { pack(other) }
        #expect(third !== first)
        #expect(info.packedConstant([2], of: other) { pack(other) } !== third)
    }

    @Test func threadsSplitColumnsWithoutChangingAnyBit() {
        let (m, n, k) = (30, 700, 129)
        var generator = SeededGenerator(seed: 5)
        let a = values(m * k, &generator), b = values(k * n, &generator)
        let want = fmaChains(a, b, nil, m: m, n: n, k: k, transA: false, transB: true)
        let before = PackedProduct.threads.load(ordering: .relaxed)
        defer { PackedProduct.threads.store(before, ordering: .relaxed) }
        for threads in [1, 2, 3, 7] {
            PackedProduct.threads.store(threads, ordering: .relaxed)
            #expect(ConvPoolFastPathTests.sameBits(product(a, b, nil, m: m, n: n, k: k, transA: false, transB: true), want),
                    "\(threads) threads")
        }
    }

    /// 2-D convolutions pack their im2col matrix straight from the image; the general path writes an
    /// im2col buffer first. Both feed the same product, so they agree bit for bit.
    @Test func convolutionPackedFromTheImageMatchesIm2col() {
        var random = ConvPoolFastPathTests.Random(state: 9)
        var cases = 0
        for _ in 0..<150 {
            let input = [1 + Int(random.next() % 12), 1 + Int(random.next() % 40)]
            let kernel = [1 + Int(random.next() % 4), 1 + Int(random.next() % 4)]
            let strides = [1 + Int(random.next() % 3), 1 + Int(random.next() % 3)]
            let dilations = [1 + Int(random.next() % 2), 1 + Int(random.next() % 2)]
            let pads = (0..<4).map { _ in Int(random.next() % 3) }
            guard let g = ConvPoolFastPathTests.geometry(input, kernel: kernel, strides: strides, dilations: dilations,
                                                         pads: pads) else { continue }
            // Every tenth case has enough input channels for k to span several k-blocks (256).
            let group = 1 + Int(random.next() % 2), perGroup = cases % 10 == 0 ? 40 : 1 + Int(random.next() % 3)
            let c = group * perGroup, m = group * (1 + Int(random.next() % 20))
            var p = Ops.ConvProblem(n: 2, c: c, m: m, group: group, geometry: g)
            let x = (0..<(2 * c * g.inputCount)).map { _ in random.next() % 50 == 0 ? random.special() : random.uniform() }
            let w = (0..<(m * perGroup * g.kernelCount)).map { _ in random.uniform() }
            let bias = random.next() % 2 == 0 ? nil : (0..<m).map { _ in random.uniform() }
            p.specialisedKernels = true
            let packed = Ops.convolve(x, w, bias, p)
            p.specialisedKernels = false
            #expect(ConvPoolFastPathTests.sameBits(packed, Ops.convolve(x, w, bias, p)), "\(g) group \(group)")
            cases += 1
        }
        #expect(cases > 100)
    }

    private static let matMulGraph = Graph(
        name: "g", inputs: [ValueInfo(name: "a", type: nil), ValueInfo(name: "b", type: nil)],
        outputs: [ValueInfo(name: "y", type: nil)], initializers: [],
        nodes: [NodeSpec(opType: "MatMul", opsetVersion: 17, inputs: ["a", "b"], outputs: ["y"])])
}
