import Crypto
import Foundation
import FreezerConvert
import FreezerIntegrity
import FreezerONNX

/// Qualification tests of refusal rules through the installed freezer, run as a user runs it: usage
/// errors of `convert`, the failures of `verify`, and `compare` on a faulty model. Each must end with the
/// rule's exit code, print a message that names the culprit, and write nothing.
enum CLIRefusalChecks {
    static func all() -> [QualificationCheck] {
        let zeros = String(repeating: "0", count: 64)
        return [
            convert("REF-BAD-OPTION", "convert --rtol=-0.001 (a negative tolerance)", extra: ["--rtol=-0.001"], mentions: "--rtol"),
            convert("REF-USAGE-INPUT-SHAPE", "convert --input-shape input=4xA", extra: ["--input-shape", "input=4xA"], mentions: "input=4xA"),
            convert("REF-USAGE-CONFLICT", "convert with --log naming the -o path", extra: { ["--log", $0] }, mentions: "-o and --log"),
            convert("REF-USAGE-IDENTITY", "convert --responsible \"\"", responsible: "", mentions: "--responsible"),
            convert("REF-DIGEST-MISMATCH", "convert --expect-sha256 of another file", extra: ["--expect-sha256", zeros], mentions: zeros),
            verifyMissing(), verifyTampered(), verifyUntrustedKey(), compareNotEquivalent(),
        ]
    }

    static func exit(_ id: String) -> Int32 { Specification.refusalExitCodes[id] ?? -1 }

    /// `freezer convert` of a small export with the standard required options and `extra`; `extra`'s
    /// closure gets the -o path.
    static func convert(_ id: String, _ input: String, extra: @escaping @Sendable (String) -> [String] = { _ in [] }, responsible: String = "freezer qualify",
                        mentions: String) -> QualificationCheck {
        let code = exit(id)
        return QualificationCheck(id: "QT-\(id)-CLI", requirements: [id],
                                  expected: "freezer \(input): exit \(code), the message names '\(mentions)', the output directory stays empty") { context in
            let name = id.lowercased()
            let model = context.path("\(name).onnx"), directory = context.path("\(name)-out")
            _ = try ModelSaver.save(PassSubject.identities().model, to: model)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let output = directory + "/frozen.onnx"
            let run = try context.freezer().run(["convert", model, "-o", output, "--model-id", "QUALIFY", "--model-version", "1",
                                                 "--responsible", responsible, "--samples", "2"] + extra(output))
            return try refused(run, exit: code, mentions: mentions, leaving: directory)
        }
    }

    static func convert(_ id: String, _ input: String, extra: [String], mentions: String) -> QualificationCheck {
        convert(id, input, extra: { _ in extra }, mentions: mentions)
    }

    /// A refusal rule of the CLI itself: its example must end with the rule's exit code and name the culprit.
    static func usage(_ rule: CommandLineRule) -> QualificationCheck {
        QualificationCheck(id: "QT-\(rule.id)", requirements: [rule.id],
                           expected: "freezer \(rule.example.joined(separator: " ")): exit \(rule.exitCode), the message names '\(rule.mentions)', nothing written") { context in
            let directory = context.path(rule.id.lowercased())
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let run = try context.freezer().run(rule.example.map { $0.replacingOccurrences(of: "{dir}", with: directory) })
            return try refused(run, exit: rule.exitCode, mentions: rule.mentions, leaving: directory)
        }
    }

    /// What every refused command line must show: the rule's exit code, a message that names `mentions`,
    /// and nothing written into `directory`. Returns the result line of the test.
    static func refused(_ run: FreezerProcess.Finished, exit code: Int32, mentions: String, leaving directory: String) throws -> String {
        try require(run.status == code, "exit \(run.status), expected \(code): \(run.text)")
        try require(run.standardError.contains(mentions), "the message does not name '\(mentions)': \(run.standardError)")
        let left = try FileManager.default.contentsOfDirectory(atPath: directory)
        try require(left.isEmpty, "written: \(left.joined(separator: ", "))")
        return "exit \(run.status): \(firstLine(run.standardError))"
    }

