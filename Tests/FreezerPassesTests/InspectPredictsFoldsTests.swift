import FreezerTestSupport
import Testing
@testable import FreezerIR
@testable import FreezerInspect
@testable import FreezerONNX
@testable import FreezerPasses

/// What `inspect` says of every BatchNormalization (folds into X, or stays and why) is exactly what the
/// standard pipeline does with it, so the log's inspection and elimination sections cannot disagree.
@Suite("inspect predicts what FoldBatchNorm does")
struct InspectPredictsFoldsTests {
    /// Fixtures freezing refuses as a whole: no frozen model and no log, so nothing can contradict.
    static let refused: Set<String> = ["params_without_values", "typed_fields"]

    /// Inspect's word on each BatchNormalization the passes see (training_info graphs are stripped first).
    static func predictions(_ m: Model) -> [String: String] {
        var result: [String: String] = [:]
        for f in Inspector.inspect(m).findings where f.kind == .batchNormalization && !f.graphPath.hasPrefix("training_info") {
            guard let facts = f.batchNormalization else { continue }
            result["\(f.graphPath) \(f.node ?? "")"] = facts.foldTarget.map { "folds into \($0)" } ?? "stays: \(facts.notFoldableReason ?? "")"
        }
        return result
    }

    /// What FoldBatchNorm did, in the same words.
    static func outcomes(_ context: PassContext) -> [String: String] {
        var result: [String: String] = [:]
        for c in context.changes where c.pass == FoldBatchNorm.name && c.nodes.count >= 2 { result["\(c.graph) \(c.nodes[0])"] = "folds into \(c.nodes[1])" }
        for s in context.skips where s.pass == FoldBatchNorm.name { result["\(s.graph) \(s.node)"] = "stays: \(s.reason)" }
        return result
    }

    @Test(arguments: Fixtures.allModels)
    func fixture(_ name: String) throws {
        let model = try ModelLoader.load(path: Fixtures.model(name)).model
        let result: Pipeline.Result
        do { result = try Pipeline.standard().run(model) } catch {
            #expect(Self.refused.contains(name), "\(error)")
            return
        }
        #expect(!Self.refused.contains(name))
        #expect(Self.outcomes(result.context) == Self.predictions(model))
    }

    @Test func branchReadingOuterConstants() throws {
        let model = FoldInBranchTests.model()
        let predicted = Self.predictions(model)
        #expect(predicted == ["main/if.then_branch bn": "folds into then_gemm"])
        #expect(Self.outcomes(try Pipeline.standard().run(model).context) == predicted)
    }
}
