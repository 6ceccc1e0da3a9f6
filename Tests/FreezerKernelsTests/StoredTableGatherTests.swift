import FreezerVerify
import Testing
@testable import FreezerIR
@testable import FreezerKernels

/// A Gather from a large constant table reads only the rows its indices pick (`StoredTableGather`), with
/// the values the decoded table gives, in both precisions.
@Suite("Gather from a table read by rows")
struct StoredTableGatherTests {
    /// ids[samples-specific] → Gather(table: 2100 × 256 of `type`, ≥ 1 MiB for float16 and wider) → Mul(2) → y,
    /// and with `shared`, the table read by a second Gather too.
    func model(_ type: ElementType = .float, shared: Bool = false, axis: Int64 = 0) -> Model {
        var generator = SeededGenerator(seed: 31)
        let table = Tensor.make(name: "table", type: type, dims: [2100, 256],
                                values: (0..<(2100 * 256)).map { _ in Double(Int(generator.next() % 2001) - 1000) / 64 })
        let ids = ValueInfo(name: "ids", type: ValueType(tensor: TensorType(elementType: .int64, shape: [.value(2), .value(3)])))
        var nodes = [NodeSpec(opType: "Gather", opsetVersion: 17, inputs: ["table", "ids"], outputs: ["e"],
                              attributes: axis == 0 ? [] : [Attribute(name: "axis", value: .int(axis))]),
                     NodeSpec(opType: "Mul", opsetVersion: 17, inputs: ["e", "two"], outputs: ["y"])]
        var outputs = [ValueInfo(name: "y", type: nil)]
        if shared {
            nodes.append(NodeSpec(opType: "Gather", opsetVersion: 17, inputs: ["table", "ids"], outputs: ["z"]))
            outputs.append(ValueInfo(name: "z", type: nil))
        }
        let graph = Graph(name: "g", inputs: [ids], outputs: outputs,
                          initializers: [table, Tensor.make(name: "two", type: type, dims: [], values: [2])], nodes: nodes)
        return Model(irVersion: 8, opsetImports: [.init(domain: "", version: 17)], graph: graph)
    }

    @Test func onlyALargeTableReadByOneGatherOnItsFirstAxisIsReadByRows() {
        func byRows(_ m: Model) -> [String] { m.graph.nodes.compactMap { StoredTableGather.table(of: $0, in: m.graph)?.name } }
        #expect(byRows(model()) == ["table"])
        #expect(byRows(model(.float16)) == ["table"])
        #expect(byRows(model(shared: true)).isEmpty)
        #expect(byRows(model(axis: 1)).isEmpty)
        #expect(byRows(model(.int8)).isEmpty) // 525 KiB: below the size read by rows
    }

    @Test(arguments: [ElementType.float, .float16, .bfloat16, .double])
    func rowsGatheredFromTheStoredBytesEqualTheDecodedTables(_ type: ElementType) throws {
        // Repeated, negative and edge indices; each sample picks different rows.
        let batch = [["ids": NDArray(ints: [0, 2099, -1, 7, 7, -2100], shape: [2, 3])],
                     ["ids": NDArray(ints: [1500, 3, 3, 2098, 0, 42], shape: [2, 3])]]
        for precision in [Precision.own, .float64] {
            let byRows = try Interpreter(model: model(type), options: .init(precision: precision, keepsConstants: false)).run(batch: batch)
            let decoded = try Interpreter(model: model(type), options: .init(precision: precision)).run(batch: batch)
            #expect(byRows == decoded, "\(type) \(precision)")
            #expect(byRows[0]["y"]!.shape == [2, 3, 256])
            // The rows themselves, as the evaluation reads them (not the decoded path it falls back to).
            let table = try #require(model(type).graph.initializers.first { $0.tensor.name == "table" }?.tensor)
            let rows = try #require(try StoredTableGather.gather(table, indices: batch.map { $0["ids"]! }, precision: precision))
            let gathered = try Interpreter(model: model(type), options: .init(precision: precision)).run(batch: batch, outputs: ["e"])
            #expect(rows.map { precision.adopt($0) } == gathered.map { $0["e"]! })
        }
    }

    /// An index out of range is reported by the Gather kernel, as it would be without reading by rows.
    @Test func anIndexOutOfRangeIsReportedByTheDecodedPath() {
        let batch = [["ids": NDArray(ints: [0, 1, 2, 3, 4, 2100], shape: [2, 3])]]
        let error = #expect(throws: EvaluationError.self) {
            try Interpreter(model: model(), options: .init(keepsConstants: false)).run(batch: batch)
        }
        #expect(error?.description.contains("out of range") == true)
    }
}
