import Foundation
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

/// The same agreement on ONNX's own test models: PyTorch-converted networks and every node test with
/// BatchNormalization (data from scripts/make-onnx-testdata.sh, as the conformance suite uses).
@Suite("inspect predicts what FoldBatchNorm does: ONNX's test models")
struct InspectPredictsFoldsOnONNXModelsTests {
    static var dataDirectory: String {
        if let env = ProcessInfo.processInfo.environment["FREEZER_ONNX_TESTDATA"], !env.isEmpty { return env }
        return Fixtures.root.appendingPathComponent(".build-onnx-testdata").path
    }

    static func models() -> [String] {
        let fm = FileManager.default
        var paths: [String] = []
        for kind in ["pytorch-converted", "pytorch-operator", "node"] {
            let dir = dataDirectory + "/" + kind
            for name in ((try? fm.contentsOfDirectory(atPath: dir)) ?? []).sorted()
            where kind != "node" || name.lowercased().contains("batchnorm") {
                let path = "\(dir)/\(name)/model.onnx"
                if fm.fileExists(atPath: path) { paths.append(path) }
            }
        }
        return paths
    }

    @Test func everyModelAgrees() throws {
        let paths = Self.models()
        guard !paths.isEmpty else {
            Issue.record("no ONNX test models under \(Self.dataDirectory): run scripts/make-onnx-testdata.sh")
            return
        }
        var compared = 0
        for path in paths {
            guard let model = try? ModelLoader.load(path: path, options: .init(computeDigests: false)).model,
                  Validator.validate(model).isEmpty,
                  let result = try? Pipeline.standard().run(model) else { continue } // refused as a whole: nothing to contradict
            #expect(InspectPredictsFoldsTests.outcomes(result.context) == InspectPredictsFoldsTests.predictions(model), "\(path)")
            compared += 1
        }
        #expect(compared > 10, "only \(compared) of \(paths.count) models could be frozen")
        print("inspect vs FoldBatchNorm: compared on \(compared) of \(paths.count) ONNX test models (the others are refused as a whole)")
    }
}
