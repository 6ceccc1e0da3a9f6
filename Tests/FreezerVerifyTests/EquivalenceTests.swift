import Synchronization
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

    @Test func symbolicDimensionsAreOneForABatchAndSixteenElsewhere() throws {
        func graph(_ inputs: [(String, [Dimension])]) -> Graph {
            let infos = inputs.map { ValueInfo(name: $0.0, type: ValueType(tensor: TensorType(elementType: .float, shape: $0.1))) }
            return Graph(name: "g", inputs: infos, outputs: [ValueInfo(name: "y", type: infos[0].type)],
                         nodes: [NodeSpec(opType: "Identity", opsetVersion: 17, inputs: [inputs[0].0], outputs: ["y"])])
        }
        // An image with unnamed dimensions: a batch of one, and 16×16 so that a 3×3 kernel's every tap sees data.
        let image = try RandomInputs.shapes(for: graph([("x", [.unknown, .value(3), .unknown, .unknown])]), overrides: [:])
        #expect(image.shapes["x"] == [1, 3, 16, 16])
        #expect(image.defaulted == ["x dim 0 (unnamed) = 1", "x dim 2 (unnamed) = 16", "x dim 3 (unnamed) = 16"])
        // A time-major sequence: the first dimension names the steps, the second the batch.
        #expect(try RandomInputs.shapes(for: graph([("x", [.symbol("seq_len"), .symbol("batch_size"), .value(8)])]), overrides: [:]).shapes["x"] == [16, 1, 8])
        // Token ids and their mask share their symbols, and so their sizes, wherever the symbol stands.
        let tokens = try RandomInputs.shapes(for: graph([("ids", [.symbol("s0"), .symbol("s1")]), ("mask", [.symbol("s1"), .symbol("s0")])]), overrides: [:])
        #expect(tokens.shapes["ids"] == [1, 16] && tokens.shapes["mask"] == [16, 1])
        #expect(tokens.defaulted == ["ids dim 0 's0' = 1", "ids dim 1 's1' = 16"])
        #expect(try RandomInputs.shapes(for: graph([("x", [.symbol("n"), .symbol("c"), .symbol("h"), .symbol("w")])]), overrides: ["h": [7]]).shapes["x"] == [1, 16, 7, 16])
        // The rule of logs written before the sizes were chosen: every one 1.
        #expect(try RandomInputs.shapes(for: graph([("x", [.unknown, .value(3), .symbol("h"), .unknown])]), overrides: [:], rule: .ones).shapes["x"] == [1, 3, 1, 1])
    }

    /// When memory runs out with every sample together, the check evaluates halves one after the other
    /// (down to one sample at a time), gives the same figures, and says so among its defaults.
    @Test func samplesAreEvaluatedInGroupsWhenMemoryRunsOut() throws {
        // A frozen side slightly off, so that every statistic (and its worst sample) depends on each sample.
        let m = affineModel(w: 0.7), frozen = affineModel(w: 0.70001)
        var gen = SeededGenerator(seed: 3)
        let samples = try (0..<5).map { k in
            EquivalenceChecker.Sample(feeds: try RandomInputs.sample(for: m.graph, shapes: ["x": [2, 3]], generator: &gen), source: "s\(k)")
        }
        let together = try EquivalenceChecker.check(original: m, frozen: frozen, samples: samples)
        #expect(together.outputs[0].maxAbsError > 0)
        for (limit, groups) in [(1, "1, 1, 1, 1, 1"), (2, "2, 1, 2"), (3, "2, 3")] {
            let guardrail = MemoryGuard(reserveBytes: 0, simulatedSampleLimit: limit)
            let grouped = try EquivalenceChecker.check(original: m, frozen: frozen, samples: samples, options: .init(memoryGuard: guardrail))
            #expect(grouped.outputs == together.outputs && grouped.samples == together.samples)
            #expect(grouped.defaults == ["samples evaluated in groups of \(groups), one after the other: memory ran out with all 5 together"])
        }
        let never = MemoryGuard(reserveBytes: 0, simulatedSampleLimit: 0)
        let error = #expect(throws: EvaluationError.self) { try EquivalenceChecker.check(original: m, frozen: m, samples: samples, options: .init(memoryGuard: never)) }
        guard case .outOfMemory(_, _, _, _, let together)? = error else { Issue.record("expected outOfMemory, got \(String(describing: error))"); return }
        #expect(together == 1)
        #expect(error?.description.contains("--input-shape") == true)
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

    /// y = x·w + b with w given: the frozen side gets a slightly different w, so every statistic is non-zero.
    func affineModel(w: Float) -> Model {
        let info = ValueInfo(name: "x", type: ValueType(tensor: TensorType(elementType: .float, shape: [.value(2), .value(3)])))
        let g = Graph(name: "g", inputs: [info], outputs: [ValueInfo(name: "y", type: info.type)],
                      initializers: [Tensor.make(name: "w", type: .float, dims: [1], values: [Double(w)]),
                                     Tensor.make(name: "b", type: .float, dims: [1], values: [0.1])],
                      nodes: [NodeSpec(opType: "Mul", opsetVersion: 17, inputs: ["x", "w"], outputs: ["p"]),
                              NodeSpec(opType: "Add", opsetVersion: 17, inputs: ["p", "b"], outputs: ["y"])])
        return Model(irVersion: 8, opsetImports: [.init(domain: "", version: 17)], graph: g)
    }

    @Test func evaluationsSideBySideGiveTheSameReportAndTheExactReferenceLeadsTheProgress() throws {
        let original = affineModel(w: 0.7), frozen = affineModel(w: 0.70001)
        var gen = SeededGenerator(seed: 3)
        let samples = try (0..<3).map { _ in
            EquivalenceChecker.Sample(feeds: try RandomInputs.sample(for: original.graph, shapes: ["x": [2, 3]], generator: &gen), source: "test")
        }
        func run(sideBySide: Bool) throws -> (EquivalenceReport, [EquivalenceChecker.Progress]) {
            let seen = Mutex<[EquivalenceChecker.Progress]>([])
            let report = try EquivalenceChecker.check(original: original, frozen: frozen, samples: samples,
                                                      options: .init(sideBySide: sideBySide),
                                                      progress: { p in seen.withLock { $0.append(p) } })
            return (report, seen.withLock { $0 })
        }
        let (serial, serialProgress) = try run(sideBySide: false)
        let (beside, besideProgress) = try run(sideBySide: true)
        #expect(serial == beside)
        #expect(serial.outputs[0].maxAbsError > 0)
        // One after the other, every stage is shown in order, each from its start (no plan yet) to its last node.
        let stages = EquivalenceChecker.Stage.allCases
        #expect(serialProgress.map(\.stage) == stages.flatMap { Array(repeating: $0, count: 3) })
        #expect(serialProgress.map(\.node) == Array(repeating: [0, 1, 2], count: 3).flatMap { $0 })
        // Side by side, the exact reference is shown whole and first; the other lane's stages follow in order,
        // each ending on its last node.
        #expect(Array(besideProgress.prefix(3)) == Array(serialProgress.prefix(3)))
        let rest = besideProgress.dropFirst(3)
        #expect(rest.map(\.stage) == rest.map(\.stage).sorted { stages.firstIndex(of: $0)! < stages.firstIndex(of: $1)! })
        #expect(Set(rest.map(\.stage)) == [.original, .frozen])
        for stage in [EquivalenceChecker.Stage.original, .frozen] {
            #expect(rest.last { $0.stage == stage }?.node == 2)
        }
    }

    @Test func twoLanesRunOnlyWhenTheLargestNodesWeightsFitTheBudget() {
        let model = affineModel(w: 0.7)        // Mul reads w, Add reads b: one element each, 12 bytes
        #expect(EquivalenceChecker.sideBySideFits(model, budget: 12))
        #expect(!EquivalenceChecker.sideBySideFits(model, budget: 11))
        #expect(EquivalenceChecker.sideBySideFits(model))
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
