import Testing
@testable import FreezerIR
@testable import FreezerKernels
@testable import FreezerVerify

@Suite("Equivalence criterion")
struct CriterionTests {
    /// One output's decision from explicit exact, original and frozen values.
    func decide(exact: [Double], original: [Float], frozen: [Float], criterion: EquivalenceCriterion = .asExactAsOriginal)
        -> EquivalenceReport.OutputStatistics {
        var evidence = OutputEvidence(name: "y")
        evidence.add(exact: NDArray(doubles: exact, shape: [exact.count]), original: NDArray(floats: original, shape: [original.count]),
                     frozen: NDArray(floats: frozen, shape: [frozen.count]), sample: 0, criterion: criterion)
        return evidence.statistics(criterion: criterion)
    }

    // Exact values with an error of the original of 1e-4 on each element, at scale 1e4 (ulp 2^-10 ≈ 9.8e-4).
    let exact = [10000.0001, -5000.0001, 2500.0001, 1.0]

    @Test func aFrozenModelAsExactAsTheOriginalPasses() {
        let s = decide(exact: exact, original: exact.map { Float($0) }, frozen: exact.map { Float($0) })
        #expect(s.passed)
        #expect(s.rule == .asExactAsOriginal)
        #expect(s.boundRatio! < 1)
        #expect(s.frozenVsExact == s.originalVsExact)
    }

    @Test func anErrorWellBeyondKTimesTheOriginalsFails() throws {
        let original = exact.map { Float($0) }
        var frozen = original
        frozen[0] += 64 * Float(10000).ulp // far beyond 4 × own error + 4 ulp
        let s = decide(exact: exact, original: original, frozen: frozen)
        #expect(!s.passed)
        #expect(s.boundRatio! > 1)
        #expect(s.reason.hasPrefix("NOT as exact as the original"))
        let bound = try #require(s.bound)
        #expect(bound.scale == 10000.0001)
        #expect(bound.floor == EquivalenceCriterion.floorULPs * Double(Float(10000).ulp))
    }

    @Test func theFloorAcceptsOneMoreRoundingWhereTheOriginalIsExact() {
        let values: [Float] = [1, 2, 3, 0.5]
        var frozen = values
        frozen[1] = frozen[1].nextUp
        #expect(decide(exact: values.map(Double.init), original: values, frozen: frozen).passed)
        frozen[1] = 2 + 64 * Float(2).ulp
        #expect(!decide(exact: values.map(Double.init), original: values, frozen: frozen).passed)
    }

    @Test func nonFiniteValuesMustMatchTheOriginals() {
        let nan = Float.nan
        #expect(decide(exact: [.nan, 1], original: [nan, 1], frozen: [nan, 1]).passed)
        let wrongNaN = decide(exact: [.nan, 1], original: [nan, 1], frozen: [1, 1])
        #expect(!wrongNaN.passed)
        #expect(wrongNaN.nonFiniteMismatches == 1)
        let newNaN = decide(exact: [2, 1], original: [2, 1], frozen: [nan, 1])
        #expect(!newNaN.passed)
        #expect(newNaN.frozenVsExact?.nonFinite == 1)
    }

    @Test func integerOutputsMustMatchExceptWithinRoundingOfATie() {
        func decideInts(exact: [Int64], original: [Int64], frozen: [Int64]) -> EquivalenceReport.OutputStatistics {
            var evidence = OutputEvidence(name: "argmax")
            evidence.add(exact: NDArray(ints: exact, shape: [exact.count]), original: NDArray(ints: original, shape: [original.count]),
                         frozen: NDArray(ints: frozen, shape: [frozen.count]), sample: 0, criterion: .asExactAsOriginal)
            return evidence.statistics(criterion: .asExactAsOriginal)
        }
        // The original rounded to the other side of a tie (exact says 1): the frozen value may be either.
        let tie = decideInts(exact: [1, 3], original: [0, 3], frozen: [1, 3])
        #expect(tie.passed)
        #expect(tie.rule == .exactMatch)
        #expect(tie.roundingTies == 1)
        // The original agrees with exact, the frozen model does not: a real difference.
        let wrong = decideInts(exact: [0, 3], original: [0, 3], frozen: [1, 3])
        #expect(!wrong.passed)
        #expect(wrong.outsideTolerance == 1)
    }

