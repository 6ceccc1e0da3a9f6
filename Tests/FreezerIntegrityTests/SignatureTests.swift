import Crypto
import Foundation
import FreezerIntegrity
import FreezerLog
import Testing

@Suite("Log signatures")
struct SignatureTests {
    let key = Curve25519.Signing.PrivateKey()

    func signed(_ log: ConversionLog) throws -> ConversionLog {
        var log = log
        log.signatures.append(try LogSigning.sign(log, asOfEntry: log.history.count - 1, key: key, signer: "QA", date: "d"))
        return log
    }

    @Test func aSignatureOverTheRecordVerifiesAndChangesNothing() throws {
        let log = SampleLog.make()
        let signed = try signed(log)
        #expect(try signed.canonicalForm() == log.canonicalForm(), "signatures are about the record, not part of it")
        #expect(LogSigning.verify(signed.signatures[0], in: signed) == .valid)
        #expect(signed.signatures[0].documentVersion == "0.1")
        #expect(signed.signatures[0].keyFingerprint == KeyFiles.fingerprint(key.publicKey))
    }

    @Test func aChangedRecordBreaksTheSignature() throws {
        var log = try signed(SampleLog.make())
        log.modelConversion.responsible = "Mallory"
        guard case .recordChanged = LogSigning.verify(log.signatures[0], in: log) else {
            Issue.record("a tampered record must not verify")
            return
        }
    }

    @Test func anotherKeyOrAnAlteredSignatureDoesNotVerify() throws {
        var log = try signed(SampleLog.make())
        // Swap in another key (with a consistent fingerprint): the signature no longer matches it.
        let other = Curve25519.Signing.PrivateKey().publicKey
        log.signatures[0].publicKey = other.rawRepresentation.base64EncodedString()
        log.signatures[0].keyFingerprint = KeyFiles.fingerprint(other)
        #expect(LogSigning.verify(log.signatures[0], in: log) == .badSignature)
        var altered = try signed(SampleLog.make())
        var bytes = Data(base64Encoded: altered.signatures[0].signature)!
        bytes[5] ^= 1
        altered.signatures[0].signature = bytes.base64EncodedString()
        #expect(LogSigning.verify(altered.signatures[0], in: altered) == .badSignature)
        var wrongPrint = try signed(SampleLog.make())
        wrongPrint.signatures[0].keyFingerprint = String(repeating: "0", count: 64)
        guard case .malformed = LogSigning.verify(wrongPrint.signatures[0], in: wrongPrint) else {
            Issue.record("a fingerprint that does not match the key must be reported")
            return
        }
    }

    @Test func entrySignaturesAndVersionedSignaturesStayValidAfterLaterEntries() throws {
        let path = try SampleLog.write()
        let reviewer = Curve25519.Signing.PrivateKey()
        let approver = Curve25519.Signing.PrivateKey()
        _ = try LogWorkflow.review(path: path, by: "Max", description: "review", change: "", key: reviewer)
        _ = try LogWorkflow.approve(path: path, by: "Erika", allowSelfApproval: false, key: approver)
        _ = try LogWorkflow.sign(path: path, key: key, signer: "QA")
        _ = try LogWorkflow.newVersion(path: path, by: "Jane Doe", description: "reopen", key: nil)
        let last = try LogWorkflow.review(path: path, by: "Max", description: "again", change: "", key: reviewer)
        let log = try LogFile.readChecked(path).log
        #expect(log.history.map(\.version) == ["0.1", "0.2", "1.0", "1.1", "1.2"])
        for (k, entry) in log.history.enumerated() {
            if let s = entry.signature { #expect(LogSigning.verify(s, in: log, entryIndex: k) == .valid, "entry \(entry.version)") }
        }
        #expect(log.history.compactMap(\.signature).count == 3)
        #expect(log.signatures.count == 1)
        #expect(LogSigning.verify(log.signatures[0], in: log) == .valid, "the signature of 1.0 still verifies at 1.2")
        #expect(last.entry?.signature?.recordDigest == log.recordDigest, "the last entry's signature covers the current record")

        // Editing an earlier part of the record breaks every signature that covers it.
        var edited = log
        edited.history[1].description = "something else"
        #expect(LogSigning.verify(edited.history[1].signature!, in: edited, entryIndex: 1) != .valid)
        #expect(LogSigning.verify(edited.signatures[0], in: edited) != .valid)
    }
}
