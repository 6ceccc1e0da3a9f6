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

}
