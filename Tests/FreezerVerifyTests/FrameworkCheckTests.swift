import Testing
@testable import FreezerIR
@testable import FreezerKernels
@testable import FreezerVerify

/// The frozen model against a framework's outputs: held to the default criterion's bound of each output.
@Suite("Framework check")
struct FrameworkCheckTests {
    let model = EquivalenceTests().identityModel()

    func check(_ shift: Float, criterion: EquivalenceChecker.Options = .init(), rename: Bool = false) throws -> FrameworkCheck.Report {
        var generator = SeededGenerator(seed: 3)
        let samples = try (0..<2).map { k in
            EquivalenceChecker.Sample(feeds: try RandomInputs.sample(for: model.graph, shapes: ["x": [2, 3]], generator: &generator), source: "s\(k)")
        }
        let equivalence = try EquivalenceChecker.check(original: model, frozen: model, samples: samples, options: criterion)
        // The framework computes the identity too, off by `shift` on one element.
        let framework = samples.map { sample in
            var x = sample.feeds["x"]!.floats
            x[4] += shift
            return [rename ? "z" : "y": NDArray(floats: x, shape: [2, 3], type: .float)]
        }
        return try FrameworkCheck.check(frozen: model, samples: samples, framework: framework, equivalence: equivalence)
    }

    @Test func withinTheBoundPasses() throws {
        let report = try check(1e-7)
        #expect(report.equivalent && report.samples == 2)
        #expect(report.outputs[0].bound != nil && report.outputs[0].maxAbsError > 0 && report.outputs[0].elementsCompared == 12)
    }

    /// The framework is held to the bound on the samples the equivalence check evaluated, the first ones.
    @Test func onlyTheSamplesTheCheckEvaluatedAreCompared() throws {
        var generator = SeededGenerator(seed: 3)
        let samples = try (0..<3).map { k in
            EquivalenceChecker.Sample(feeds: try RandomInputs.sample(for: model.graph, shapes: ["x": [2, 3]], generator: &generator), source: "s\(k)")
        }
        let equivalence = try EquivalenceChecker.check(original: model, frozen: model, samples: Array(samples.prefix(1)))
        // The third sample's framework output is far off: it was never part of the check.
        let framework = samples.enumerated().map { k, sample in ["y": k == 2 ? NDArray(floats: [Float](repeating: 9, count: 6), shape: [2, 3], type: .float) : sample.feeds["x"]!] }
        let report = try FrameworkCheck.check(frozen: model, samples: samples, framework: framework, equivalence: equivalence)
        #expect(report.equivalent && report.samples == 1 && report.outputs[0].elementsCompared == 6)
    }

    /// When memory runs short, the frozen model is evaluated in halves, with the same result.
    @Test func memoryShortEvaluatesInHalves() throws {
        var generator = SeededGenerator(seed: 3)
        let samples = try (0..<4).map { k in
            EquivalenceChecker.Sample(feeds: try RandomInputs.sample(for: model.graph, shapes: ["x": [2, 3]], generator: &generator), source: "s\(k)")
        }
        let equivalence = try EquivalenceChecker.check(original: model, frozen: model, samples: samples)
        let framework = samples.map { ["y": $0.feeds["x"]!] }
        let whole = try FrameworkCheck.check(frozen: model, samples: samples, framework: framework, equivalence: equivalence)
        let halves = try FrameworkCheck.check(frozen: model, samples: samples, framework: framework, equivalence: equivalence,
                                              memoryGuard: MemoryGuard(reserveBytes: 0, simulatedSampleLimit: 1))
        #expect(halves == whole && whole.equivalent && whole.samples == 4)
        #expect(throws: EvaluationError.self) {
            try FrameworkCheck.check(frozen: model, samples: samples, framework: framework, equivalence: equivalence,
                                     memoryGuard: MemoryGuard(reserveBytes: 0, simulatedSampleLimit: 0))
        }
    }

    @Test func aDifferentModelFails() throws {
        let report = try check(1e-3)
        #expect(!report.equivalent)
        #expect(report.outputs[0].reason.hasPrefix("NOT within the bound of the default criterion"))
    }

    @Test func aDeclaredToleranceDecidesElementwise() throws {
        #expect(try check(1e-3, criterion: .init(atol: 2e-3)).equivalent)
        let report = try check(1e-2, criterion: .init(atol: 2e-3))
        #expect(!report.equivalent && report.outputs[0].reason == "2 of 12 elements outside the elementwise tolerance of the framework's")
    }

    @Test func aMissingOutputFails() throws {
        let report = try check(0, rename: true)
        #expect(!report.equivalent && report.outputs[0].reason == "the framework gave no output 'y'")
    }
}
