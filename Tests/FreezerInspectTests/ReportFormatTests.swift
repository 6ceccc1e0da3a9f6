import Foundation
import FreezerIR
import FreezerInspect
import Testing

/// The JSON encoding and the text rendering.
@Suite("Report JSON and text")
struct ReportFormatTests {
    @Test func jsonRoundTripsAndIsDeterministic() throws {
        let report = try Fixtures.report("training_info_adam")
        let data = try report.jsonData()
        #expect(try JSONDecoder().decode(InspectReport.self, from: data) == report)
        #expect(try Fixtures.report("training_info_adam").jsonData() == data)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"schemaVersion\" : \"1\""))
        // Sorted keys: top-level keys in alphabetical order.
        let order = ["\"categories\"", "\"schemaVersion\"", "\"summary\""].map { text.range(of: $0)!.lowerBound }
        #expect(order == order.sorted())
        #expect(!text.contains("\\/"))
    }

    @Test func attributeValuesKeepTheirType() throws {
        let values: [AttributeValue] = [.float(1), .int(1), .string("nesterov"), .floats([0.5]), .ints([1, 2]), .strings(["a"]), .other("graph 'g'")]
        let data = try JSONEncoder().encode(values)
        #expect(try JSONDecoder().decode([AttributeValue].self, from: data) == values)
        #expect(String(decoding: try JSONEncoder().encode(AttributeValue.float(1)), as: UTF8.self).contains("\"float\""))
    }

    @Test func categoriesAppearInTemplateOrderWithDisplayNames() throws {
        let text = InspectTextRenderer.render(try Fixtures.report("torch_cnn_eval"))
        let names = ["Dropout:", "Batch Normalization:", "Gradient Clipping:", "Learning Rate Scheduling:",
                     "Weight Regularization (L1, L2):", "Gradient and optimizer operations:", "Loss computations:",
                     "training_info:", "Parameters:"]
        let positions = try names.map { try #require(text.range(of: "\n" + $0)?.lowerBound, "\($0) missing") }
        #expect(positions == positions.sorted())
        #expect(text.contains("\nDropout: not present (searched 15 nodes in 1 graph)\n"))
        #expect(text.contains("\nBatch Normalization: 4 found\n"))
    }

    @Test func findingColumnsAreAligned() throws {
        let text = InspectTextRenderer.render(try Fixtures.report("dropout_opset12"))
        let rows = text.split(separator: "\n").filter { $0.contains("Dropout (opset 12)") }
        #expect(rows.count == 4)
        let detailColumns = Set(rows.map { $0.distance(from: $0.startIndex, to: $0.range(of: "training_mode")!.lowerBound) })
        #expect(detailColumns.count == 1)
        #expect(rows.first?.hasPrefix("  inference  drop_absent ") == true)
    }

    @Test func summaryBlockNamesTheModel() throws {
        let report = try Fixtures.report("external_data_single")
        let text = InspectTextRenderer.render(report)
        #expect(text.contains("  sha256       \(report.summary.source!.sha256)"))
        #expect(text.contains("  data file    weights.bin"))
        #expect(text.contains("Opsets         ai.onnx 15"))
        #expect(text.contains("  X  float32[1,8,6,6]"))
    }

    @Test func expressionParenthesesFollowPrecedence() throws {
        var b = GraphBuilder()
        b.constant("T", [0], type: .int64)
        b.constant("a", [1]); b.constant("b", [2]); b.constant("c", [3])
        b.node("Cast", ["T"], ["Tf"], [.int("to", 1)])
        b.node("Add", ["Tf", "b"], ["sum"])
        b.node("Mul", ["a", "sum"], ["prod"])
        b.node("Div", ["c", "prod"], ["R"])
        for n in ["W", "G", "H"] { b.constant(n, [1]) }
        b.node("Adagrad", ["R", "T", "W", "G", "H"], ["W_new", "H_new"], name: "opt", domain: "ai.onnx.preview.training")
        b.output("W_new")
        let lr = try #require(b.report(extra: [OpsetImport(domain: "ai.onnx.preview.training", version: 1)]).findings(.learningRateScheduling).first)
        #expect(lr.learningRate?.formula == "R = 3 / (1 * (T + 2))")
        #expect(lr.kind == .schedule)
    }
}
