/// The documented BatchNormalization fold, computed by the qualification itself in Double from the
/// stored parameters, independently of `FoldBatchNorm`: what the fold-formula test compares the pipeline
/// with, and how the fault injection's correct frozen models are made, so a broken pass cannot make the
/// error-detection evidence fail (or pass) with it.
enum FoldFormula {
    /// W'[c,…] = a_c · W[c,…] and b'_c = a_c · (b_c − mean_c) + B_c with a_c = scale_c / √(var_c + ε);
    /// `channelOf` gives the output channel of each flat weight index.
    static func fold(weight: [Double], bias: [Double], bn: BatchNormParameters, channelOf: (Int) -> Int) -> (weight: [Double], bias: [Double]) {
        let a = bn.scale.indices.map { bn.scale[$0] / (bn.variance[$0] + bn.epsilon).squareRoot() }
        let w = weight.indices.map { weight[$0] * a[channelOf($0)] }
        let b = bias.indices.map { a[$0] * (bias[$0] - bn.mean[$0]) + bn.shift[$0] }
        return (w, b)
    }
}
