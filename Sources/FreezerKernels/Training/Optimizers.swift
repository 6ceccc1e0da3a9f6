import Foundation
import FreezerIR

/// The optimizers of the ai.onnx.preview.training domain (version 1): Adagrad, Adam and Momentum.
///
/// Each takes the learning rate R and the update count T (scalars), then n tensors X to optimize and
/// their n gradients G, then the optimizer's state tensors (n of each kind), and returns the new X
/// followed by the new state, in the same grouping. Computed in Double and rounded once.
enum Optimizers {
    static let domain = "ai.onnx.preview.training"

    static func register(_ r: inout KernelRegistry) {
        r.register("Adagrad", domain: domain, versions: 1...Int64.max, adagrad)
        r.register("Adam", domain: domain, versions: 1...Int64.max, adam)
        r.register("Momentum", domain: domain, versions: 1...Int64.max, momentum)
    }

    /// R, T and the groups of tensors: `groups` tensors of each of n parameters, checked to share X's
    /// shape and a floating type.
    struct Inputs {
        var rate: Double
        var count: Double
        /// Per group (X, G, state...), per parameter: values.
        var groups: [[[Double]]]
        var shapes: [[Int]]
        var types: [ElementType]
    }

    static func inputs(_ ctx: KernelContext, groups: Int) throws -> Inputs {
        let r = try ctx.input(0), t = try ctx.input(1)
        guard r.count == 1, t.count == 1 else { throw ctx.fail("inputs R and T must be scalars, got shapes \(r.shape) and \(t.shape)") }
        let rate = try FloatingData.doubles(r, ctx, "R")[0]
        guard t.kind == .int else { throw ctx.fail("input T must be an integer scalar, got \(t.elementType)") }
        let count = Double(t.ints[0])
        let rest = ctx.inputs.count - 2
        guard rest > 0, rest % groups == 0 else {
            throw ctx.fail("expects R, T and \(groups) groups of n tensors, got \(ctx.inputs.count) inputs")
        }
        let n = rest / groups
        var out = Inputs(rate: rate, count: count, groups: [], shapes: [], types: [])
        for g in 0..<groups {
            var group: [[Double]] = []
            for k in 0..<n {
                let a = try ctx.input(2 + g * n + k)
                if g == 0 {
                    out.shapes.append(a.shape)
                    out.types.append(a.elementType)
                } else if a.shape != out.shapes[k] {
                    throw ctx.fail("input \(2 + g * n + k) has shape \(a.shape) but the tensor it belongs to has \(out.shapes[k])")
                }
                group.append(try FloatingData.doubles(a, ctx, "input \(2 + g * n + k)"))
            }
            out.groups.append(group)
        }
        return out
    }

    /// The output list: every group's new values, group after group.
    static func outputs(_ groups: [[[Double]]], _ p: Inputs) -> [NDArray?] {
        groups.flatMap { group in group.enumerated().map { k, v in FloatingData.array(v, shape: p.shapes[k], type: p.types[k]) } }
    }

    /// Adagrad: `r = R / (1 + T·decay_factor)`, `g = norm_coefficient·X + G`, `H' = H + g²`,
    /// `X' = X − r·g / (√H' + epsilon)`. Outputs X'…, H'….
    static func adagrad(_ ctx: KernelContext) throws -> [NDArray?] {
        let p = try inputs(ctx, groups: 3)
        let decay = Double(ctx.float("decay_factor", default: 0)), epsilon = Double(ctx.float("epsilon", default: 0))
        let lambda = Double(ctx.float("norm_coefficient", default: 0))
        let r = p.rate / (1 + p.count * decay)
        var xs = p.groups[0], hs = p.groups[2]
        for k in xs.indices {
            for i in xs[k].indices {
                let x = xs[k][i], g = lambda * x + p.groups[1][k][i]
                let h = hs[k][i] + g * g
                hs[k][i] = h
                xs[k][i] = x - r * g / (h.squareRoot() + epsilon)
            }
        }
        return outputs([xs, hs], p)
    }

    /// Adam: `g = norm_coefficient·X + G`, `V' = alpha·V + (1−alpha)·g`, `H' = beta·H + (1−beta)·g²`,
    /// `r = T > 0 ? R·√(1−beta^T) / (1−alpha^T) : R`, `X' = (1 − norm_coefficient_post)·(X − r·V' / (√H' + epsilon))`.
    /// Outputs X'…, V'…, H'….
    static func adam(_ ctx: KernelContext) throws -> [NDArray?] {
        let p = try inputs(ctx, groups: 4)
        let alpha = Double(ctx.float("alpha", default: 0.9)), beta = Double(ctx.float("beta", default: 0.999))
        let epsilon = Double(ctx.float("epsilon", default: 1e-6))
        let lambda = Double(ctx.float("norm_coefficient", default: 0)), post = Double(ctx.float("norm_coefficient_post", default: 0))
        let r = p.count > 0 ? p.rate * (1 - pow(beta, p.count)).squareRoot() / (1 - pow(alpha, p.count)) : p.rate
        var xs = p.groups[0], vs = p.groups[2], hs = p.groups[3]
        for k in xs.indices {
            for i in xs[k].indices {
                let x = xs[k][i], g = lambda * x + p.groups[1][k][i]
                let v = alpha * vs[k][i] + (1 - alpha) * g
                let h = beta * hs[k][i] + (1 - beta) * g * g
                vs[k][i] = v
                hs[k][i] = h
                xs[k][i] = (1 - post) * (x - r * (v / (h.squareRoot() + epsilon)))
            }
        }
        return outputs([xs, vs, hs], p)
    }

    /// Momentum: `g = norm_coefficient·X + G`, `V' = alpha·V + b·g` with `b = T > 0 ? beta : 1`;
    /// mode "standard": `X' = X − R·V'`, mode "nesterov": `X' = X − R·(g + alpha·V')`. Outputs X'…, V'….
    static func momentum(_ ctx: KernelContext) throws -> [NDArray?] {
        let p = try inputs(ctx, groups: 3)
        guard let alphaF = ctx.attribute("alpha")?.floatValue, let betaF = ctx.attribute("beta")?.floatValue,
              let lambdaF = ctx.attribute("norm_coefficient")?.floatValue, let mode = ctx.attribute("mode")?.stringValue else {
            throw ctx.fail("attributes 'alpha', 'beta', 'mode' and 'norm_coefficient' are required")
        }
        guard mode == "standard" || mode == "nesterov" else { throw ctx.fail("attribute 'mode' must be standard or nesterov, got '\(mode)'") }
        let alpha = Double(alphaF), lambda = Double(lambdaF)
        let b = p.count > 0 ? Double(betaF) : 1
        var xs = p.groups[0], vs = p.groups[2]
        for k in xs.indices {
            for i in xs[k].indices {
                let x = xs[k][i], g = lambda * x + p.groups[1][k][i]
                let v = alpha * vs[k][i] + b * g
                vs[k][i] = v
                xs[k][i] = mode == "standard" ? x - p.rate * v : x - p.rate * (g + alpha * v)
            }
        }
        return outputs([xs, vs], p)
    }
}
