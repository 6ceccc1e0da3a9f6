import FreezerIR
import FreezerKernels

/// Everything measured about one output over all samples, and the decision the criterion takes on it.
struct OutputEvidence {
    let name: String
    private(set) var type: ElementType?
    private(set) var shape: [Int] = []
    private var frozenVsExact = ErrorCollector()
    private var originalVsExact = ErrorCollector()
    private var frozenVsOriginal = ErrorCollector()
    /// Largest finite |exact| value: the output's scale, for the floor of the bound.
    private var scale = 0.0
    /// Elements outside the declared (or per-type) tolerance of frozen against original.
    private var outside = 0
    private var compared = 0
    private var roundingTies = 0
    private var nonFiniteMismatches = 0
    private var structuralProblem: String?

    init(name: String) { self.name = name }

    mutating func add(exact: NDArray, original: NDArray, frozen: NDArray, sample: Int, criterion: EquivalenceCriterion,
                      names: EquivalenceReport.Names = .conversion) {
        type = original.elementType
        shape = original.shape
        guard frozen.shape == original.shape, frozen.elementType == original.elementType, exact.shape == original.shape else {
            structuralProblem = "\(names.candidateModel) gives \(frozen.elementType)\(frozen.shape) where \(names.referenceModel) gives \(original.elementType)\(original.shape)"
            compared += max(original.count, frozen.count)
            outside += max(original.count, frozen.count, 1)
            return
        }
        let o = original.asDoubles, f = frozen.asDoubles, x = exact.asDoubles
        compared += o.count
        if original.elementType.isFloatingPoint {
            // Non-finite values are compared by class; the error statistics cover the finite elements.
            let skip = { (i: Int) in !o[i].isFinite || !x[i].isFinite }
            for i in o.indices where skip(i) && ErrorCollector.error(f[i], o[i]) != 0 { nonFiniteMismatches += 1 }
            for v in x where v.isFinite { scale = max(scale, abs(v)) }
            frozenVsExact.add(f, reference: x, sample: sample, skip: skip)
            originalVsExact.add(o, reference: x, sample: sample, skip: skip)
        } else {
            // A differing element is a rounding tie when the exact reference shows the original itself
            // rounded to one side (it differs from exact), or the frozen value is the exact one.
            for i in o.indices where f[i] != o[i] {
                if o[i] != x[i] || f[i] == x[i] { roundingTies += 1 } else { outside += 1 }
            }
        }
        frozenVsOriginal.add(f, reference: o, sample: sample)
        if original.elementType.isFloatingPoint {
            // The errors just collected, element by element (nothing is skipped against the original).
            let t = criterion.tolerance(for: original.elementType)
            for (i, e) in frozenVsOriginal.errors.suffix(o.count).enumerated() where e > t.atol + t.rtol * abs(o[i]) { outside += 1 }
        }
    }

    func statistics(criterion: EquivalenceCriterion, names: EquivalenceReport.Names = .conversion) -> EquivalenceReport.OutputStatistics {
        let (b, a, bModel, aModel) = (names.candidate, names.reference, names.candidateModel, names.referenceModel)
        let type = type ?? .float
        let tolerance = criterion.tolerance(for: type)
        let decades = ClosedRange<Int>.spanning([frozenVsExact.decades, originalVsExact.decades, frozenVsOriginal.decades])
        let fx = frozenVsExact.statistics(decades: decades)
        let ox = originalVsExact.statistics(decades: decades)
        let fo = frozenVsOriginal.statistics(decades: decades)
        var s = EquivalenceReport.OutputStatistics(
            name: name, elementType: type.description, shape: shape, rtol: tolerance.rtol, atol: tolerance.atol,
            elementsCompared: compared, maxAbsError: fo.maxAbs, maxRelError: fo.maxRel, meanAbsError: fo.meanAbs,
            outsideTolerance: outside, worstSample: fo.worstSample, worstIndex: fo.worstIndex,
            rule: .exactMatch, passed: false, reason: "", frozenVsOriginal: fo)
        if let structuralProblem {
            s.maxAbsError = .infinity
            s.maxRelError = .infinity
            s.rule = type.isFloatingPoint ? .asExactAsOriginal : .exactMatch
            s.reason = structuralProblem
            return s
        }
        guard type.isFloatingPoint else {
            s.roundingTies = roundingTies
            s.passed = outside == 0
            s.reason = outside == 0
                ? "every element equals \(aModel)'s" + (roundingTies > 0 ? " except \(roundingTies) within rounding of a tie (the exact reference differs from \(aModel) there or equals \(bModel)'s value)" : "")
                : "\(outside) of \(compared) elements differ from \(aModel)'s where \(aModel) equals the exact reference"
            return s
        }
        s.frozenVsExact = fx
        s.originalVsExact = ox
        s.nonFiniteMismatches = nonFiniteMismatches
        let nonFiniteNote = nonFiniteMismatches > 0
            ? "; \(nonFiniteMismatches) elements that are NaN or infinite in \(aModel) are not the same in \(bModel)" : ""
        let outsideText = "\(outside) of \(compared) elements outside |\(b) − \(a)| ≤ \(tolerance.atol) + \(tolerance.rtol)·|\(a)|"
        switch criterion {
        case .declaredTolerance:
            s.rule = .declaredTolerance
            s.passed = outside == 0
            s.reason = "--rtol/--atol declare a fixed tolerance: " + outsideText
        case .asExactAsOriginal where type == .double && ox.maxAbs == 0:
            s.rule = .perTypeTolerance
            s.passed = outside == 0
            s.reason = "\(aModel) computes this float64 output without rounding to a narrower type, so no wider reference exists: the per-type tolerance decides (" + outsideText + ")"
        case .asExactAsOriginal:
            let n = EquivalenceReport.number
            let k = EquivalenceCriterion.errorFactor
            let floor = EquivalenceCriterion.floorULPs * EquivalenceCriterion.ulp(type, at: scale)
            let bound = ErrorBound(maxAbs: k * ox.maxAbs + floor, rms: k * ox.rms + floor, floor: floor, scale: scale)
            let ratio = max(fx.maxAbs / bound.maxAbs, fx.rms / bound.rms)
            s.rule = .asExactAsOriginal
            s.bound = bound
            s.boundRatio = ratio
            s.passed = ratio <= 1 && nonFiniteMismatches == 0
            s.reason = (s.passed ? "as exact as \(aModel)" : "NOT as exact as \(aModel)")
                + ": max |\(b) − exact| \(n(fx.maxAbs)) (bound \(n(bound.maxAbs))), rms \(n(fx.rms)) (bound \(n(bound.rms))); \(a)'s own error max \(n(ox.maxAbs)), rms \(n(ox.rms)); bound = \(n(k)) × own + floor \(n(floor))" + nonFiniteNote
        }
        if s.rule != .asExactAsOriginal, nonFiniteMismatches > 0 {
            s.passed = false
            s.reason += nonFiniteNote
        }
        return s
    }
}

/// The bound the default criterion sets for one output.
public struct ErrorBound: Sendable, Codable, Equatable {
    /// k · max |original − exact| + floor.
    public var maxAbs: Double
    /// k · rms |original − exact| + floor.
    public var rms: Double
    /// floorULPs units in the last place at `scale`.
    public var floor: Double
    /// The largest finite |exact| value of the output.
    public var scale: Double
}
