import Testing
@testable import FreezerIR
@testable import FreezerKernels
@testable import FreezerVerify

@Suite("Equivalence checking")
struct EquivalenceTests {
    func identityModel(_ type: ElementType = .float, shape: [Dimension] = [.symbol("batch"), .value(3)]) -> Model {
        let info = ValueInfo(name: "x", type: ValueType(tensor: TensorType(elementType: type, shape: shape)))
        let g = Graph(name: "g", inputs: [info], outputs: [ValueInfo(name: "y", type: info.type)],
                      nodes: [NodeSpec(opType: "Identity", opsetVersion: 17, inputs: ["x"], outputs: ["y"])])
        return Model(irVersion: 8, opsetImports: [.init(domain: "", version: 17)], graph: g)
    }

    @Test func randomInputsAreReproducibleAndShapedFromTheModel() throws {
        let g = identityModel().graph
        let (shapes, defaults) = try RandomInputs.shapes(for: g, overrides: [:])
        #expect(shapes["x"] == [1, 3])
        #expect(defaults == ["x dim 0 'batch' = 1"])
        #expect(try RandomInputs.shapes(for: g, overrides: ["batch": [4]]).shapes["x"] == [4, 3])
        var a = SeededGenerator(seed: 7), b = SeededGenerator(seed: 7), c = SeededGenerator(seed: 8)
        let s1 = try RandomInputs.sample(for: g, shapes: shapes, generator: &a)
        let s2 = try RandomInputs.sample(for: g, shapes: shapes, generator: &b)
        let s3 = try RandomInputs.sample(for: g, shapes: shapes, generator: &c)
        #expect(s1 == s2)
        #expect(s1 != s3)
        #expect(s1["x"]!.floats.allSatisfy { $0 >= -1 && $0 < 1 })
    }

    @Test func identicalModelsAreEquivalentWithZeroError() throws {
        let m = identityModel()
        var gen = SeededGenerator(seed: 1)
        let sample = try RandomInputs.sample(for: m.graph, shapes: ["x": [2, 3]], generator: &gen)
        let report = try EquivalenceChecker.check(original: m, frozen: m, samples: [.init(feeds: sample, source: "test")])
        #expect(report.verdict == .equivalent)
        #expect(report.outputs.map(\.maxAbsError) == [0])
        #expect(report.outputs[0].elementsCompared == 6)
        #expect(report.outputs[0].rtol == 1e-4 && report.outputs[0].atol == 1e-5)
    }

    @Test func statisticsCountElementsOutsideTolerance() {
        var acc = OutputEvidence(name: "y")
        let expected = NDArray(floats: [1, 2, 3, 100], shape: [4])
        let actual = NDArray(floats: [1, 2.1, 3, 100.005], shape: [4])
        acc.add(exact: expected.widenedToDouble(), original: expected, frozen: actual, sample: 0, criterion: .asExactAsOriginal)
        let s = acc.statistics(criterion: .asExactAsOriginal)
        #expect(s.outsideTolerance == 1)        // 2.1 vs 2 fails; 100.005 vs 100 is within 1e-5 + 1e-4·100
        #expect(abs(s.maxAbsError - 0.1) < 1e-6)
        #expect(s.worstIndex == 1)
        var loose = OutputEvidence(name: "y")
        let declared = EquivalenceCriterion.declaredTolerance(rtol: 0.1, atol: 0)
        loose.add(exact: expected.widenedToDouble(), original: expected, frozen: actual, sample: 0, criterion: declared)
        #expect(loose.statistics(criterion: declared).outsideTolerance == 0)
        #expect(loose.statistics(criterion: declared).passed)
    }

    @Test func shapeChangeIsATotalMismatch() {
        var acc = OutputEvidence(name: "y")
        let original = NDArray(floats: [1, 2], shape: [2])
        acc.add(exact: original.widenedToDouble(), original: original, frozen: NDArray(floats: [1, 2], shape: [1, 2]), sample: 0, criterion: .asExactAsOriginal)
        #expect(acc.statistics(criterion: .asExactAsOriginal).outsideTolerance == 2)
        #expect(acc.statistics(criterion: .asExactAsOriginal).maxAbsError == .infinity)
        #expect(!acc.statistics(criterion: .asExactAsOriginal).passed)
    }

    @Test func halfPrecisionGetsLooserDefaults() {
        #expect(Tolerance.default(for: .float16) == Tolerance(rtol: 1e-2, atol: 1e-3))
        #expect(Tolerance.default(for: .int64) == Tolerance(rtol: 0, atol: 0))
    }
}
