import Foundation
import FreezerTestSupport
import Testing

@Suite("freezer compare (end to end)")
struct CompareCLITests {
    /// The training export and its frozen model, written by `convert --no-verify`.
    func frozenPair() throws -> (original: String, frozen: String) {
        let dir = Fixtures.temporaryDirectory()
        let original = Fixtures.model("torch_cnn_train")
        let r = try CLI.run(["convert", original, "-o", dir + "/frozen.onnx", "--model-id", "CNN", "--model-version", "1",
                             "--responsible", "Jane Doe", "--no-verify"])
        try #require(r.status == 0, "\(r.stderr)")
        return (original, dir + "/frozen.onnx")
    }

    @Test func aCorrectFrozenModelIsEquivalentWithStatisticsAndHistogram() throws {
        let (original, frozen) = try frozenPair()
        let r = try CLI.run(["compare", original, frozen, "--samples", "3"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Equivalence: equivalent (criterion: as exact as A"))
        for line in ["B − exact", "A − exact", "B − A", "errors per decade", "p99.9"] {
            #expect(r.stdout.contains(line), "missing '\(line)' in:\n\(r.stdout)")
        }
    }

    @Test func jsonCarriesTheLogsEquivalenceRecordAndBothDigests() throws {
        let (original, frozen) = try frozenPair()
        let r = try CLI.run(["compare", original, frozen, "--samples", "2", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(((json["a"] as? [String: Any])?["sha256"] as? String)?.count == 64)
        let equivalence = try #require(json["equivalence"] as? [String: Any])
        #expect(equivalence["verdict"] as? String == "equivalent")
        #expect((equivalence["criterion"] as? [String: Any])?["name"] as? String == "asExactAsOriginal")
        // Its sentences name the models A and B, as the command does.
        #expect((equivalence["statement"] as? String)?.hasPrefix("On 2 input sample(s) every output of B is as exact as A") == true)
        #expect((equivalence["method"] as? String)?.contains("runs A with inference semantics") == true)
        #expect(((equivalence["criterion"] as? [String: Any])?["reason"] as? String)?.contains("output of B must be as exact as A's") == true)
        let output = try #require((equivalence["outputs"] as? [[String: Any]])?.first)
        #expect(output["rule"] as? String == "asExactAsOriginal")
        let histogram = try #require((output["frozenVsExact"] as? [String: Any])?["histogram"] as? [String: Any])
        #expect((histogram["counts"] as? [Int])?.reduce(0, +) ?? 0 > 0)
    }

    @Test func aDeclaredToleranceOfZeroRefusesTheRoundingOfAFoldWithExitFour() throws {
        let (original, frozen) = try frozenPair()
        let r = try CLI.run(["compare", original, frozen, "--samples", "2", "--rtol", "0", "--atol", "0"])
        #expect(r.status == 4, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("NOT equivalent (criterion: declared tolerance"))
    }

    @Test func aModelThatCannotBeEvaluatedAsWrittenExitsFive() throws {
        let (original, frozen) = try frozenPair()
        // B is evaluated as written: the training export's Dropout is random there.
        let r = try CLI.run(["compare", frozen, original, "--samples", "1"])
        #expect(r.status == 5, "\(r.stderr)")
        #expect(r.stderr.contains("Dropout"))
    }

    /// B is evaluated as written: a BatchNormalization left in training mode computes batch statistics,
    /// and the output says so beside the verdict (and --json in `warnings`).
    @Test func aTrainingConstructLeftInBIsNamedBesideTheVerdict() throws {
        let training = Fixtures.model("batchnorm_opset14_training")
        let r = try CLI.run(["compare", training, training, "--samples", "2"])
        #expect(r.status == 4, "\(r.stderr)")
        #expect(r.stdout.contains("warning: B still holds 1 training construct, computed as written: BatchNormalization 'bn1'"))
        // The reasons name the models as compare does: A and B.
        #expect(r.stdout.contains("NOT as exact as A: max |B − exact|") && r.stdout.contains("A's own error"), "\(r.stdout)")
        let j = try CLI.run(["compare", training, training, "--samples", "2", "--json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [String: Any])
        #expect((json["warnings"] as? [String])?.first?.contains("freeze it first") == true)
        let (original, frozen) = try frozenPair()
        let clean = try CLI.run(["compare", original, frozen, "--samples", "1", "--json"])
        #expect((try JSONSerialization.jsonObject(with: Data(clean.stdout.utf8)) as? [String: Any])?["warnings"] as? [String] == [])
    }

    @Test func modelsWithDifferentSignaturesAreRefusedWithExit65() throws {
        let r = try CLI.run(["compare", Fixtures.model("torch_cnn_train"), Fixtures.model("torch_mlp_train_opset12")])
        #expect(r.status == 65, "\(r.stderr)")
        #expect(r.stderr.contains("do not have the same inputs and outputs"))
    }

    @Test func helpExplainsTheCriterion() throws {
        let r = try CLI.run(["compare", "--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("as exact as A"))
    }
}

@Suite("freezer compare: bad options")
struct CompareBadOptionTests {
    @Test(arguments: [["--samples", "0"], ["--rtol", "-1"], ["--atol", "inf"]])
    func refusedAsUsageErrorsBeforeAnythingRuns(_ option: [String]) throws {
        let model = Fixtures.model("torch_cnn_train")
        let r = try CLI.run(["compare", model, model] + option)
        #expect(r.status == 64, "\(r.stderr)")
        #expect(r.stderr.contains(option[0]))
    }
}
