import FreezerIR

/// Relative and absolute tolerance for comparing computed outputs with reference values.
public struct Tolerance: Sendable, Equatable, CustomStringConvertible {
    public var rtol: Double
    public var atol: Double
    public init(rtol: Double, atol: Double) {
        self.rtol = rtol
        self.atol = atol
    }

    /// What onnx.backend.test.runner uses for every node and model test of ONNX 1.23
    /// (`TestCase.rtol`/`atol`); bfloat16 outputs get at least 2⁻⁶ relative (two bfloat16 ulps).
    public static let onnxBackend = Tolerance(rtol: 1e-3, atol: 1e-7)

    public var description: String { "rtol \(rtol), atol \(atol)" }
}

/// How an output compares with its reference, with the criterion of `numpy.testing.assert_allclose`:
/// element-wise `|actual - expected| <= atol + rtol * |expected|`, NaN equal to NaN, infinities equal
/// only to themselves. Shapes and element types must match exactly. Integer, bool and string outputs
/// must be equal (stricter than numpy, which would apply the float tolerance to integers as well).
public struct OutputComparison: Sendable, Equatable {
    public var passed: Bool
    /// Why the arrays are not comparable at all (shape or element type), nil when they are.
    public var structuralProblem: String?
    /// Largest |actual - expected| (0 for equal arrays; infinity when an inf/NaN differs).
    public var maxAbsError: Double
    /// Largest |actual - expected| / |expected| over elements whose expected value is non-zero.
    public var maxRelError: Double
    /// Elements outside the tolerance.
    public var mismatches: Int
    /// Flat index of the worst element outside the tolerance (or of the largest error when none is).
    public var worstIndex: Int?
    public var worstActual: Double?
    public var worstExpected: Double?
    public var count: Int

    public static func compare(_ actual: NDArray, _ expected: NDArray, tolerance: Tolerance = .onnxBackend) -> OutputComparison {
        var result = OutputComparison(passed: true, structuralProblem: nil, maxAbsError: 0, maxRelError: 0,
                                      mismatches: 0, worstIndex: nil, worstActual: nil, worstExpected: nil, count: expected.count)
        guard actual.elementType == expected.elementType else {
            result.passed = false
            result.structuralProblem = "element type \(actual.elementType) but expected \(expected.elementType)"
            return result
        }
        guard actual.shape == expected.shape else {
            result.passed = false
            result.structuralProblem = "shape \(actual.shape) but expected \(expected.shape)"
            return result
        }
        switch (actual.storage, expected.storage) {
        case (.string(let a), .string(let e)):
            for i in a.indices where a[i] != e[i] {
                result.mismatches += 1
                if result.worstIndex == nil { result.worstIndex = i }
            }
            result.passed = result.mismatches == 0
            if !result.passed { result.maxAbsError = .infinity }
            return result
        case (.int(let a), .int(let e)):
            let unsigned = expected.elementType == .uint64
            compareExact(a.count, &result) { i in
                (unsigned ? Double(UInt64(bitPattern: a[i])) : Double(a[i]), unsigned ? Double(UInt64(bitPattern: e[i])) : Double(e[i]), a[i] == e[i])
            }
            return result
        case (.bool(let a), .bool(let e)):
            compareExact(a.count, &result) { i in (a[i] ? 1 : 0, e[i] ? 1 : 0, a[i] == e[i]) }
            return result
        default:
            var rtol = tolerance.rtol
            if expected.elementType == .bfloat16 { rtol = max(rtol, 1.0 / 64) }
            compareClose(actual.asDoubles, expected.asDoubles, rtol: rtol, atol: tolerance.atol, &result)
            return result
        }
    }

    private static func compareExact(_ n: Int, _ r: inout OutputComparison, _ element: (Int) -> (Double, Double, Bool)) {
        for i in 0..<n {
            let (a, e, equal) = element(i)
            guard !equal else { continue }
            r.mismatches += 1
            let abs = Swift.abs(a - e)
            if abs > r.maxAbsError || r.worstIndex == nil {
                r.maxAbsError = max(r.maxAbsError, abs)
                r.worstIndex = i; r.worstActual = a; r.worstExpected = e
            }
            if e != 0 { r.maxRelError = max(r.maxRelError, abs / Swift.abs(e)) }
        }
        r.passed = r.mismatches == 0
    }

    private static func compareClose(_ a: [Double], _ e: [Double], rtol: Double, atol: Double, _ r: inout OutputComparison) {
        var worstExcess = -Double.infinity
        var largest = -1.0
        var largestIndex: Int?
        for i in a.indices {
            let (x, y) = (a[i], e[i])
            let close: Bool
            let diff: Double
            if x.isNaN || y.isNaN {
                close = x.isNaN && y.isNaN
                diff = close ? 0 : .infinity
            } else if x.isInfinite || y.isInfinite {
                close = x == y
                diff = close ? 0 : .infinity
            } else {
                diff = Swift.abs(x - y)
                close = diff <= atol + rtol * Swift.abs(y)
            }
            r.maxAbsError = max(r.maxAbsError, diff)
            if y != 0 && !y.isNaN { r.maxRelError = max(r.maxRelError, diff / Swift.abs(y)) }
            if diff > largest { largest = diff; largestIndex = i }
            guard !close else { continue }
            r.mismatches += 1
            let excess = diff - (atol + rtol * Swift.abs(y))
            if excess > worstExcess || r.worstIndex == nil {
                worstExcess = excess
                r.worstIndex = i
            }
        }
        if r.worstIndex == nil { r.worstIndex = largestIndex }
        if let w = r.worstIndex { r.worstActual = a[w]; r.worstExpected = e[w] }
        r.passed = r.mismatches == 0
    }

    /// One line: verdict, errors and the worst element.
    public var summary: String {
        if let structuralProblem { return "MISMATCH: \(structuralProblem)" }
        var text = "\(passed ? "ok" : "MISMATCH") max abs error \(Self.format(maxAbsError)), max rel error \(Self.format(maxRelError))"
        if !passed {
            text += ", \(mismatches) of \(count) elements outside tolerance"
            if let w = worstIndex, let a = worstActual, let e = worstExpected {
                text += "; worst at flat index \(w): got \(Self.format(a)), expected \(Self.format(e))"
            }
        }
        return text
    }

    static func format(_ x: Double) -> String {
        if x == 0 { return "0" }
        if !x.isFinite { return "\(x)" }
        let magnitude = Swift.abs(x)
        if magnitude >= 1e-3 && magnitude < 1e6 {
            var s = String(format6: x)
            while s.contains(".") && (s.hasSuffix("0") || s.hasSuffix(".")) { s.removeLast() }
            return s
        }
        return "\(Float(x))"
    }
}

extension String {
    /// `x` with 6 decimals, without Foundation.
    init(format6 x: Double) {
        let scaled = (Swift.abs(x) * 1e6).rounded()
        let whole = Int(scaled / 1e6)
        let frac = Int(scaled.truncatingRemainder(dividingBy: 1e6))
        let fracText = String(frac)
        self = (x < 0 ? "-" : "") + "\(whole)." + String(repeating: "0", count: 6 - fracText.count) + fracText
    }
}
