import FreezerExport
import FreezerPasses
import Testing
@testable import FreezerQualification

/// The known limitations and the conditions of use are generated from the code that states them.
@Suite("Known limitations from the code")
struct KnownLimitationTests {
    @Test func everyPassLimitAndEveryUnfreezableRefusalIsListed() {
        let rows = KnownLimitation.generated()
        for pass in Pipeline.standard().passes {
            let doc = type(of: pass).documentation
            for limit in doc.limits {
                #expect(rows.contains { $0.subject == limit.construct && $0.exitCode == limit.exitCode && $0.requirement == doc.id }, "\(doc.id): \(limit.construct)")
            }
        }
        #expect(rows.contains { $0.requirement == "PASS-FOLD-BN" && $0.exitCode == nil })
        for id in ["REF-CANNOT-EVALUATE", "REF-CANNOT-FREEZE"] { #expect(rows.contains { $0.requirement == id && $0.exitCode == 3 }, "\(id)") }
    }

    /// What qualify cannot exercise without a framework is a limitation and a condition of use.
    @Test func exportStepsOutsideTheQualifiedScopeAreStated() {
        let rows = KnownLimitation.generated()
        let conditions = ConfidenceArgument.claim(faults: [], allTestsPassed: true).conditionsOfUse
        #expect(!ExportError.outsideQualifiedScope.isEmpty)
        for item in ExportError.outsideQualifiedScope {
            #expect(rows.contains { $0.subject == item.subject && $0.requirement == nil })
            #expect(conditions.contains { $0.contains(item.subject) })
        }
    }

    /// Each refusal the driver can report has its rule, and each rule the kind the stand-in reports.
    @Test func everyDriverRefusalKindHasARule() {
        #expect(ExportError.driverRefusalRules.map(\.id).sorted() == ExportError.driverRefusalKinds.keys.sorted())
        let ids = Set(Specification.requirements().map(\.id))
        for rule in ExportError.driverRefusalRules { #expect(ids.contains(rule.id)) }
    }

    /// The fault injection's correct frozen models are built without the passes: no BatchNormalization or
    /// Dropout is left, and the folds hold the suite's own formula's values.
    @Test func referenceModelsAreFoldedByTheSuiteItself() throws {
        for subject in SyntheticModel.all() {
            let ops = Set(subject.reference.graph.nodes.map(\.opType))
            #expect(!ops.contains("BatchNormalization") && !ops.contains("Dropout"), "\(subject.name): \(ops)")
            let original = try FoldSite(subject.model.graph, linear: subject.fold.linear, channelAxis: subject.fold.channelAxis)
            let folded = try FoldSite(subject.reference.graph, linear: subject.fold.linear, channelAxis: subject.fold.channelAxis)
            let bn = try BatchNormParameters(subject.model.graph, name: subject.fold.batchNorm)
            let expected = FoldFormula.fold(weight: original.weight, bias: original.bias, bn: bn) { original.channel(of: $0) }
            #expect(FoldFormulaCheck.relativeError(folded.weight, expected.weight) <= 0x1p-23, "\(subject.name)")
            #expect(FoldFormulaCheck.relativeError(folded.bias, expected.bias) <= 0x1p-23, "\(subject.name)")
        }
    }
}
