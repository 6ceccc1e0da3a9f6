import FreezerIR
import FreezerPasses

/// The fold formula checked number by number: the folded weight and bias the pipeline wrote must be the
/// documented formula computed here, independently, in Double from the export's own parameters.
///
/// This test does not go through the equivalence check, so a formula error (ε outside the square root,
/// the variance for the standard deviation) names PASS-FOLD-BN even where the evaluator would also
/// be wrong.
enum FoldFormulaCheck {
    static func check(_ subject: SyntheticModel, pipeline: Pipeline = .standard()) -> QualificationCheck {
        QualificationCheck(id: "QT-\(FoldBatchNorm.documentation.id)-FORMULA-\(PassChecks.slug(subject.name))", requirements: [FoldBatchNorm.documentation.id],
                           expected: "W' = a·W and b' = a·(b − mean) + B with a = scale/√(var + ε), for every element of the fold at '\(subject.fold.linear)', within one float32 rounding") { _ in
            let frozen = try pipeline.run(subject.model).model
            let original = try FoldSite(subject.model.graph, linear: subject.fold.linear, channelAxis: subject.fold.channelAxis)
            let folded = try FoldSite(frozen.graph, linear: subject.fold.linear, channelAxis: subject.fold.channelAxis)
            let bn = try BatchNormParameters(subject.model.graph, name: subject.fold.batchNorm)
            let expected = FoldFormula.fold(weight: original.weight, bias: original.bias, bn: bn) { original.channel(of: $0) }
            let worst = max(relativeError(folded.weight, expected.weight), relativeError(folded.bias, expected.bias))
            // One rounding to float32 is at most 2^-24 relative; the stored operands were float32 already.
            try require(worst <= 0x1p-23, "the folded constants differ from the formula by up to \(worst) (relative)")
            return "\(folded.weight.count + folded.bias.count) folded values match the formula; largest relative difference \(worst)"
        }
    }

    /// The largest |x − y| / max(|y|, tiny) over the elements (infinity when the sizes differ).
    static func relativeError(_ x: [Double], _ y: [Double]) -> Double {
        guard x.count == y.count else { return .infinity }
        return zip(x, y).map { abs($0 - $1) / max(abs($1), 1e-30) }.max() ?? 0
    }
}
