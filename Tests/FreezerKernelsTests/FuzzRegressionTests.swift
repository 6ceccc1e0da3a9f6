import Testing
@testable import FreezerIR
@testable import FreezerKernels

// Inputs that crashed the evaluator under FuzzEvaluator (scripts/fuzz.sh with FUZZ_TARGET=FuzzEvaluator).
// Each must now be refused with an EvaluationError that names the bad value.

@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    /// Range on int64 from 0 to Int64.min by -1: the count, (Int64.min - 0) / -1, overflowed and trapped.
    @Test func rangeCountOfTwoToThe63IsRefused() throws {
        let start = NDArray(ints: [0], shape: []), limit = NDArray(ints: [.min], shape: []), delta = NDArray(ints: [-1], shape: [])
        expectFailure("Range", [start, limit, delta], opset: 11, mentioning: "by -1 would produce 2^63 elements")
        // A negative delta of the same sign still counts down.
        let out = try runNode("Range", [start, NDArray(ints: [-3], shape: []), delta], opset: 11)
        #expect(out[0] == NDArray(ints: [0, -1, -2], shape: [3]))
    }

    /// A Scan that runs zero iterations takes its scan outputs' element shape from the body's declaration;
    /// declared dims whose product overflows trapped when the empty stack was allocated.
    @Test func scanEmptyStackWithOverflowingDeclaredShapeIsRefused() {
        let huge = Int64(1) << 40
        let body = CF.graph("body", inputs: [CF.vi("x_t", .float, [])], outputs: [CF.vi("y", .float, [huge, huge])],
                            nodes: [CF.identity("x_t", "y")])
        let g = CF.graph("main", inputs: [CF.vi("x", .float, [0])], outputs: [CF.vi("out")],
                         nodes: [CF.node("Scan", ["x"], ["out"], [attr("num_scan_inputs", Int64(1)), attr("scan_output_axes", [Int64(-1)]),
                                                                  CF.attr("body", body)], opset: 16)])
        let error = #expect(throws: EvaluationError.self) { _ = try CF.run(g, opset: 16, ["x": CF.f([], [0])]) }
        #expect(error?.description.contains("scan output 'y' takes its element shape from the body's declaration float32[1099511627776,1099511627776], whose element count overflows") == true,
                "message was: \(error?.description ?? "none")")
    }
}
