import ArgumentParser
import Foundation
import FreezerIntegrity
import FreezerLogRender
import FreezerONNX
import FreezerQualification

/// `freezer qualify`: runs the qualification suite with this freezer on this machine and writes the
/// Tool Qualification Report.
struct QualifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qualify",
        abstract: "Run the qualification suite on this machine and write the Tool Qualification Report.",
        discussion: """
            The report holds freezer's identity (version, SHA-256 of the executable and of every library it \
            loaded, CPU features, OS), the specification (every requirement with its stable id, collected \
            from the source), the qualification tests with expected and actual results and times, the \
            fault-injection results, the known limitations, the confidence argument (ISO 26262-8 TI/TD/TCL, \
            IEC 61508-3 tool class, conditions of use) and the requirement → tests → result matrix. Every \
            model is built by freezer's own code while the suite runs; nothing is downloaded.

            DIR receives tool-qualification-report.json (the record, with its record digest and, with --key, \
            an Ed25519 signature; `freezer verify --report` checks it) and, unless --format json, the document \
            tool-qualification-report.md, .html or .pdf.

            Examples:
              freezer qualify -o qualification --format pdf --key erika.key
              freezer qualify --json            (summary for CI on stdout)

            Exit codes: 0 qualified; 8 a qualification test failed or a requirement has no test (the \
            message names each; the report is still written); 65 the key file is not a private key; 66 the \
            key is missing; 73 DIR does not exist or a file cannot be written.
            """
    )

    @Option(name: .shortAndLong, help: "Existing directory for the report (default: the current directory).")
    var output: String = "."

    @Option(help: "Document format: pdf, html, markdown or json (the record only).")
    var format: ReportFormat = .pdf

    @Option(help: "Private key file (from `freezer keygen`) that signs the report.")
    var key: String?

    @Option(name: .customLong("by"), help: "Signer's name for --key (default: the key's fingerprint).")
    var signer: String?

    @Flag(help: "Print the summary as JSON on stdout.")
    var json = false

    /// The CLI's own refusal rules, stated beside the checks they specify.
    static let commandLineRules = Freezer.refusalRules + RunCommand.refusalRules + VerifyCommand.refusalRules

    func run() throws {
        try runReportingErrors { try qualify() }
    }

    private func qualify() throws {
        let privateKey = try key.map { try KeyFiles.readPrivateKey($0) }
        // Checked before the suite runs, as the first write would check it.
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ModelSaveError.missingDirectory(output)
        }
        let start = ContinuousClock.now
        let identity = ToolIdentity.measure()
        let (results, faults) = try QualificationSuite.run(executable: identity.executable?.path, commandLine: Self.commandLineRules, exitCode: { ExitStatus.code(for: $0) }) { result in
            if !result.passed { printToStandardError("FAILED \(result.id) (\(result.requirements.joined(separator: ", "))): \(result.actual)") }
        }
        var report = QualificationReport(date: LogWorkflow.stamp(Date()), identity: identity, requirements: Specification.requirements(commandLine: Self.commandLineRules),
                                         tests: results, faultInjection: faults, seconds: (ContinuousClock.now - start).seconds)
        try report.seal(key: privateKey, signer: signer)
        // Everything is rendered before the first write, so a failure leaves no half set of files.
        var files = [("tool-qualification-report.json", Array(try report.json()))]
        if let render = format.renderFormat {
            files.append(("tool-qualification-report.\(render.fileExtension)", LogRenderer.render(QualificationDocument.build(report), as: render)))
        }
        let written = try files.map { try write($0.1, name: $0.0) }
        let s = report.summary
        if json {
            try JSONOutput.print(s)
        } else {
            print("\(s.passed ? "QUALIFIED" : "NOT QUALIFIED"): \(s.requirements) requirements, \(s.tests) tests, \(s.failedTests.count) failed, \(s.untestedRequirements.count) untested, \(String(format: "%.1f", s.seconds)) s")
            for area in s.byArea { print("  \(area.area.title): \(area.passed) of \(area.requirements) requirements passed") }
            for path in written { print("Wrote \(path)") }
        }
        if !s.passed { throw QualificationFailure(requirements: s.failedRequirements, untested: s.untestedRequirements) }
    }

    private func write(_ bytes: [UInt8], name: String) throws -> String {
        let path = (output as NSString).appendingPathComponent(name)
        try FileWriter.write(bytes, to: path)
        return path
    }
}

/// The formats of the report: the log's document formats, or the JSON record alone.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case pdf, html, markdown, json

    var renderFormat: RenderFormat? { RenderFormat(rawValue: rawValue) }
}

/// `freezer qualify` found a failed or untested requirement.
struct QualificationFailure: Error, CustomStringConvertible {
    var requirements: [String]
    var untested: [String]
    var description: String {
        "qualification failed: requirement\(requirements.count == 1 ? "" : "s") \(requirements.joined(separator: ", "))"
            + (untested.isEmpty ? "" : " (without a test: \(untested.joined(separator: ", ")))")
            + ". The report lists each failed test with its expected and actual result; do not use this freezer in a safety lifecycle until it qualifies."
    }
}
