import ArgumentParser
import Crypto
import Foundation
import FreezerConvert
import FreezerIntegrity
import FreezerLog
import FreezerQualification
import FreezerVerify

/// `freezer verify`: checks a frozen model and its data files against its log, the log against its
/// own digest, every signature, and optionally the original model and the equivalence.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that a frozen model, its data files and its conversion log are unchanged and belong together.",
        discussion: """
            Checks, and prints as a checklist (--json for machines):
              - the log parses, its schema version is supported, and the file is byte-for-byte as freezer wrote it;
              - the record hashes to its recordDigest ("record digest mismatch: the log was modified after it was written");
              - document version and status agree with the history;
              - the frozen model's SHA-256 and each external data file's SHA-256 (frozenModel.file in the log);
              - the frozen model's metadata_props freezer.conversion_id and freezer.verified_learning_model_sha256;
              - with --original: the verified learning model's SHA-256 and data files (modelConversion.verifiedLearningModel);
              - every signature (in `signatures` and on history entries) against the record it covers;
              - with --public-key (repeatable): every signature is by one of these keys, and one of them
                covers the current record;
              - with --reverify (needs --original): the equivalence check again, with the log's recorded
                seed, samples, input shapes or inputs, and tolerances (per-type defaults when not recorded).

            With --report instead of FROZEN and --log: checks a Tool Qualification Report \
            (tool-qualification-report.json from `freezer qualify`): its record digest and every signature, \
            and with --public-key that the signatures are by those keys.

            Examples:
              freezer verify frozen.onnx --log frozen.conversion-log.json
              freezer verify --report qualification/tool-qualification-report.json --public-key qa.key.pub
              freezer verify frozen.onnx --log frozen.conversion-log.json --public-key qa.key.pub --original model.onnx --reverify

            Exit codes: 0 every check passed; 6 integrity failure: a file, the log or a signature does not \
            match (the checklist names what changed, expected and actual digest); 4 --reverify: not \
            equivalent; 64 usage; 65 a --public-key file is not a key; 66 the frozen model, log or a key is \
            missing. See `freezer --help`.
            """
    )

    @Argument(help: "The frozen model (.onnx); its external data files are found beside it.")
    var frozen: String?

    @Option(help: "The conversion log (JSON).")
    var log: String?

    @Option(help: "A Tool Qualification Report (JSON) to check instead of a frozen model and its log.")
    var report: String?

    @Option(name: .customLong("public-key"), parsing: .singleValue, help: ArgumentHelp("A trusted public key (NAME.pub from `freezer keygen`); repeatable.", valueName: "key.pub"))
    var publicKeys: [String] = []

    @Option(help: "The verified learning model the frozen model was converted from.")
    var original: String?

    @Flag(help: "Re-run the equivalence check of the original and the frozen model (requires --original).")
    var reverify = false

    @Option(help: "Threads for the matrix products of --reverify.")
    var threads: Int = 1

    @Flag(help: "Print the report as JSON.")
    var json = false

    /// The refusal rule of the checks below, as a requirement of `freezer qualify`'s specification.
    static let refusalRules = [
        CommandLineRule(id: "REF-USAGE-VERIFY", statement: "`verify` given --report together with FROZEN, --log or --original, FROZEN without --log, or --reverify without --original is refused with a message that says what to give; exit 64; nothing is checked or written.",
                        exitCode: 64, source: "freezer.VerifyCommand.refusalRules", example: ["verify", "--report", "{dir}/report.json", "--log", "{dir}/frozen.conversion-log.json"], mentions: "--report"),
    ]

    func validate() throws {
        if report != nil && (frozen != nil || log != nil || original != nil) {
            throw ValidationError("--report checks a qualification report on its own; give it without FROZEN, --log or --original")
        }
        if report == nil && (frozen == nil || log == nil) { throw ValidationError("give FROZEN and --log LOG (or --report REPORT)") }
        if reverify && original == nil { throw ValidationError("--reverify needs --original MODEL: the equivalence check runs the original model") }
    }

    func run() throws {
        try runReportingErrors {
            let keys = try publicKeys.map { (path: $0, key: try KeyFiles.readPublicKey($0)) }
            if let path = self.report { return try verifyReport(path, trusted: keys.map(\.key)) }
            guard let frozen, let log else { return }
            var (report, decoded) = try ArtifactVerifier.verify(.init(frozenModel: frozen, log: log, trustedKeys: keys, originalModel: original))
            if reverify, let original, let decoded {
                addReverification(decoded, original: original, frozen: frozen, into: &report)
            }
            if json {
                try JSONOutput.print(report)
            } else {
                print(VerifyReportText.render(report), terminator: "")
            }
            if !report.integrityHolds { throw IntegrityFailure(report: report) }
            if report.equivalenceFailed { throw IntegrityFailure(report: report) }
        }
    }

    /// `--report`: the qualification report's record digest and signatures.
    private func verifyReport(_ path: String, trusted: [Curve25519.Signing.PublicKey]) throws {
        let (checked, failures) = try QualificationReport.read(path).integrityFailures(trusted: trusted)
        if json {
            try JSONOutput.print(["report": [path], "passed": checked, "failed": failures])
        } else {
            for line in checked { print("  ok      \(line)") }
            for line in failures { print("  FAILED  \(line)") }
        }
        if !failures.isEmpty { throw ReportIntegrityFailure(path: path, failures: failures) }
    }

    /// The equivalence re-run; skipped when the original's digest already failed (it is not the model converted).
    private func addReverification(_ log: ConversionLog, original: String, frozen: String, into report: inout IntegrityReport) {
        if report.checks.contains(where: { ($0.kind == "originalModel" || $0.kind == "originalDataFile") && $0.status == .failed }) {
            report.add("equivalence", original, .skipped, "not re-run: the original model is not the one the log records")
            return
        }
        do {
            let result = try Reverification.run(log: log, original: original, frozen: frozen, threads: threads)
            let record = EquivalenceRecord.make(result)
            if result.verdict == .equivalent {
                report.add("equivalence", "\(result.samples.count) sample(s)", .passed, "re-run: " + record.statement)
            } else {
                let bad = result.outputs.filter { !$0.passed }.map { "'\($0.name)': \($0.reason)" }
                report.add("equivalence", "\(result.samples.count) sample(s)", .failed, "re-run: NOT equivalent: " + bad.joined(separator: "; "))
            }
        } catch {
            report.add("equivalence", original, .failed, "the equivalence check could not be re-run: \(error)")
        }
    }
}

/// `verify` found a difference; the checklist was printed, this is the one-paragraph error.
struct IntegrityFailure: Error, CustomStringConvertible {
    var report: IntegrityReport
    var description: String {
        let integrity = report.failures.filter { $0.kind != "equivalence" }
        let head = integrity.isEmpty ? "verification failed: the frozen model is not equivalent to the original"
            : "integrity check failed (\(integrity.count) problem\(integrity.count == 1 ? "" : "s")):"
        return ([head] + report.failures.map { "  - " + VerifyReportText.line($0) }).joined(separator: "\n")
    }
}

/// `verify --report` found the qualification report changed or a signature that does not hold.
struct ReportIntegrityFailure: Error, CustomStringConvertible {
    var path: String
    var failures: [String]
    var description: String {
        (["integrity check of the qualification report '\(path)' failed:"] + failures.map { "  - " + $0 }).joined(separator: "\n")
    }
}
