/// The per-element distribution of a random tensor that does not depend on the data: what a random
/// operator draws, and what elementwise arithmetic with constants makes of it.
///
/// Only what the inference meaning needs is kept: the support and the expectation. Affine maps with a
/// constant keep the family; anything else is not a `Noise` (the recognizer then refuses by name).
public enum Noise: Sendable, Equatable, Codable {
    /// Uniform on [low, high) (RandomUniform, RandomUniformLike).
    case uniform(low: Double, high: Double)
    /// Normal with this mean and standard deviation (RandomNormal, RandomNormalLike).
    case normal(mean: Double, std: Double)
    /// `high` with probability `p`, else `low`: a Bernoulli mask after Cast, scaling and shifting.
    case twoPoint(low: Double, high: Double, p: Double)

    public var mean: Double {
        switch self {
        case .uniform(let low, let high): (low + high) / 2
        case .normal(let mean, _): mean
        case .twoPoint(let low, let high, let p): low + p * (high - low)
        }
    }

    /// `c · X`.
    func scaled(by c: Double) -> Noise {
        switch self {
        case .uniform(let low, let high): c >= 0 ? .uniform(low: c * low, high: c * high) : .uniform(low: c * high, high: c * low)
        case .normal(let mean, let std): .normal(mean: c * mean, std: abs(c) * std)
        case .twoPoint(let low, let high, let p): .twoPoint(low: c * low, high: c * high, p: p)
        }
    }

    /// `X + c`.
    func shifted(by c: Double) -> Noise {
        switch self {
        case .uniform(let low, let high): .uniform(low: low + c, high: high + c)
        case .normal(let mean, let std): .normal(mean: mean + c, std: std)
        case .twoPoint(let low, let high, let p): .twoPoint(low: low + c, high: high + c, p: p)
        }
    }

    /// `⌊X⌋` (or `⌈X⌉`) of a uniform draw one unit wide: two values, the upper one with probability equal to
    /// the fractional part of `low` (this is how `keep + U[0, 1)` floored draws a Bernoulli(keep) mask).
    func rounded(up: Bool) -> Noise? {
        guard case .uniform(let low, let high) = self, high - low == 1 else { return nil }
        let below = low.rounded(.down)
        let fraction = low - below
        if fraction == 0 { return up ? .twoPoint(low: low, high: low + 1, p: 1) : .twoPoint(low: low, high: low + 1, p: 0) }
        // ⌊X⌋ = below + 1 exactly when X ≥ below + 1, which has probability `fraction`; ⌈X⌉ one above.
        return up ? .twoPoint(low: below + 1, high: below + 2, p: fraction) : .twoPoint(low: below, high: below + 1, p: fraction)
    }

    /// P(X < t) (`orEqual`: P(X ≤ t)); nil when the distribution has no closed form here (normal).
    func probabilityBelow(_ t: Double, orEqual: Bool) -> Double? {
        switch self {
        case .uniform(let low, let high):
            guard high > low else { return nil }
            return min(1, max(0, (t - low) / (high - low)))
        case .normal:
            return nil
        case .twoPoint(let low, let high, let p):
            func below(_ x: Double) -> Bool { orEqual ? x <= t : x < t }
            return (below(low) ? 1 - p : 0) + (below(high) ? p : 0)
        }
    }

    /// Whether the values are 0 or 1 only (a mask after Cast).
    var isZeroOneMask: Bool {
        if case .twoPoint(0, 1, _) = self { return true }
        return false
    }

    /// A short description: `U[0, 1)`, `N(0, 0.1)`, `{0, 1.25} with P(1.25) = 0.8`.
    public var text: String {
        switch self {
        case .uniform(let low, let high): "U[\(NumberText.short(low)), \(NumberText.short(high)))"
        case .normal(let mean, let std): "N(\(NumberText.short(mean)), \(NumberText.short(std))²)"
        case .twoPoint(let low, let high, let p):
            "{\(NumberText.short(low)), \(NumberText.short(high))} with P(\(NumberText.short(high))) = \(NumberText.short(p))"
        }
    }
}
