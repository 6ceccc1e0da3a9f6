import FreezerVerify
import Testing
@testable import FreezerIR
@testable import FreezerKernels

/// Products by a weight read in place from its stored bytes (`StoredWeightProduct`): every element is
/// one fma chain over k, in float or in double, whatever the stored type, alignment, blocking or
/// thread count; and an evaluation that does not keep constants takes this path for large weights
/// with the results of the decoded path.
@Suite("Products by weights read in place", .enabled(if: NativeKernels.isAvailable, "runs where the CPU has AVX-512"))
struct StoredWeightProductTests {
    /// Values exact in every stored type (multiples of 1/64 in [-4, 4]: at most 8 significant bits), so the chains below see the
    /// same operands as the product.
    private func values(_ count: Int, _ generator: inout SeededGenerator) -> [Float] {
        (0..<count).map { _ in Float(Int(generator.next() % 513) - 256) / 64 }
    }

    /// op(B) (k×n, row-major in `b`) stored as its transpose, n×k: a Gemm's transB weight.
    private func transposedWeight(_ b: [Float], k: Int, n: Int, type: ElementType) -> StoredWeightProduct.Weight {
        var t = [Float](repeating: 0, count: k * n)
        for p in 0..<k { for j in 0..<n { t[j * k + p] = b[p * n + j] } }
        return StoredWeightProduct.Weight(tensor: weight(t, k: n, n: k, type: type), transposed: true)
    }

    /// The weight's bytes as `type` stores them, one byte into an allocation (so the payload is misaligned).
    private func weight(_ b: [Float], k: Int, n: Int, type: ElementType) -> Tensor {
        var bytes: [UInt8] = [0xAB]
        for x in b {
            switch type {
            case .float16: withUnsafeBytes(of: HalfPrecision.half(fromDouble: Double(x)).littleEndian) { bytes += $0 }
            case .bfloat16: withUnsafeBytes(of: UInt16(x.bitPattern >> 16).littleEndian) { bytes += $0 }
            default: withUnsafeBytes(of: x.bitPattern.littleEndian) { bytes += $0 }
            }
        }
        let all = Bytes(bytes)
        return Tensor(name: "w", elementType: type, dims: [Int64(k), Int64(n)], payload: .raw(all.slice(1, all.count - 1)))
    }

    /// Shapes around the tiles (12 rows; 32 float or 16 double columns), the k-block (256) and the
    /// column chunks (512 float, 256 double columns).
    static let shapes: [(m: Int, n: Int, k: Int)] = [
        (1, 1, 1), (2, 9, 3), (12, 16, 256), (13, 33, 257), (25, 300, 40), (3, 1000, 7), (40, 520, 513), (4, 0, 5), (3, 5, 0),
    ]

