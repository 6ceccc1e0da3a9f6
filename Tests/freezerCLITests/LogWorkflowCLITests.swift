import Foundation
import FreezerTestSupport
import Testing

@Suite("freezer log, keygen, verify (end to end)")
struct LogWorkflowCLITests {
    struct Converted {
        var dir: String
        var frozen: String
        var log: String
    }

    func convert(_ extra: [String] = []) throws -> Converted {
        let dir = Fixtures.temporaryDirectory()
        let frozen = dir + "/frozen.onnx"
        let r = try CLI.run(["convert", Fixtures.model("torch_cnn_train"), "-o", frozen, "--model-id", "CNN", "--model-version", "2",
                             "--responsible", "Jane Doe", "--no-verify"] + extra)
        try #require(r.status == 0, "\(r.stderr)")
        return Converted(dir: dir, frozen: frozen, log: dir + "/frozen.conversion-log.json")
    }

    func flipByte(_ path: String, at offset: Int? = nil) throws {
        var data = try #require(FileManager.default.contents(atPath: path))
        let k = offset ?? data.count / 2
        data[k] ^= 0x01
        try data.write(to: URL(fileURLWithPath: path))
    }

    func json(_ path: String) throws -> [String: Any] {
        let data = try #require(FileManager.default.contents(atPath: path))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func reviewApproveSignVerify() throws {
        let c = try convert()
        let review = try CLI.run(["log", "review", c.log, "--by", "Max Muster", "--description", "Modifications and improvements based on internal review"])
        #expect(review.status == 0, "\(review.stderr)")
        #expect(review.stdout.contains("version 0.2"))
        let selfApproval = try CLI.run(["log", "approve", c.log, "--by", "Jane Doe"])
        #expect(selfApproval.status == 7)
        #expect(selfApproval.stderr.contains("responsible person"))
        let keygen = try CLI.run(["keygen", "-o", c.dir + "/erika.key"])
        #expect(keygen.status == 0, "\(keygen.stderr)")
        let approve = try CLI.run(["log", "approve", c.log, "--by", "Erika Mustermann", "--key", c.dir + "/erika.key"])
        #expect(approve.status == 0, "\(approve.stderr)")
        #expect(approve.stdout.contains("version 1.0"))
        let again = try CLI.run(["log", "review", c.log, "--by", "Max", "--description", "late"])
        #expect(again.status == 7)
        #expect(again.stderr.contains("approved") && again.stderr.contains("new-version"))
        _ = try CLI.run(["keygen", "-o", c.dir + "/qa.key"])
        let sign = try CLI.run(["log", "sign", c.log, "--key", c.dir + "/qa.key", "--by", "QA"])
        #expect(sign.status == 0, "\(sign.stderr)")

        let log = try json(c.log)
        #expect((log["document"] as? [String: Any])?["version"] as? String == "1.0")
        #expect((log["document"] as? [String: Any])?["status"] as? String == "approved")
        let history = try #require(log["history"] as? [[String: Any]])
        #expect(history.map { $0["version"] as? String } == ["0.1", "0.2", "1.0"])
        #expect(history[2]["description"] as? String == "First version after complete internal review")
        #expect(history[2]["selfApproval"] as? Bool == false)

        let verify = try CLI.run(["verify", c.frozen, "--log", c.log, "--public-key", c.dir + "/qa.key.pub", "--public-key", c.dir + "/erika.key.pub"])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("OK: every check passed"))
        #expect(verify.stdout.contains("freezer.conversion_id"))
        let machine = try CLI.run(["verify", c.frozen, "--log", c.log, "--json"])
        #expect(machine.status == 0)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(machine.stdout.utf8)) as? [String: Any])
        #expect((report["checks"] as? [[String: Any]])?.contains { $0["kind"] as? String == "frozenModel" && $0["status"] as? String == "passed" } == true)

        // Only the erika key given: the QA signature is by another key.
        let partial = try CLI.run(["verify", c.frozen, "--log", c.log, "--public-key", c.dir + "/erika.key.pub"])
        #expect(partial.status == 6)
        #expect(partial.stderr.contains("signed by another key"))

