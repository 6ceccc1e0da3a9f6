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
            message names each); 66 the key is missing; 73 DIR or a file cannot be written.
            """
    )

    @Option(name: .shortAndLong, help: "Directory for the report (created if missing; default: the current directory).")
    var output: String = "."

    @Option(help: "Document format: pdf, html, markdown or json (the record only).")
    var format: ReportFormat = .pdf

    @Option(help: "Private key file (from `freezer keygen`) that signs the report.")
    var key: String?

    @Option(name: .customLong("by"), help: "Signer's name for --key (default: the key's fingerprint).")
    var signer: String?

    @Flag(help: "Print the summary as JSON on stdout.")
    var json = false

    func run() throws {
        try runReportingErrors { try qualify() }
    }

    private func qualify() throws {
        let privateKey = try key.map { try KeyFiles.readPrivateKey($0) }
        let start = ContinuousClock.now
        let identity = ToolIdentity.measure()
        let (results, faults) = try QualificationSuite.run(exitCode: { ExitStatus.code(for: $0) }) { result in
            if !result.passed { printToStandardError("FAILED \(result.id) (\(result.requirements.joined(separator: ", "))): \(result.actual)") }
        }
        var report = QualificationReport(date: LogWorkflow.stamp(Date()), identity: identity, requirements: Specification.requirements(),
                                         tests: results, faultInjection: faults, seconds: (ContinuousClock.now - start).seconds)
        try report.seal(key: privateKey, signer: signer)
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        var written = [try write(Array(try report.json()), name: "tool-qualification-report.json")]
        if let render = format.renderFormat {
            written.append(try write(LogRenderer.render(QualificationDocument.build(report), as: render), name: "tool-qualification-report.\(render.fileExtension)"))
        }
        let s = report.summary
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(s), as: UTF8.self))
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