    @Test func float64OutputsWithoutNarrowerRoundingUseThePerTypeTolerance() {
        var evidence = OutputEvidence(name: "y")
        let x = NDArray(doubles: [1, 2], shape: [2])
        evidence.add(exact: x, original: x, frozen: NDArray(doubles: [1, 2 + 1e-12], shape: [2]), sample: 0, criterion: .asExactAsOriginal)
        let s = evidence.statistics(criterion: .asExactAsOriginal)
        #expect(s.rule == .perTypeTolerance)
        #expect(s.passed)
    }

    @Test func aDeclaredToleranceDecidesWhenGiven() {
        let original = exact.map { Float($0) }
        var frozen = original
        frozen[0] += 64 * Float(10000).ulp
        let declared = EquivalenceCriterion(rtol: 1e-4, atol: nil)
        let s = decide(exact: exact, original: original, frozen: frozen, criterion: declared)
        #expect(s.rule == .declaredTolerance)
        #expect(s.passed)
        #expect(s.frozenVsExact != nil) // the exact-reference statistics are still recorded
        #expect(EquivalenceCriterion(rtol: nil, atol: nil) == .asExactAsOriginal)
    }

    @Test func statisticsAndDecadeHistogram() {
        var c = ErrorCollector()
        c.add([0, 1e-3, 5e-3, 0.02, 2], reference: [0, 0, 0, 0, 0], sample: 0)
        let s = c.statistics(decades: c.decades!)
        #expect(s.count == 5)
        #expect(s.maxAbs == 2)
        #expect(s.worstIndex == 4)
        #expect(abs(s.meanAbs - (1e-3 + 5e-3 + 0.02 + 2) / 5) < 1e-15)
        #expect(abs(s.rms - ((1e-6 + 25e-6 + 4e-4 + 4) / 5).squareRoot()) < 1e-15)
        #expect(s.p999 == 2)
        #expect(s.histogram.firstDecade == -3)
        #expect(s.histogram.counts == [2, 1, 0, 1])   // [1e-3,1e-2) ×2, [1e-2,1e-1), [1,10)
        #expect(s.histogram.zeros == 1)
        #expect(ErrorHistogram.decade(of: 1e-3) == -3 && ErrorHistogram.decade(of: 9.999e-4) == -4)
    }
}

@Suite("Exact reference (float64 evaluation)")
struct ExactReferenceTests {
    @Test func halfPrecisionModelsAreEvaluatedWithoutRoundingToHalf() throws {
        // y = Cast<float16>(x) * w: in its own precision the product is rounded to float16, in float64 not.
        let x = ValueInfo(name: "x", type: ValueType(tensor: TensorType(elementType: .float, shape: [.value(1)])))
        let y = ValueInfo(name: "y", type: ValueType(tensor: TensorType(elementType: .float16, shape: [.value(1)])))
        let w = Tensor.make(name: "w", type: .float16, dims: [1], values: [3])
        let g = Graph(name: "g", inputs: [x], outputs: [y], initializers: [w], nodes: [
            NodeSpec(opType: "Cast", opsetVersion: 17, inputs: ["x"], outputs: ["h"], attributes: [.init(name: "to", value: .int(10))]),
            NodeSpec(opType: "Mul", opsetVersion: 17, inputs: ["h", "w"], outputs: ["y"]),
        ])
        let model = Model(irVersion: 8, opsetImports: [.init(domain: "", version: 17)], graph: g)
        let input = NDArray(floats: [1.0 / 3.0], shape: [1])
        let own = try Interpreter(model: model).run(["x": input])["y"]!
        let exact = try Interpreter(model: model, options: .init(precision: .float64)).run(["x": input])["y"]!
        #expect(own.elementType == .float16)
        #expect(exact.elementType == .double)
        #expect(exact.doubles == [Double(Float(1.0 / 3.0)) * 3])
        #expect(Double(own.floats[0]) != exact.doubles[0])
    }
}