        let reopened = try CLI.run(["log", "new-version", c.log, "--by", "Jane Doe", "--description", "Re-assessment"])
        #expect(reopened.status == 0 && reopened.stdout.contains("version 1.1"), "\(reopened.stderr)")
        // Earlier signatures stay valid; the current record (1.1) is not signed by a trusted key.
        let after = try CLI.run(["verify", c.frozen, "--log", c.log, "--public-key", c.dir + "/qa.key.pub", "--public-key", c.dir + "/erika.key.pub"])
        #expect(after.status == 6)
        #expect(!after.stdout.contains("[FAIL] signature"), "\(after.stdout)")
        #expect(after.stderr.contains("covers the current record"))
    }

    @Test func aChangedByteInTheFrozenModelIsNamed() throws {
        let c = try convert()
        try flipByte(c.frozen)
        let r = try CLI.run(["verify", c.frozen, "--log", c.log])
        #expect(r.status == 6, "\(r.stdout)\(r.stderr)")
        #expect(r.stderr.contains("frozen model '\(c.frozen)' changed"))
        #expect(r.stderr.contains("expected"))
    }

    @Test func aChangedByteInAnExternalDataFileIsNamed() throws {
        let c = try convert(["--external-data"])
        let data = c.frozen + ".data"
        try #require(FileManager.default.fileExists(atPath: data), "convert --external-data writes FROZEN.onnx.data")
        let clean = try CLI.run(["verify", c.frozen, "--log", c.log])
        #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
        try flipByte(data)
        let r = try CLI.run(["verify", c.frozen, "--log", c.log])
        #expect(r.status == 6)
        #expect(r.stderr.contains("external data file of the frozen model '\(data)' changed"), "\(r.stderr)")
        #expect(!r.stderr.contains("frozen model '\(c.frozen)' changed"), "only the data file changed")
        try FileManager.default.removeItem(atPath: data)
        let gone = try CLI.run(["verify", c.frozen, "--log", c.log])
        #expect(gone.status == 6)
        #expect(gone.stderr.contains("is missing"))
    }

    @Test(arguments: ["value", "digest", "whitespace", "signature"])
    func aChangedByteInTheLogIsNamed(_ where_: String) throws {
        let c = try convert()
        _ = try CLI.run(["keygen", "-o", c.dir + "/k"])
        let s = try CLI.run(["log", "sign", c.log, "--key", c.dir + "/k"])
        try #require(s.status == 0, "\(s.stderr)")
        let text = String(decoding: try #require(FileManager.default.contents(atPath: c.log)), as: UTF8.self)
        let utf8 = Array(text.utf8)
        func offset(of needle: String) -> Int { utf8.count - text.components(separatedBy: needle).dropFirst().joined(separator: needle).utf8.count }
        let position: Int
        switch where_ {
        case "value": position = offset(of: "\"responsible\" : \"Jane") - 2
        case "digest": position = offset(of: "\"recordDigest\" : \"")
        case "signature": position = offset(of: "\"signature\" : \"")
        default: position = utf8.firstIndex(of: UInt8(ascii: "\n"))! + 1
        }
        try flipByte(c.log, at: position)
        let r = try CLI.run(["verify", c.frozen, "--log", c.log])
        #expect(r.status == 6, "\(where_): \(r.stdout)\(r.stderr)")
        #expect(r.stderr.contains(c.log) || r.stderr.contains("record digest mismatch") || r.stderr.contains("signature"), "\(r.stderr)")
        if where_ == "value" { #expect(r.stderr.contains("record digest mismatch: the log was modified after it was written")) }
        // Commands that change the log refuse it, and leave it as it is.
        let before = FileManager.default.contents(atPath: c.log)
        let review = try CLI.run(["log", "review", c.log, "--by", "M", "--description", "d"])
        if where_ == "whitespace" { #expect(review.status == 65) } else { #expect(review.status == 6, "\(review.stderr)") }
        #expect(FileManager.default.contents(atPath: c.log) == before)
    }

    @Test func reverifyRepeatsTheEquivalenceCheck() throws {
        let c = try convert()
        let r = try CLI.run(["verify", c.frozen, "--log", c.log, "--original", Fixtures.model("torch_cnn_train"), "--reverify"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("[ok]   equivalence"))
        #expect(r.stdout.contains("originalModel"))
        let usage = try CLI.run(["verify", c.frozen, "--log", c.log, "--reverify"])
        #expect(usage.status == 64)
        let wrong = try CLI.run(["verify", c.frozen, "--log", c.log, "--original", Fixtures.model("torch_cnn_eval")])
        #expect(wrong.status == 6)
        #expect(wrong.stderr.contains("verified learning model"))
    }

    @Test func badInputsGiveClearErrorsAndWriteNothing() throws {
        let c = try convert()
        let before = FileManager.default.contents(atPath: c.log)
        let missing = try CLI.run(["log", "review", c.dir + "/none.json", "--by", "M", "--description", "d"])
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("none.json"))
        let notAKey = try CLI.run(["log", "sign", c.log, "--key", c.frozen])
        #expect(notAKey.status == 65, "\(notAKey.stderr)")
        #expect(notAKey.stderr.contains(c.frozen))
        let notALog = try CLI.run(["log", "review", c.frozen, "--by", "M", "--description", "d"])
        #expect(notALog.status == 65)
        let verifyNoLog = try CLI.run(["verify", c.frozen, "--log", c.dir + "/none.json"])
        #expect(verifyNoLog.status == 66)
        _ = try CLI.run(["keygen", "-o", c.dir + "/k"])
        let overwrite = try CLI.run(["keygen", "-o", c.dir + "/k"])
        #expect(overwrite.status == 73)
        #expect(overwrite.stderr.contains("already exists"))
        let pubAsPrivate = try CLI.run(["log", "sign", c.log, "--key", c.dir + "/k.pub"])
        #expect(pubAsPrivate.status == 65)
        #expect(FileManager.default.contents(atPath: c.log) == before)
        let newVersionOfDraft = try CLI.run(["log", "new-version", c.log, "--by", "J", "--description", "d"])
        #expect(newVersionOfDraft.status == 7)
    }
}
