import Testing
@testable import FreezerIR
@testable import FreezerPasses
@testable import FreezerQualification

/// A pass broken on purpose fails its qualification test, which names that pass's requirement only.
@Suite("A broken pass is named")
struct BrokenPassTests {
    /// FoldBatchNorm, then one output channel of the subject's fold scaled by (1 + 1e-3): a wrong fold.
    struct WrongFold: Pass {
        static let name = FoldBatchNorm.name
        static let documentation = FoldBatchNorm.documentation
        let subject: SyntheticModel

        func run(on model: inout Model, context: inout PassContext) throws(PassError) {
            try FoldBatchNorm().run(on: &model, context: &context)
            do {
                let fold = try FoldSite(model.graph, linear: subject.fold.linear, channelAxis: subject.fold.channelAxis)
                var w = fold.weight
                fold.forEach(channel: 1) { w[$0] *= 1 + 1e-3 }
                try fold.store(weight: w, bias: fold.bias, in: &model.graph)
            } catch {
                throw PassError(pass: Self.name, "sabotage failed: \(error)")
            }
        }
    }

    @Test(arguments: SyntheticModel.all().map(\.name))
    func aWrongFoldFailsAndNamesPassFoldBN(architecture: String) throws {
        let subject = try #require(SyntheticModel.all().first { $0.name == architecture })
        var pipeline = Pipeline.standard()
        let index = try #require(pipeline.passes.firstIndex { $0.name == FoldBatchNorm.name })
        pipeline.passes[index] = WrongFold(subject: subject)
        let check = PassChecks.isolated(pass: FoldBatchNorm.name, id: FoldBatchNorm.documentation.id, subject: PassSubject(subject), pipeline: pipeline)
        let result = check.run(in: QualificationContext(directory: "/nonexistent", exitCode: { _ in 0 }))
        #expect(!result.passed)
        #expect(result.requirements == ["PASS-FOLD-BN"])
        #expect(result.actual.contains("FoldBatchNorm changed what the model computes"), "\(result.actual)")
        // The same check on the standard pipeline passes.
        #expect(PassChecks.isolated(pass: FoldBatchNorm.name, id: "PASS-FOLD-BN", subject: PassSubject(subject))
            .run(in: QualificationContext(directory: "/nonexistent", exitCode: { _ in 0 })).passed)
    }
}
