import Testing
@testable import FreezerIR
@testable import FreezerKernels
@testable import FreezerVerify

/// Integer inputs that index a table are drawn from its rows; the others from [0, 4).
@Suite("Integer input ranges")
struct IntegerInputRangeTests {
    static func info(_ name: String, _ type: ElementType, _ dims: [Int64]) -> ValueInfo {
        ValueInfo(name: name, type: ValueType(tensor: TensorType(elementType: type, shape: dims.map { .value($0) })))
    }

    /// ids [1, 8] → (Cast, Unsqueeze…) → Gather into `table` [rows, 4]; `other` int input used by an Add.
    static func embedding(rows: Int64, through: [String] = [], second: Int64? = nil, axis: Int64 = 0, constantNode: Bool = false) -> Model {
        var nodes: [NodeSpec] = []
        var x = "ids"
        for (k, op) in through.enumerated() {
            let out = "t\(k)"
            let inputs = op == "Unsqueeze" ? [x, "zero_axis"] : [x]
            nodes.append(NodeSpec(name: "n\(k)", opType: op, opsetVersion: 17, inputs: inputs, outputs: [out],
                                  attributes: op == "Cast" ? [Attribute(name: "to", value: .int(7))] : []))
            x = out
        }
        let tableDims: [Int64] = axis == 0 ? [rows, 4] : [4, rows]
        let table = Tensor.make(name: "table", type: .float, dims: tableDims, values: (0..<Int(rows * 4)).map { Double($0) / 7 })
        var initializers = [Tensor.make(name: "zero_axis", type: .int64, dims: [1], values: [0])]
        if constantNode {
            nodes.append(NodeSpec(name: "c", opType: "Constant", opsetVersion: 17, inputs: [], outputs: ["table"], attributes: [Attribute(name: "value", value: .tensor(table))]))
        } else {
            initializers.append(table)
        }
        nodes.append(NodeSpec(name: "g", opType: "Gather", opsetVersion: 17, inputs: ["table", x], outputs: ["y"], attributes: [Attribute(name: "axis", value: .int(axis))]))
        var outputs = [ValueInfo(name: "y", type: ValueType(tensor: TensorType(elementType: .float, shape: nil)))]
        if let second {
            initializers.append(Tensor.make(name: "small", type: .float, dims: [second, 4], values: (0..<Int(second * 4)).map(Double.init)))
            nodes.append(NodeSpec(name: "g2", opType: "Gather", opsetVersion: 17, inputs: ["small", "ids"], outputs: ["z"]))
            outputs.append(ValueInfo(name: "z", type: ValueType(tensor: TensorType(elementType: .float, shape: nil))))
        }
        nodes.append(NodeSpec(name: "add", opType: "Add", opsetVersion: 17, inputs: ["other", "other"], outputs: ["w"]))
        outputs.append(ValueInfo(name: "w", type: ValueType(tensor: TensorType(elementType: .int64, shape: nil))))
        let g = Graph(name: "g", inputs: [info("ids", .int64, [1, 8]), info("other", .int64, [3])], outputs: outputs,
                      initializers: initializers, nodes: nodes)
        return Model(irVersion: 8, opsetImports: [.init(domain: "", version: 17)], graph: g)
    }

    @Test func anInputThatIndexesATableTakesItsRows() {
        let (ranges, notes) = IntegerInputRange.ranges(for: Self.embedding(rows: 1000).graph)
        #expect(ranges == ["ids": 0..<1000])
        #expect(notes == ["ids: integers in [0, 1000), the rows of 'table' it indexes"])
        // Through ops that keep its values, on another axis, from a Constant node; the smallest table of two.
        #expect(IntegerInputRange.ranges(for: Self.embedding(rows: 50, through: ["Cast", "Unsqueeze", "Identity"]).graph).ranges == ["ids": 0..<50])
        #expect(IntegerInputRange.ranges(for: Self.embedding(rows: 30, axis: 1).graph).ranges == ["ids": 0..<30])
        #expect(IntegerInputRange.ranges(for: Self.embedding(rows: 30, constantNode: true).graph).ranges == ["ids": 0..<30])
        #expect(IntegerInputRange.ranges(for: Self.embedding(rows: 1000, second: 2).graph).ranges == ["ids": 0..<2])
    }

    @Test func samplesDrawFromTheRangeAndTheOthersFromZeroToFour() throws {
        let model = Self.embedding(rows: 1000)
        let ranges = IntegerInputRange.ranges(for: model.graph).ranges
        var generator = SeededGenerator(seed: 9)
        var ids: [Int64] = [], other: [Int64] = []
        for _ in 0..<50 {
            let feeds = try RandomInputs.sample(for: model.graph, shapes: ["ids": [1, 8], "other": [3]], integerRanges: ranges, generator: &generator)
            ids += feeds["ids"]!.ints
            other += feeds["other"]!.ints
        }
        #expect(ids.allSatisfy { (0..<1000).contains($0) } && ids.max()! > 900 && ids.min()! < 100)
        #expect(Set(other) == [0, 1, 2, 3])
        // Without ranges, as before: [0, 4) for every integer, the same draws for the same seed.
        var a = SeededGenerator(seed: 9), b = SeededGenerator(seed: 9)
        let standard = try RandomInputs.sample(for: model.graph, shapes: ["ids": [1, 8], "other": [3]], generator: &a)
        let explicit = try RandomInputs.sample(for: model.graph, shapes: ["ids": [1, 8], "other": [3]], integerRanges: ["ids": 0..<4], generator: &b)
        #expect(standard == explicit && standard["ids"]!.ints.allSatisfy { $0 < 4 })
    }
}
