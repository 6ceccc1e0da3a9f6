import FreezerVerify
import Testing
@testable import FreezerIR
@testable import FreezerKernels

/// The exact reference's convolutions by large weights read from their stored bytes
/// (`StoredWeightConvolution`) give the decoded path's results, in every geometry.
@Suite("Convolutions by weights read in place", .enabled(if: NativeKernels.isAvailable, "runs where the CPU has AVX-512"))
struct StoredWeightConvolutionTests {
    /// x[images, channels, 7, 6] → Conv(W: 128 × channels × 3 × 3 of `type`: 2.3 MB as float32, 1.2 MB as float16
    /// with 512 channels; bias unless `bias` is false) → Relu → y.
    func model(_ type: ElementType = .float, bias: Bool = true, attributes: [Attribute] = [], images: Int = 2, channels: Int = 512) -> Model {
        var generator = SeededGenerator(seed: 41)
        let w = Tensor.make(name: "W", type: type, dims: [128, Int64(channels), 3, 3],
                            values: (0..<(128 * channels * 9)).map { _ in Double(Int(generator.next() % 513) - 256) / 1024 })
        let b = Tensor.make(name: "B", type: type, dims: [128], values: (0..<128).map { Double($0) / 64 - 1 })
        let x = ValueInfo(name: "x", type: ValueType(tensor: TensorType(elementType: type, shape: [.value(Int64(images)), .value(Int64(channels)), .value(7), .value(6)])))
        let nodes = [NodeSpec(opType: "Conv", opsetVersion: 17, inputs: bias ? ["x", "W", "B"] : ["x", "W"], outputs: ["c"], attributes: attributes),
                     NodeSpec(opType: "Relu", opsetVersion: 17, inputs: ["c"], outputs: ["y"])]
        let graph = Graph(name: "g", inputs: [x], outputs: [ValueInfo(name: "y", type: nil)], initializers: bias ? [w, b] : [w], nodes: nodes)
        return Model(irVersion: 8, opsetImports: [.init(domain: "", version: 17)], graph: graph)
    }

    static let geometries: [[Attribute]] = [
        [Attribute(name: "pads", value: .ints([1, 1, 1, 1]))],
        [Attribute(name: "strides", value: .ints([2, 1])), Attribute(name: "pads", value: .ints([0, 1, 2, 0]))],
        [Attribute(name: "dilations", value: .ints([2, 2])), Attribute(name: "kernel_shape", value: .ints([3, 3]))],
        [Attribute(name: "auto_pad", value: .string(Array("SAME_UPPER".utf8))), Attribute(name: "strides", value: .ints([2, 2]))],
    ]

    @Test(arguments: geometries)
    func theExactReferencesConvolutionReadsTheWeightInPlaceWithTheDecodedResults(_ attributes: [Attribute]) throws {
        for (type, bias) in [(ElementType.float, true), (.float16, true), (.float, false)] {
            let m = model(type, bias: bias, attributes: attributes)
            #expect(StoredWeightConvolution.weight(of: m.graph.nodes[0], in: m.graph) != nil)
            var generator = SeededGenerator(seed: 5)
            let batch = try (0..<3).map { _ in try RandomInputs.sample(for: m.graph, shapes: ["x": [2, 512, 7, 6]], generator: &generator) }
            let inPlace = try Interpreter(model: m, options: .init(precision: .float64, keepsConstants: false)).run(batch: batch)
            let decoded = try Interpreter(model: m, options: .init(precision: .float64)).run(batch: batch)
            for (a, b) in zip(inPlace, decoded) {
                let u = a["y"]!, v = b["y"]!
                #expect(u.shape == v.shape && u.elementType == .double)
                let largest = v.doubles.map(abs).max() ?? 1
                #expect(zip(u.doubles, v.doubles).allSatisfy { abs($0 - $1) <= 1e-13 * largest }, "\(type) bias \(bias) \(attributes)")
            }
        }
    }

    /// The path runs only for the float64 evaluation of a large, one-group weight read by one node; the
    /// own-precision evaluation keeps its convolution.
    @Test func onlyTheExactReferencesLargeOneGroupWeightsAreReadInPlace() throws {
        let m = model()
        #expect(StoredWeightConvolution.weight(of: m.graph.nodes[0], in: m.graph)?.kernel == [3, 3])
        let grouped = model(attributes: [Attribute(name: "group", value: .int(2))])
        #expect(StoredWeightConvolution.weight(of: grouped.graph.nodes[0], in: grouped.graph) == nil)
        let small = model(channels: 160) // 720 KiB
        #expect(StoredWeightConvolution.weight(of: small.graph.nodes[0], in: small.graph) == nil)
        // The own-precision results are the decoded path's bit for bit (the path is not taken there).
        var generator = SeededGenerator(seed: 9)
        let batch = try (0..<2).map { _ in try RandomInputs.sample(for: m.graph, shapes: ["x": [2, 512, 7, 6]], generator: &generator) }
        #expect(try Interpreter(model: m, options: .init(keepsConstants: false)).run(batch: batch) == (try Interpreter(model: m).run(batch: batch)))
    }
}
