import Crypto
import Foundation
import FreezerConvert
import FreezerIntegrity
import FreezerLog
import FreezerONNX

/// Qualification tests of whole conversions from files: what is written (atomically, deterministically),
/// what the log holds, and that `verify` and the review workflow keep their promises on it.
///
/// The subject has Dropout and a training switch but no BatchNormalization, so a broken fold fails the
/// fold's own tests, not these.
enum ConversionChecks {
    static let subject = PassSubject.trainingSwitch()
    static let responsible = "freezer qualify"

    /// Writes the subject as a training export and converts it into `directory`; returns the outcome.
    static func convert(_ context: QualificationContext, into directory: String, threads: Int = 1) throws -> Conversion.Outcome {
        let export = context.path("switch-export.onnx")
        if !FileManager.default.fileExists(atPath: export) { _ = try ModelSaver.save(subject.model, to: export) }
        try FileManager.default.createDirectory(atPath: context.path(directory), withIntermediateDirectories: true)
        let options = ConversionOptions(input: export, output: context.path("\(directory)/frozen.onnx"), modelID: "QUALIFY",
                                        modelVersion: "1", responsible: responsible, samples: 4, threads: threads)
        return try Conversion.run(options, commandLine: ["freezer", "convert", export, "-o", options.output])
    }

    /// Changes the log's responsible in its file by hand, as a tamperer would (the record digest no longer holds).
    static func editResponsibleByHand(_ logPath: String) throws {
        let text = try String(contentsOfFile: logPath, encoding: .utf8)
        try text.replacingOccurrences(of: "\"\(responsible)\"", with: "\"someone else\"").write(toFile: logPath, atomically: true, encoding: .utf8)
    }