    @Test(arguments: shapes)
    func doubleProductsAreFusedMultiplyAddChainsOverWidenedWeights(_ shape: (m: Int, n: Int, k: Int)) {
        let (m, n, k) = shape
        var generator = SeededGenerator(seed: UInt64(m * 1_000_003 + n * 1009 + k))
        let b = values(k * n, &generator)
        let a = (0..<(m * k)).map { _ in Double(generator.next() % 1_000_001) / 999_983 - 0.5 }
        var expected = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<k { sum = sum.addingProduct(a[i * k + p], Double(b[p * n + j])) }
                expected[i * n + j] = sum
            }
        }
        for type in [ElementType.float, .float16, .bfloat16] {
            for threads in [1, 2] {
                PackedProduct.threads.store(threads, ordering: .relaxed)
                defer { PackedProduct.threads.store(1, ordering: .relaxed) }
                for w in [StoredWeightProduct.Weight(tensor: weight(b, k: k, n: n, type: type), transposed: false), transposedWeight(b, k: k, n: n, type: type)] {
                    let product = StoredWeightProduct.multiply(NDArray(doubles: a, shape: [m, k]), by: w, precision: .float64)
                    #expect(product?.shape == [m, n])
                    #expect(product?.doubles.map(\.bitPattern) == expected.map(\.bitPattern), "\(type), \(threads) threads, transposed \(w.transposed)")
                }
            }
        }
    }

    @Test(arguments: shapes)
    func floatProductsAreFusedMultiplyAddChains(_ shape: (m: Int, n: Int, k: Int)) {
        let (m, n, k) = shape
        var generator = SeededGenerator(seed: UInt64(m * 7919 + n * 31 + k))
        let b = values(k * n, &generator), a = values(m * k, &generator)
        var expected = [Float](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var sum: Float = 0
                for p in 0..<k { sum = sum.addingProduct(a[i * k + p], b[p * n + j]) }
                expected[i * n + j] = sum
            }
        }
        for type in [ElementType.float, .float16, .bfloat16] {
            for w in [StoredWeightProduct.Weight(tensor: weight(b, k: k, n: n, type: type), transposed: false), transposedWeight(b, k: k, n: n, type: type)] {
                let product = StoredWeightProduct.multiply(NDArray(floats: a, shape: [m, k], type: type), by: w, precision: .own)
                #expect(product?.elementType == type)
                #expect(product?.floats.map(\.bitPattern) == expected.map(\.bitPattern), "\(type), transposed \(w.transposed)")
            }
        }
    }

    @Test func operandsThatDoNotSuitTheProductAreLeftToTheDecodedPath() {
        var generator = SeededGenerator(seed: 3)
        let w = StoredWeightProduct.Weight(tensor: weight(values(12, &generator), k: 3, n: 4, type: .float), transposed: false)
        #expect(StoredWeightProduct.multiply(NDArray(floats: [1, 2, 3], shape: [3]), by: w, precision: .own) == nil) // a vector
        #expect(StoredWeightProduct.multiply(NDArray(floats: [1, 2, 3, 4], shape: [2, 2]), by: w, precision: .own) == nil) // k differs
        #expect(StoredWeightProduct.multiply(NDArray(floats: [1, 2, 3], shape: [1, 3], type: .float16), by: w, precision: .own) == nil) // types differ
        #expect(StoredWeightProduct.multiply(NDArray(doubles: [1, 2, 3], shape: [1, 3]), by: w, precision: .own) == nil) // float64 by float32
        #expect(StoredWeightProduct.multiply(NDArray(ints: [1, 2, 3], shape: [1, 3]), by: w, precision: .float64) == nil)
        #expect(StoredWeightProduct.multiply(NDArray(doubles: [1, 2, 3], shape: [1, 3]), by: w, precision: .float64) != nil)
    }

    // MARK: - In an evaluation

    /// x[rows, 600] → MatMul(w1: 600×500 float32, 1.2 MB) → Relu → MatMul(w2: 500×8, small) → y, and
    /// with `shared`, w1 read by a second MatMul as well.
    private func model(shared: Bool = false, weightAsInput: Bool = false, rows: Int = 3) -> Model {
        var generator = SeededGenerator(seed: 17)
        let w1 = Tensor.make(name: "w1", type: .float, dims: [600, 500], values: values(300_000, &generator).map(Double.init))
        let w2 = Tensor.make(name: "w2", type: .float, dims: [500, 8], values: values(4000, &generator).map(Double.init))
        let x = ValueInfo(name: "x", type: ValueType(tensor: TensorType(elementType: .float, shape: [.value(Int64(rows)), .value(600)])))
        var nodes = [NodeSpec(opType: "MatMul", opsetVersion: 17, inputs: ["x", "w1"], outputs: ["h"]),
                     NodeSpec(opType: "Relu", opsetVersion: 17, inputs: ["h"], outputs: ["r"]),
                     NodeSpec(opType: "MatMul", opsetVersion: 17, inputs: ["r", "w2"], outputs: ["y"])]
        var outputs = [ValueInfo(name: "y", type: nil)]
        if shared {
            nodes.append(NodeSpec(opType: "MatMul", opsetVersion: 17, inputs: ["x", "w1"], outputs: ["z"]))
            outputs.append(ValueInfo(name: "z", type: nil))
        }
        var inputs = [x]
        if weightAsInput { inputs.append(ValueInfo(name: "w1", type: ValueType(tensor: TensorType(elementType: .float, shape: [.value(600), .value(500)])))) }
        let graph = Graph(name: "g", inputs: inputs, outputs: outputs, initializers: [w1, w2], nodes: nodes)
        return Model(irVersion: 8, opsetImports: [.init(domain: "", version: 17)], graph: graph)
    }

    @Test func onlyALargeWeightReadByOneProductIsReadInPlace() {
        func inPlace(_ model: Model) -> [String] {
            model.graph.nodes.compactMap { StoredWeightProduct.weight(of: $0, in: model.graph)?.tensor.name }
        }
        #expect(inPlace(model()) == ["w1"]) // w2 is below minimumBytes
        #expect(inPlace(model(shared: true)).isEmpty)
        #expect(inPlace(model(weightAsInput: true)).isEmpty)
    }

    @Test(arguments: [1, 4])
    func anEvaluationWithoutKeptConstantsGivesTheDecodedPathsResults(samples: Int) throws {
        var generator = SeededGenerator(seed: 23)
        let inputs = (0..<samples).map { _ in ["x": NDArray(floats: values(1800, &generator), shape: [3, 600])] }
        let own = try Interpreter(model: model(), options: .init(keepsConstants: false)).run(batch: inputs).map { $0["y"]! }
        let ownKept = try inputs.map { try Interpreter(model: model()).run($0)["y"]! }
        #expect(own == ownKept)
        let exact = try Interpreter(model: model(), options: .init(precision: .float64, keepsConstants: false)).run(batch: inputs).map { $0["y"]! }
        let exactKept = try inputs.map { try Interpreter(model: model(), options: .init(precision: .float64)).run($0)["y"]! }
        for (e, k) in zip(exact, exactKept) {
            #expect(e.elementType == .double && e.shape == k.shape)
            for (u, v) in zip(e.doubles, k.doubles) { #expect(abs(u - v) <= 1e-12 * max(1, abs(v))) }
        }
        // The first product's float64 result is its fma chain over the widened weight: the in-place path ran.
        let w1 = try #require(model().graph.initializers.first { $0.tensor.name == "w1" }?.tensor).doubles()
        let x = inputs[0]["x"]!.floats
        let h = try Interpreter(model: model(), options: .init(precision: .float64, keepsConstants: false))
            .run(batch: inputs, outputs: ["h"])[0]["h"]!
        for j in [0, 17, 499] {
            var sum = 0.0
            for p in 0..<600 { sum = sum.addingProduct(Double(x[p]), w1[p * 500 + j]) }
            #expect(h.doubles[j].bitPattern == sum.bitPattern)
        }
    }
    /// x[3, 600] → Gemm(W: 500×600, transB = 1, C: [500]) → y: a PyTorch Linear layer's export.
    private func gemmModel(alpha: Float = 1, bias: [Int64] = [500]) -> Model {
        var generator = SeededGenerator(seed: 29)
        let w = Tensor.make(name: "w", type: .float, dims: [500, 600], values: values(300_000, &generator).map(Double.init))
        let c = Tensor.make(name: "c", type: .float, dims: bias, values: values(Int(bias.reduce(1, *)), &generator).map(Double.init))
        let x = ValueInfo(name: "x", type: ValueType(tensor: TensorType(elementType: .float, shape: [.value(3), .value(600)])))
        let graph = Graph(name: "g", inputs: [x], outputs: [ValueInfo(name: "y", type: nil)], initializers: [w, c],
                          nodes: [NodeSpec(opType: "Gemm", opsetVersion: 17, inputs: ["x", "w", "c"], outputs: ["y"],
                                           attributes: [.init(name: "transB", value: .int(1)), .init(name: "alpha", value: .float(alpha))])])
        return Model(irVersion: 8, opsetImports: [.init(domain: "", version: 17)], graph: graph)
    }

    @Test func aGemmByATransposedWeightAccumulatesOntoItsBias() throws {
        #expect(StoredWeightProduct.weight(of: gemmModel().graph.nodes[0], in: gemmModel().graph)?.transposed == true)
        #expect(StoredWeightProduct.weight(of: gemmModel(alpha: 2).graph.nodes[0], in: gemmModel(alpha: 2).graph) == nil)
        #expect(StoredWeightProduct.weight(of: gemmModel(bias: [3, 500]).graph.nodes[0], in: gemmModel(bias: [3, 500]).graph) == nil)
        var generator = SeededGenerator(seed: 31)
        let inputs = (0..<3).map { _ in ["x": NDArray(floats: values(1800, &generator), shape: [3, 600])] }
        let own = try Interpreter(model: gemmModel(), options: .init(keepsConstants: false)).run(batch: inputs).map { $0["y"]! }
        #expect(own == (try inputs.map { try Interpreter(model: gemmModel()).run($0)["y"]! }), "the decoded path's bits")
        let exact = try Interpreter(model: gemmModel(), options: .init(precision: .float64, keepsConstants: false)).run(batch: inputs).map { $0["y"]! }
        let graph = gemmModel().graph
        let w = try #require(graph.initializers.first { $0.tensor.name == "w" }?.tensor).doubles()
        let c = try #require(graph.initializers.first { $0.tensor.name == "c" }?.tensor).doubles()
        let x = inputs[1]["x"]!.floats
        for (i, j) in [(0, 0), (1, 17), (2, 499)] {
            var sum = c[j]
            for p in 0..<600 { sum = sum.addingProduct(Double(x[i * 600 + p]), w[j * 600 + p]) }
            #expect(exact[1].doubles[i * 500 + j].bitPattern == sum.bitPattern, "one fma chain from the bias")
        }
    }
}
