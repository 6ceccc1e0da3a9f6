import Crypto
import Foundation
import FreezerIntegrity
import FreezerLog
import Testing

@Suite("Log workflow on files")
struct LogWorkflowFileTests {
    func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    @Test func eachStepRewritesTheLogWithAFreshDigest() throws {
        let path = try SampleLog.write()
        let review = try LogWorkflow.review(path: path, by: "Max", description: "Modifications and improvements based on internal review", change: "x", key: nil)
        #expect(review.entry?.version == "0.2")
        let onDisk = try LogFile.readChecked(path).log
        #expect(onDisk == review.log)
        #expect(onDisk.recordDigest == (try RecordDigest.of(onDisk)))
        #expect(bytes(path) == (try onDisk.encoded()))
    }

    @Test func approvalRulesAndRefusalsWriteNothing() throws {
        let path = try SampleLog.write()
        let before = bytes(path)
        #expect(throws: WorkflowError.selfApproval(person: "jane doe")) {
            try LogWorkflow.approve(path: path, by: "jane doe", allowSelfApproval: false, key: nil)
        }
        #expect(bytes(path) == before)
        let approved = try LogWorkflow.approve(path: path, by: "Jane Doe", allowSelfApproval: true, key: nil)
        #expect(approved.entry?.selfApproval == true && approved.log.document.version == "1.0")
        let closed = bytes(path)
        #expect(throws: WorkflowError.approved(version: "1.0")) { try LogWorkflow.review(path: path, by: "M", description: "d", change: "", key: nil) }
        #expect(bytes(path) == closed)
        let signed = try LogWorkflow.sign(path: path, key: Curve25519.Signing.PrivateKey(), signer: nil)
        #expect(signed.signature?.signer.hasPrefix("key ") == true, "signing an approved log is allowed")
    }

    @Test func aModifiedLogIsRefusedAndLeftAsItIs() throws {
        let path = try SampleLog.write()
        var text = String(decoding: bytes(path)!, as: UTF8.self)
        text = text.replacingOccurrences(of: "\"Jane Doe\"", with: "\"Jane Dot\"")
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let tampered = bytes(path)
        #expect {
            try LogWorkflow.review(path: path, by: "M", description: "d", change: "", key: nil)
        } throws: { error in
            guard case LogFileError.recordDigestMismatch = error else { return false }
            return "\(error)".contains("record digest mismatch: the log was modified after it was written") && "\(error)".contains(path)
        }
        #expect(bytes(path) == tampered)
    }

    @Test func badLogsNameWhatIsWrong() throws {
        let dir = try SampleLog.write()
        let missing = dir + ".nope"
        #expect(throws: LogFileError.notFound(path: missing)) { try LogFile.read(missing) }
        let notJSON = dir + ".txt"
        try Data("hello".utf8).write(to: URL(fileURLWithPath: notJSON))
        #expect { try LogFile.read(notJSON) } throws: { error in
            guard case LogFileError.invalid(notJSON, .notJSON) = error else { return false }
            return "\(error)".contains(notJSON)
        }
        var object = try JSONSerialization.jsonObject(with: bytes(dir)!) as! [String: Any]
        object["schemaVersion"] = 7
        let future = dir + ".v7.json"
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: future))
        #expect(throws: LogFileError.invalid(path: future, .unsupportedSchemaVersion(7))) { try LogFile.read(future) }
        object["schemaVersion"] = 1
        object.removeValue(forKey: "history")
        let partial = dir + ".partial.json"
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: partial))
        #expect(throws: LogFileError.invalid(path: partial, .missingField("history"))) { try LogFile.read(partial) }
    }
}
