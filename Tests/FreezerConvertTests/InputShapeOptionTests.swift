import Foundation
import Testing
@testable import FreezerConvert

@Suite("--input-shape parser")
struct InputShapeOptionTests {
    @Test(arguments: [
        ("input=1x3x224x224", "input", [1, 3, 224, 224]),
        ("batch=4", "batch", [4]),
        ("x=0x5", "x", [0, 5]),
        ("in put:0=007", "in put:0", [7]),
        // ONNX names may contain "=": the dimensions follow the last one.
        ("a=b=2x3", "a=b", [2, 3]),
    ])
    func accepts(argument: String, name: String, dimensions: [Int]) throws {
        let parsed = try InputShapeOption.parse(argument)
        #expect(parsed.name == name)
        #expect(parsed.dimensions == dimensions)
    }

    @Test(arguments: ["input", "=1x3", "input=", "input=1x", "input=x3", "input=1xx3", "input=-1x3", "input=+1", "input=1.5",
                      "input=1 x3", "input=1X3", "input=99999999999999999999", "input=١"])
    func refuses(argument: String) {
        let error = #expect(throws: ConversionError.self) { try InputShapeOption.parse(argument) }
        #expect(error?.description == "--input-shape '\(argument)' is not NAME=AxBxC (for example input=1x3x224x224)")
    }

    @Test func aNameGivenTwiceIsRefused() throws {
        #expect(try InputShapeOption.parse(["input=1x3", "batch=2"]) == ["input": [1, 3], "batch": [2]])
        let error = #expect(throws: ConversionError.self) { try InputShapeOption.parse(["input=1x3", "input=1x3"]) }
        #expect(error?.description.contains("names 'input' more than once") == true)
    }

    @Test func theLogsTextReadsBack() throws {
        let shapes = ["b": [4], "a": [1, 3, 224, 224], "c": [0]]
        let text = InputShapeOption.text(shapes)
        #expect(text == "a=1x3x224x224, b=4, c=0")
        #expect(try InputShapeOption.parse(text.components(separatedBy: ", ")) == shapes)
    }
}
