import Foundation

extension RecurrentOperators {
    /// One activation function of a recurrent cell with its alpha and beta, as the recurrent operators'
    /// `activations` attribute names them:
    ///
    /// Relu max(0, x); Tanh; Sigmoid 1/(1 + e^−x); Affine αx + β; LeakyRelu x if x ≥ 0 else αx;
    /// ThresholdedRelu x if x ≥ α else 0; ScaledTanh α·tanh(βx); HardSigmoid min(max(αx + β, 0), 1);
    /// Elu x if x ≥ 0 else α(e^x − 1); Softsign x/(1 + |x|); Softplus log(1 + e^x).
    struct Activation: Equatable {
        enum Function: String, CaseIterable {
            case relu, tanh, sigmoid, affine, leakyRelu, thresholdedRelu, scaledTanh, hardSigmoid, elu, softsign, softplus

            /// Whether the function reads an alpha and a beta from the attribute lists.
            var usesAlpha: Bool { [.affine, .leakyRelu, .thresholdedRelu, .scaledTanh, .hardSigmoid, .elu].contains(self) }
            var usesBeta: Bool { [.affine, .scaledTanh, .hardSigmoid].contains(self) }

            /// Defaults of the ONNX operators of the same name (the spec's rule); ScaledTanh has none.
            var defaultAlpha: Double? {
                switch self {
                case .affine: 1
                case .leakyRelu: 0.01
                case .thresholdedRelu: 1
                case .hardSigmoid: 0.2
                case .elu: 1
                default: nil
                }
            }
            var defaultBeta: Double? {
                switch self {
                case .affine: 0
                case .hardSigmoid: 0.5
                default: nil
                }
            }
        }

        var function: Function
        var alpha: Double = 0
        var beta: Double = 0

        @inline(__always)
        func callAsFunction(_ x: Double) -> Double {
            switch function {
            case .relu: return max(0, x)
            case .tanh: return Foundation.tanh(x)
            case .sigmoid: return 1 / (1 + exp(-x))
            case .affine: return alpha * x + beta
            case .leakyRelu: return x >= 0 ? x : alpha * x
            case .thresholdedRelu: return x >= alpha ? x : 0
            case .scaledTanh: return alpha * Foundation.tanh(beta * x)
            case .hardSigmoid: return min(max(alpha * x + beta, 0), 1)
            case .elu: return x >= 0 ? x : alpha * (exp(x) - 1)
            case .softsign: return x / (1 + abs(x))
            // log1p(e^x) loses nothing for very negative x; above ~36 e^x dominates and x is exact.
            case .softplus: return x > 36 ? x : log1p(exp(x))
            }
        }
    }

    /// The activation functions of every direction, `perDirection` for each, from the node's
    /// `activations`, `activation_alpha` and `activation_beta`.
    ///
    /// The alpha and beta lists are consumed in the order of the functions, each function taking the next
    /// value only when it uses one (as onnxruntime reads them); a function whose value the list does not
    /// supply takes the default of the ONNX operator of that name. A list of one direction's functions
    /// serves both directions of a bidirectional node, and RNN's schema default of two functions serves a
    /// one-direction node with its first.
    static func activations(_ ctx: KernelContext, _ cell: Cell, directions: Int) throws(EvaluationError) -> [[Activation]] {
        let perDirection = cell.defaultActivations.count
        var names = cell.defaultActivations
        if let attribute = ctx.attribute("activations") {
            guard case .strings(let raw) = attribute.value else { throw ctx.fail("attribute 'activations' must be a list of strings") }
            names = raw.map { String(decoding: $0, as: UTF8.self) }
        }
        if names.count == perDirection && directions == 2 {
            names += names
        } else if names.count == 2 * perDirection && directions == 1 && cell == .rnn {
            names = [names[0]]
        }
        guard names.count == perDirection * directions else {
            throw ctx.fail("attribute 'activations' has \(names.count) functions \(names) but \(perDirection * directions) are needed (\(perDirection) per direction)")
        }
        var alphas = (ctx.floats("activation_alpha") ?? [])[...], betas = (ctx.floats("activation_beta") ?? [])[...]
        var functions: [Activation] = []
        for name in names {
            guard let function = Activation.Function.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else {
                throw ctx.fail("activation function '\(name)' is not one of Relu, Tanh, Sigmoid, Affine, LeakyRelu, ThresholdedRelu, ScaledTanh, HardSigmoid, Elu, Softsign, Softplus")
            }
            var activation = Activation(function: function)
            if function.usesAlpha {
                if let a = alphas.popFirst() { activation.alpha = Double(a) } else if let a = function.defaultAlpha { activation.alpha = a } else {
                    throw ctx.unsupportedFeature("activation \(name) without a value in activation_alpha (its alpha has no ONNX default)")
                }
            }
            if function.usesBeta {
                if let b = betas.popFirst() { activation.beta = Double(b) } else if let b = function.defaultBeta { activation.beta = b } else {
                    throw ctx.unsupportedFeature("activation \(name) without a value in activation_beta (its beta has no ONNX default)")
                }
            }
            functions.append(activation)
        }
        return (0..<directions).map { d in Array(functions[(d * perDirection)..<((d + 1) * perDirection)]) }
    }
}
