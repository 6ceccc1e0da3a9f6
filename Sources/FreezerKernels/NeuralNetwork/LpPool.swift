import Foundation
import FreezerIR

extension MoreTensorOperators {
    static func registerLpPool(_ r: inout KernelRegistry) {
        r.register("LpPool", versions: 1...Int64.max, lpPool)
        r.register("GlobalLpPool", versions: 1...Int64.max, globalLpPool)
    }

    /// The `p` attribute: a float in opset 1, an integer from opset 2 (default 2).
    static func lpExponent(_ ctx: KernelContext) throws(EvaluationError) -> Double {
        let p = ctx.int("p").map(Double.init) ?? ctx.attribute("p")?.floatValue.map(Double.init) ?? 2
        guard p > 0, p.isFinite else { throw ctx.fail("attribute 'p' must be positive, got \(p)") }
        return p
    }

    /// LpPool (1, 2, 11, 18, 22): `y = (Σ |x|^p)^(1/p)` over each window, with MaxPool's window geometry
    /// (kernel_shape, strides, pads, auto_pad, and from opset 18 dilations and ceil_mode). Padding
    /// contributes nothing to the sum. Computed in Double, rounded once.
    static func lpPool(_ ctx: KernelContext) throws -> [NDArray?] {
        let x = try ctx.input(0)
        let values = try FloatingData.doubles(x, ctx, "X")
        let p = try lpExponent(ctx)
        let g = try NeuralNetworkOperators.poolGeometry(ctx, x)
        let outShape = Array(x.shape[0..<2]) + g.output
        _ = try IndexInputs.count(outShape, ctx, "output")
        let planes = x.shape[0] * x.shape[1]
        let inCount = g.inputCount, outCount = g.outputCount
        var y = [Double](repeating: 0, count: planes * outCount)
        var walker = NeuralNetworkOperators.WindowWalker(g)
        var window: [Int] = []
        for o in 0..<outCount {
            _ = walker.window(o, into: &window)
            for plane in 0..<planes {
                var sum = 0.0
                for i in window { sum += pow(abs(values[plane * inCount + i]), p) }
                y[plane * outCount + o] = pow(sum, 1 / p)
            }
        }
        return [FloatingData.array(y, shape: outShape, type: x.elementType)]
    }

    /// GlobalLpPool (1, 2, 22): `y = (Σ |x|^p)^(1/p)` over all spatial positions of each image and
    /// channel, shape N×C×1×…×1.
    static func globalLpPool(_ ctx: KernelContext) throws -> [NDArray?] {
        let x = try ctx.input(0)
        let values = try FloatingData.doubles(x, ctx, "X")
        guard x.rank >= 2 else { throw ctx.fail("X must be N×C×D1…, got shape \(x.shape)") }
        let p = try lpExponent(ctx)
        let planes = x.shape[0] * x.shape[1], size = x.shape[2...].reduce(1, *)
        let y = (0..<planes).map { plane in
            pow(values[(plane * size)..<((plane + 1) * size)].reduce(0) { $0 + pow(abs($1), p) }, 1 / p)
        }
        return [FloatingData.array(y, shape: Array(x.shape[0..<2]) + [Int](repeating: 1, count: x.rank - 2), type: x.elementType)]
    }
}
