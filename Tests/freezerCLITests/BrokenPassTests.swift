import Foundation
import Testing
@testable import freezer
@testable import FreezerIR
@testable import FreezerPasses
@testable import FreezerQualification

/// A pass broken on purpose fails its qualification tests, and the whole suite then names that pass's
/// requirement only: the error-detection evidence (fault injection, REF-NOT-EQUIVALENT) is built without
/// the passes, so it does not fail with them.
@Suite("A broken pass is named")
struct BrokenPassTests {
    /// FoldBatchNorm, then one output channel of a synthetic architecture's fold scaled by (1 + 1e-3): a
    /// wrong fold. Models without such a fold are left as FoldBatchNorm leaves them.
    struct WrongFold: Pass {
        static let name = FoldBatchNorm.name
        static let documentation = FoldBatchNorm.documentation

        func run(on model: inout Model, context: inout PassContext) throws(PassError) {
            try FoldBatchNorm().run(on: &model, context: &context)
            for subject in SyntheticModel.all() {
                guard let fold = try? FoldSite(model.graph, linear: subject.fold.linear, channelAxis: subject.fold.channelAxis) else { continue }
                var w = fold.weight
                fold.forEach(channel: 1) { w[$0] *= 1 + 1e-3 }
                do { try fold.store(weight: w, bias: fold.bias, in: &model.graph) } catch {
                    throw PassError(pass: Self.name, "sabotage failed: \(error)")
                }
                return
            }
        }
    }

    static func brokenPipeline() throws -> Pipeline {
        var pipeline = Pipeline.standard()
        let index = try #require(pipeline.passes.firstIndex { $0.name == FoldBatchNorm.name })
        pipeline.passes[index] = WrongFold()
        return pipeline
    }

    @Test(arguments: SyntheticModel.all().map(\.name))
    func aWrongFoldFailsAndNamesPassFoldBN(architecture: String) throws {
        let subject = try #require(SyntheticModel.all().first { $0.name == architecture })
        let check = PassChecks.isolated(pass: FoldBatchNorm.name, id: FoldBatchNorm.documentation.id, subject: PassSubject(subject), pipeline: try Self.brokenPipeline())
        let result = check.run(in: QualificationContext(directory: "/nonexistent", exitCode: { _ in 0 }))
        #expect(!result.passed)
        #expect(result.requirements == ["PASS-FOLD-BN"])
        #expect(result.actual.contains("FoldBatchNorm changed what the model computes"), "\(result.actual)")
        // The same check on the standard pipeline passes.
        #expect(PassChecks.isolated(pass: FoldBatchNorm.name, id: "PASS-FOLD-BN", subject: PassSubject(subject))
            .run(in: QualificationContext(directory: "/nonexistent", exitCode: { _ in 0 })).passed)
    }

    /// The whole suite with the wrong fold: PASS-FOLD-BN is the one failed requirement; the fault
    /// injection (EQ-CRITERION) and REF-NOT-EQUIVALENT still pass.
    @Test func theWholeSuiteNamesOnlyPassFoldBN() throws {
        try #require(FileManager.default.isExecutableFile(atPath: CLI.executable), "build freezer first: \(CLI.executable)")
        let (results, faults) = try QualificationSuite.run(executable: CLI.executable, pipeline: try Self.brokenPipeline(),
                                                           commandLine: QualifyCommand.commandLineRules, exitCode: { ExitStatus.code(for: $0) })
        let report = QualificationReport(date: "2026-01-01T00:00:00Z", identity: ToolIdentity.measure(), requirements: Specification.requirements(commandLine: QualifyCommand.commandLineRules),
                                         tests: results, faultInjection: faults, seconds: 0)
        #expect(report.summary.failedRequirements == ["PASS-FOLD-BN"],
                "\(results.filter { !$0.passed }.map { "\($0.id): \($0.actual)" })")
        #expect(faults.filter { !$0.asExpected }.isEmpty)
    }
}