    static func verifyMissing() -> QualificationCheck {
        let id = "REF-VERIFY-MISSING", code = exit(id)
        return QualificationCheck(id: "QT-\(id)", requirements: [id], expected: "freezer verify of a frozen model and log that do not exist: exit \(code), the message names the path") { context in
            let run = try context.freezer().run(["verify", context.path("absent.onnx"), "--log", context.path("absent.conversion-log.json")])
            try require(run.status == code, "exit \(run.status), expected \(code): \(run.text)")
            try require(run.standardError.contains(context.path("absent")), "the message does not name the missing path: \(run.standardError)")
            return "exit \(run.status): \(firstLine(run.standardError))"
        }
    }

    static func verifyTampered() -> QualificationCheck {
        let id = "REF-VERIFY-TAMPERED", code = exit(id)
        return QualificationCheck(id: "QT-\(id)", requirements: [id],
                                  expected: "freezer verify after the log's responsible was changed: exit \(code), the checklist fails recordDigest with both digests") { context in
            let outcome = try ConversionChecks.convert(context, into: "verify-tampered")
            try ConversionChecks.editResponsibleByHand(outcome.logPath)
            let run = try context.freezer().run(["verify", outcome.saved.path, "--log", outcome.logPath])
            try require(run.status == code, "exit \(run.status), expected \(code): \(run.text)")
            let line = run.standardOutput.split(separator: "\n").first { $0.contains("recordDigest") && $0.contains("FAIL") }
            try require(line.map { $0.contains("expected") && $0.contains("actual") } == true, "no failed recordDigest line with both digests: \(run.text)")
            return "exit \(run.status): \(line.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? "")"
        }
    }

    static func verifyUntrustedKey() -> QualificationCheck {
        let id = "REF-VERIFY-UNTRUSTED-KEY", code = exit(id)
        return QualificationCheck(id: "QT-\(id)", requirements: [id],
                                  expected: "freezer verify --public-key B of a log signed only by key A: exit \(code), the checklist says no trusted key signed it") { context in
            let outcome = try ConversionChecks.convert(context, into: "verify-untrusted")
            _ = try LogWorkflow.sign(path: outcome.logPath, key: Curve25519.Signing.PrivateKey(), signer: "key A")
            let other = context.path("key-b.pub")
            try Data(KeyFiles.publicKeyText(Curve25519.Signing.PrivateKey().publicKey).utf8).write(to: URL(fileURLWithPath: other))
            let run = try context.freezer().run(["verify", outcome.saved.path, "--log", outcome.logPath, "--public-key", other])
            try require(run.status == code, "exit \(run.status), expected \(code): \(run.text)")
            let line = run.standardOutput.split(separator: "\n").first { $0.contains("trustedKey") && $0.contains("FAIL") }
            try require(line != nil, "no failed trustedKey line: \(run.text)")
            return "exit \(run.status): \(line.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? "")"
        }
    }

    /// REF-NOT-EQUIVALENT whole: `freezer compare` of an export and a faulty copy of its correct frozen model
    /// (both built here, the copy by the suite's own fold formula with the fold's bias dropped).
    static func compareNotEquivalent() -> QualificationCheck {
        let id = "REF-NOT-EQUIVALENT", code = exit(id)
        return QualificationCheck(id: "QT-\(id)", requirements: [id],
                                  expected: "freezer compare of the MLP export and its correct frozen model: exit 0; of the export and a copy whose fold lost its bias: exit \(code), saying not equivalent") { context in
            let subject = SyntheticModel.mlp()
            let original = context.path("compare-export.onnx"), correct = context.path("compare-frozen.onnx"), faulty = context.path("compare-faulty.onnx")
            _ = try ModelSaver.save(subject.model, to: original)
            _ = try ModelSaver.save(subject.reference, to: correct)
            _ = try ModelSaver.save(try Fault.biasDropped.inject(into: subject.reference, original: subject.model, subject: subject), to: faulty)
            let freezer = try context.freezer()
            let accepted = try freezer.run(["compare", original, correct, "--samples", "2"])
            try require(accepted.status == 0, "the correct frozen model: exit \(accepted.status), expected 0: \(accepted.text)")
            let refused = try freezer.run(["compare", original, faulty, "--samples", "2"])
            try require(refused.status == code, "the faulty model: exit \(refused.status), expected \(code): \(refused.text)")
            try require(refused.text.lowercased().contains("not equivalent"), "compare does not say the models are not equivalent: \(refused.text)")
            return "correct: exit 0; faulty: exit \(refused.status)"
        }
    }

    static func firstLine(_ text: String) -> String {
        let line = text.split(separator: "\n").first.map(String.init) ?? ""
        return line.count > 200 ? line.prefix(200) + "…" : line
    }
}
