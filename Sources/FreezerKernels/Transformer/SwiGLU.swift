import Foundation
import FreezerIR

extension TransformerOperators {
    /// SwiGLU (28): `Y = A · sigmoid(alpha · A) · B` (Swish of the gate A times the value B); A and B
    /// have one shape and type, no broadcasting. Half-precision steps round as the reference's do.
    static func swiGLU(_ ctx: KernelContext) throws(EvaluationError) -> [NDArray?] {
        let a = try ctx.input(0), b = try ctx.input(1)
        guard a.shape == b.shape, a.elementType == b.elementType else {
            throw ctx.fail("A \(a.elementType)\(text(a.shape)) and B \(b.elementType)\(text(b.shape)) must have one shape and type")
        }
        let av = try doubles(a, ctx, "A"), bv = try doubles(b, ctx, "B")
        let alpha = Double(ctx.float("alpha", default: 1))
        let round = Rounding(a.elementType, ctx.precision)
        var y = [Double](repeating: 0, count: av.count)
        for i in av.indices {
            let sigmoid = round(1 / round(1 + round(Foundation.exp(round(-alpha * av[i])))))
            y[i] = round(av[i] * sigmoid) * bv[i]
        }
        return [array(y, type: a.elementType, shape: a.shape)]
    }
}