    static func all() -> [QualificationCheck] {
        [
            QualificationCheck(id: "QT-SAVE-ATOMIC-OUTPUTS", requirements: ["SAVE-ATOMIC"],
                               expected: "after a conversion the output directory holds exactly the frozen model and its log, no temporary") { context in
                let outcome = try convert(context, into: "atomic")
                let names = try FileManager.default.contentsOfDirectory(atPath: context.path("atomic")).sorted()
                let expected = [Self.fileName(outcome.saved.path), Self.fileName(outcome.logPath)].sorted()
                try require(names == expected, "the directory holds \(names), expected \(expected)")
                return "the directory holds \(names.joined(separator: ", ")) only"
            },
            QualificationCheck(id: "QT-SAVE-DETERMINISTIC", requirements: ["SAVE-DETERMINISTIC"],
                               expected: "two conversions of the same export (1 and 2 threads) write byte-identical frozen models") { context in
                let first = try convert(context, into: "run1"), second = try convert(context, into: "run2", threads: 2)
                try require(first.saved.sha256 == second.saved.sha256, "SHA-256 \(first.saved.sha256) vs \(second.saved.sha256)")
                return "both frozen models have SHA-256 \(first.saved.sha256)"
            },
            QualificationCheck(id: "QT-LOG-CONTENT", requirements: [ConversionLog.requirement.id],
                               expected: "the log's digests equal the files' digests; Dropout changes, command line, options, environment, per-output errors and record digest recorded") { context in
                let outcome = try convert(context, into: "content")
                let log = outcome.log, conversion = log.modelConversion
                let input = try FileDigest.sha256(ofFile: context.path("switch-export.onnx"))
                let frozen = try FileDigest.sha256(ofFile: outcome.saved.path)
                try require(conversion.verifiedLearningModel.sha256 == input.sha256, "input digest \(conversion.verifiedLearningModel.sha256) ≠ file \(input.sha256)")
                try require(log.frozenModel.file.sha256 == frozen.sha256, "frozen digest \(log.frozenModel.file.sha256) ≠ file \(frozen.sha256)")
                let dropout = conversion.eliminationOfTrainingSpecificOperations.first { $0.category == "dropout" }
                try require(dropout.map { !$0.changes.isEmpty && $0.changes.allSatisfy { !$0.pass.isEmpty } } == true, "no Dropout change with its pass recorded")
                let converter = conversion.loadingAndConverting.converter
                try require(converter.commandLine.first == "freezer" && !converter.options.isEmpty && !converter.pipeline.isEmpty, "command line, options or pipeline missing")
                try require(!conversion.loadingAndConverting.environmentInformation.operatingSystem.isEmpty, "environment missing")
                try require(!log.equivalence.outputs.isEmpty && log.equivalence.verdict == "equivalent", "per-output equivalence missing (verdict \(log.equivalence.verdict))")
                try require(log.recordDigest == (try RecordDigest.of(log)), "recordDigest does not cover the record")
                return "digests match the files; \(dropout?.changes.count ?? 0) Dropout change(s); \(converter.options.count) options; \(log.equivalence.outputs.count) output(s) with errors; record digest \(log.recordDigest ?? "")"
            },
            QualificationCheck(id: "QT-LOG-INTEGRITY", requirements: [ArtifactVerifier.requirement.id],
                               expected: "verify passes the outputs as written and a signed log; fails on one changed byte of the frozen model, on a changed log field, and names each") { context in
                let outcome = try convert(context, into: "integrity")
                let key = Curve25519.Signing.PrivateKey()
                _ = try LogWorkflow.sign(path: outcome.logPath, key: key, signer: "qualification key")
                let trusted = [(path: "qualification key", key: key.publicKey)]
                let (intact, _) = try ArtifactVerifier.verify(.init(frozenModel: outcome.saved.path, log: outcome.logPath, trustedKeys: trusted))
                try require(intact.integrityHolds, "verify fails on untouched outputs: \(intact.failures.map(\.detail))")
                var model = try Data(contentsOf: URL(fileURLWithPath: outcome.saved.path))
                model[model.count / 2] ^= 0x01
                try model.write(to: URL(fileURLWithPath: outcome.saved.path))
                let (changedModel, _) = try ArtifactVerifier.verify(.init(frozenModel: outcome.saved.path, log: outcome.logPath, trustedKeys: trusted))
                try require(!changedModel.integrityHolds && changedModel.failures.contains { $0.subject == outcome.saved.path }, "a changed frozen model passed verify")
                try editResponsibleByHand(outcome.logPath)
                let (changedLog, _) = try ArtifactVerifier.verify(.init(frozenModel: outcome.saved.path, log: outcome.logPath, trustedKeys: trusted))
                try require(changedLog.failures.contains { $0.kind == "recordDigest" }, "a changed log field passed the record digest check")
                return "intact: \(intact.checks.count) checks passed; changed model: \(changedModel.failures.map(\.kind).joined(separator: ", ")) failed; changed log: \(changedLog.failures.map(\.kind).joined(separator: ", ")) failed"
            },
            QualificationCheck(id: "QT-LOG-REVIEW", requirements: [ConversionLog.reviewRequirement.id],
                               expected: "review → 0.2; self-approval refused (exit 7, log unchanged); approval → 1.0 approved; review of the approved log refused (exit 7, log unchanged)") { context in
                let path = try convert(context, into: "review").logPath
                let reviewed = try LogWorkflow.review(path: path, by: "Reviewer", description: "Qualification review", change: "none", key: nil)
                try require(reviewed.log.document.version == "0.2", "review made version \(reviewed.log.document.version)")
                try refused(context, path: path, exit: 7, "self-approval") {
                    _ = try LogWorkflow.approve(path: path, by: responsible, allowSelfApproval: false, key: nil)
                }
                let approved = try LogWorkflow.approve(path: path, by: "Approver", allowSelfApproval: false, key: nil)
                try require(approved.log.document.version == "1.0" && approved.log.document.status == "approved",
                            "approval made \(approved.log.document.version) \(approved.log.document.status)")
                try refused(context, path: path, exit: 7, "a review of the approved log") {
                    _ = try LogWorkflow.review(path: path, by: "Reviewer", description: "late", change: "none", key: nil)
                }
                return "0.1 → 0.2 → 1.0 approved; self-approval and late review refused with exit 7, file unchanged"
            },
        ]
    }

    /// Runs `body`, which must fail with exit code `exit` and leave the file at `path` byte for byte.
    static func refused(_ context: QualificationContext, path: String, exit: Int32, _ what: String, _ body: () throws -> Void) throws {
        let before = try FileDigest.sha256(ofFile: path).sha256
        do {
            try body()
        } catch {
            let code = context.exitCode(error)
            try require(code == exit, "\(what) ended with exit \(code), expected \(exit): \(error)")
            try require(try FileDigest.sha256(ofFile: path).sha256 == before, "\(what) changed the file")
            return
        }
        throw CheckFailure("\(what) was accepted")
    }

    static func fileName(_ path: String) -> String { String(path.split(separator: "/").last ?? "") }
}
