import Foundation
import FreezerIR
import FreezerTestSupport
import Testing
@testable import FreezerConvert
@testable import FreezerLog
@testable import FreezerONNX

/// Token ids into an embedding are drawn from its rows, so the check reads the whole table, and a table of
/// fewer than four rows is never indexed beyond its end.
@Suite("Integer inputs of the check")
struct IntegerInputsTests {
    /// ids [1, 16] → Gather(table [rows, 8]) → y; the rows from `from` on multiplied by `factor`.
    func embedding(rows: Int64, factor: Double = 1, from: Int = 0) -> Model {
        let values = (0..<Int(rows * 8)).map { k in Double(k % 97) / 31 - 1.5 }
        let scaled = values.enumerated().map { k, v in k / 8 >= from ? v * factor : v }
        let ids = ValueInfo(name: "ids", type: ValueType(tensor: TensorType(elementType: .int64, shape: [.value(1), .value(16)])))
        let y = ValueInfo(name: "y", type: ValueType(tensor: TensorType(elementType: .float, shape: [.value(1), .value(16), .value(8)])))
        let g = Graph(name: "g", inputs: [ids], outputs: [y],
                      initializers: [Tensor.make(name: "table", type: .float, dims: [rows, 8], values: scaled)],
                      nodes: [NodeSpec(name: "lookup", opType: "Gather", opsetVersion: 17, inputs: ["table", "ids"], outputs: ["y"])])
        return Model(irVersion: 8, opsetImports: [.init(domain: "", version: 17)], graph: g)
    }

    func saved(_ model: Model, _ name: String, in dir: String) throws -> String {
        let path = dir + "/" + name + ".onnx"
        _ = try ModelSaver.save(model, to: path)
        return path
    }

    /// Rows 500 and beyond changed: drawn from [0, 4) the check never read them; drawn from the table's
    /// rows, it refuses. The record names the range.
    @Test func aChangeBeyondTheFirstRowsIsSeen() throws {
        let dir = Fixtures.temporaryDirectory()
        let a = try saved(embedding(rows: 1000), "a", in: dir), b = try saved(embedding(rows: 1000, factor: 1.01, from: 500), "b", in: dir)
        let outcome = try Comparison.run(.init(a: a, b: b))
        #expect(outcome.report.verdict == .notEquivalent)
        #expect(outcome.equivalence.inputRanges == ["ids": [0, 1000]])
        #expect(outcome.report.defaults.contains("ids: integers in [0, 1000), the rows of 'table' it indexes"))
        #expect(try Comparison.run(.init(a: a, b: a)).report.verdict == .equivalent)
    }

    /// A table of two rows (token type ids): every id drawn is a row, where [0, 4) failed the evaluation.
    @Test func aSmallTableIsNeverIndexedBeyondItsEnd() throws {
        let dir = Fixtures.temporaryDirectory()
        let a = try saved(embedding(rows: 2), "a", in: dir)
        let outcome = try Comparison.run(.init(a: a, b: a))
        #expect(outcome.report.verdict == .equivalent && outcome.equivalence.inputRanges == ["ids": [0, 2]])
    }

    /// The defaults name the range with the sizes; a failed evaluation's note names only the sizes.
    @Test func theSizesNoteNamesSizesOnly() throws {
        var model = embedding(rows: 1000)
        let ids = model.graph.runtimeInputs[0]
        model.graph.setType(ids, ValueType(tensor: TensorType(elementType: .int64, shape: [.value(1), .symbol("seq")])))
        let made = try EquivalenceInputs.samples(for: model, frozen: model.graph, inputsDirectory: nil, inputShapes: [:], count: 2, seed: 0)
        #expect(made.sizes == ["ids dim 1 'seq' = 16"])
        #expect(made.defaults == made.sizes + ["ids: integers in [0, 1000), the rows of 'table' it indexes"])
        #expect(!EquivalenceInputs.sizesNote(made.sizes).contains("integers"))
        #expect(made.recordedIntegerRanges == ["ids": [0, 1000]])
    }

    /// A conversion records the ranges; --reverify draws the same ids, and a log that records none draws
    /// them from [0, 4), as it was checked.
    @Test func reverifyDrawsTheRecordedRanges() throws {
        let dir = Fixtures.temporaryDirectory()
        let input = try saved(embedding(rows: 1000), "m", in: dir)
        let options = ConversionOptions(input: input, output: dir + "/frozen.onnx", modelID: "E", modelVersion: "1", responsible: "Jane Doe")
        let outcome = try Conversion.run(options, commandLine: [])
        #expect(outcome.log.equivalence.inputRanges == ["ids": [0, 1000]])
        let log = try ConversionLog.decode(Data(contentsOf: URL(fileURLWithPath: outcome.logPath)))
        #expect(try Reverification.run(log: log, original: input, frozen: outcome.saved.path) == outcome.equivalence)
        var older = log
        older.equivalence.inputRanges = nil
        let olderOptions = try Reverification.recordedOptions(older, original: input, frozen: outcome.saved.path, threads: 1)
        let made = try Reverification.inputs(older, options: olderOptions, original: embedding(rows: 1000), frozen: embedding(rows: 1000))
        #expect(made.samples.allSatisfy { $0.feeds["ids"]!.ints.allSatisfy { $0 < 4 } })
        let current = try Reverification.inputs(log, options: olderOptions, original: embedding(rows: 1000), frozen: embedding(rows: 1000))
        #expect(current.samples.contains { $0.feeds["ids"]!.ints.contains { $0 >= 4 } })
    }
}
