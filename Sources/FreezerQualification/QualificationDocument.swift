import Foundation
import FreezerLogRender

/// The Tool Qualification Report as a document, drawn by the log's renderers (Markdown, HTML, PDF).
public enum QualificationDocument {
    public static let code = "TQR"
    public static let title = "freezer Tool Qualification Report"

    public static func build(_ report: QualificationReport) -> Document {
        var b = Builder()
        let s = report.summary
        b.add(.heading(level: 0, text: title))
        b.table("Report", [.init("Field", weight: 1), .init("Value", weight: 3)], [
            .cells(["Tool", "freezer \(report.identity.version) (\(report.identity.build) build)"]),
            .cells(["Date", report.date]),
            .cells(["Machine", "\(report.identity.environment.cpuModel), \(report.identity.environment.cores) cores; \(report.identity.environment.operatingSystem)"]),
            .cells(["Result", s.passed ? "QUALIFIED: every requirement tested, every test passed" : "NOT QUALIFIED: \(s.failedRequirements.joined(separator: ", "))"]),
            .cells(["Record digest", report.recordDigest ?? "not sealed"]),
        ], showsHeader: false)
        summary(report, &b)
        b.add(.pageBreak)
        identity(report, &b)
        specification(report, &b)
        tests(report, &b)
        errorDetection(report, &b)
        limitations(report, &b)
        confidence(report, &b)
        matrix(report, &b)
        if !report.signatures.isEmpty {
            b.add(.heading(level: 1, text: "9 Signatures"))
            b.table("Signatures over the record digest", [.init("Signer"), .init("Key fingerprint", weight: 2, monospace: true), .init("Date")],
                    report.signatures.map { .cells([$0.signer, $0.keyFingerprint, $0.date]) })
        }
        return Document(code: code, title: "Tool Qualification Report", version: report.identity.version, status: s.passed ? "qualified" : "not qualified",
                        reference: "freezer \(report.identity.version) on this machine", date: report.date, blocks: b.blocks)
    }

    static func summary(_ r: QualificationReport, _ b: inout Builder) {
        let s = r.summary
        b.add(.heading(level: 1, text: "1 Summary"))
        b.add(.paragraph("\(s.requirements) requirements, \(s.tests) qualification tests run on this machine in \(String(format: "%.1f", s.seconds)) s: \(s.tests - s.failedTests.count) passed, \(s.failedTests.count) failed; \(s.untestedRequirements.count) requirements without a test."))
        b.table("Requirements by area", [.init("Area", weight: 3), .init("Requirements"), .init("Passed"), .init("Failed or untested")],
                s.byArea.map { .cells([$0.area.title, "\($0.requirements)", "\($0.passed)", "\($0.requirements - $0.passed)"]) }
                    + [.cells(["Total", "\(s.requirements)", "\(s.byArea.map(\.passed).reduce(0, +))", "\(s.failedRequirements.count)"])])
        if !s.failedRequirements.isEmpty {
            b.add(.paragraph("Failed requirements:"))
            b.add(.bullets(s.failedRequirements.map { id in
                let tests = r.tests.filter { !$0.passed && $0.requirements.contains(id) }
                return tests.isEmpty ? "\(id): no test (gap)" : "\(id): " + tests.map { "\($0.id): \($0.actual)" }.joined(separator: "; ")
            }))
        }
        let injected = r.faultInjection.filter { $0.fault != nil }
        b.add(.paragraph("Error detection: \(injected.filter(\.detected).count) of \(injected.count) injected faults detected; \(r.faultInjection.filter { $0.fault == nil && !$0.detected }.count) of \(r.faultInjection.filter { $0.fault == nil }.count) correct frozen models (built by the suite's own fold formula, independently of the passes) accepted. Claimed tool confidence level: \(r.confidence.toolConfidenceLevel)."))
    }

    static func identity(_ r: QualificationReport, _ b: inout Builder) {
        let e = r.identity.environment
        b.add(.heading(level: 1, text: "2 Tool identity"))
        b.table("freezer and the machine it ran on", [.init("Field", weight: 1), .init("Value", weight: 3)], [
            .cells(["Version", "\(r.identity.version) (\(r.identity.build) build)"]),
            .cells(["Executable", r.identity.executable.map { "\($0.path) (\($0.size) bytes)" } ?? "unknown"]),
            .cells(["Executable SHA-256", r.identity.executable?.sha256 ?? "unknown"]),
            .cells(["Operating system", "\(e.operatingSystem); \(e.kernel); \(e.architecture)"]),
            .cells(["CPU", "\(e.cpuModel), \(e.cores) cores, \(e.memoryBytes / (1 << 20)) MiB"]),
            .cells(["CPU features used", e.cpuFeaturesUsed.joined(separator: "\n")]),
            .cells(["Swift", e.swiftRuntime]),
        ], showsHeader: false)
        b.table("Libraries loaded by the process (/proc/self/maps)", [.init("Library", weight: 2), .init("SHA-256", weight: 3, monospace: true)],
                r.identity.libraries.map { .cells([$0.path, $0.sha256]) })
    }

    static func specification(_ r: QualificationReport, _ b: inout Builder) {
        b.add(.pageBreak)
        b.add(.heading(level: 1, text: "3 Specification"))
        b.add(.paragraph("Every requirement with its stable id, collected from the source where it is implemented (the column Source names the declaration); nothing here is written a second time."))
        for (k, area) in Requirement.Area.allCases.enumerated() {
            let rows = r.requirements.filter { $0.area == area }
            guard !rows.isEmpty else { continue }
            b.add(.heading(level: 2, text: "3.\(k + 1) \(area.title)"))
            b.table(area.title, [.init("Id", weight: 1.4), .init("Requirement", weight: 6), .init("Source", weight: 1.5)],
                    rows.map { .cells([$0.id, "\($0.title)\n\($0.statement)", $0.source]) })
        }
    }

    static func tests(_ r: QualificationReport, _ b: inout Builder) {
        b.add(.pageBreak)
        b.add(.heading(level: 1, text: "4 Qualification tests"))
        b.add(.paragraph("Each test ran on this machine on models built by freezer's own code (no files from elsewhere, no Python). The fault-injection rows are in section 5."))
        b.table("Tests, expected and actual results", [.init("Test", weight: 2), .init("Requirements", weight: 1.4), .init("Expected", weight: 3),
                                                        .init("Actual", weight: 3), .init("Result", weight: 0.8), .init("Time", weight: 0.8)],
                r.tests.filter { !$0.id.hasPrefix("QT-FAULT-") }.map(row))
    }

    static func row(_ t: CheckResult) -> Table.Row {
        .cells([t.id, t.requirements.joined(separator: "\n"), t.expected, t.actual, t.passed ? "passed" : "FAILED", String(format: "%.2f s", t.seconds)])
    }

    static func errorDetection(_ r: QualificationReport, _ b: inout Builder) {
        b.add(.pageBreak)
        b.add(.heading(level: 1, text: "5 Error detection"))
        b.add(.paragraph("Each synthetic training export's correct frozen model is built by the suite itself with its own fold formula, independently of the passes (the check must accept it), then each fault a wrong conversion could make is injected into the frozen model (the check must refuse it). Error / bound is the observed error over the criterion's bound: below 1 accepted, above 1 refused."))
        b.table("Fault injection", [.init("Architecture", weight: 2), .init("Fault", weight: 3.5), .init("Detected"), .init("Error / bound"), .init("As expected"), .init("Time")],
                r.faultInjection.map { f in
                    .cells([f.architecture, f.faultDescription, f.detected ? "yes" : "no", String(format: "%.3g", f.ratio), f.asExpected ? "yes" : "NO",
                            String(format: "%.2f s", f.seconds)])
                })
    }

    static func limitations(_ r: QualificationReport, _ b: inout Builder) {
        b.add(.heading(level: 1, text: "6 Known limitations"))
        b.table("What freezer does not handle, and what it does then", [.init("Limitation", weight: 3), .init("What freezer does", weight: 3), .init("Exit"), .init("Specified by", weight: 1.3)],
                r.limitations.map { .cells([$0.subject, $0.behaviour, $0.exitCode.map(String.init) ?? ($0.requirement == nil ? "—" : "(log)"), $0.requirement ?? "—"]) })
        b.add(.paragraph("The reference evaluator runs these \(r.evaluatorOperators.count) operators (at the opset versions it registers; others are refused by name): "
            + r.evaluatorOperators.joined(separator: ", ") + "."))
    }

    static func confidence(_ r: QualificationReport, _ b: inout Builder) {
        let c = r.confidence
        b.add(.pageBreak)
        b.add(.heading(level: 1, text: "7 Confidence argument"))
        b.add(.paragraph("freezer's claim, for the assessor to confirm (ISO 26262-8 clause 11, IEC 61508-3 7.4.4)."))
        b.table("Tool classification", [.init("Item", weight: 1), .init("Claim", weight: 4)], [
            .cells(["Tool impact", c.toolImpact]), .cells(["Tool error detection", c.toolErrorDetection]),
            .cells(["Tool confidence level", c.toolConfidenceLevel]), .cells(["IEC 61508-3 tool class", c.iec61508ToolClass]),
        ], showsHeader: false)
        b.add(.heading(level: 2, text: "7.1 Argument"))
        b.add(.bullets(c.argument))
        b.add(.heading(level: 2, text: "7.2 Conditions of use"))
        b.add(.bullets(c.conditionsOfUse))
    }

    static func matrix(_ r: QualificationReport, _ b: inout Builder) {
        b.add(.pageBreak)
        b.add(.heading(level: 1, text: "8 Traceability matrix"))
        b.table("Requirement → tests → result", [.init("Requirement", weight: 1.5), .init("Tests", weight: 4), .init("Result")], matrixRows(r))
    }

    /// The matrix as table rows (the fault rows of one requirement are counted, not listed).
    public static func matrixRows(_ r: QualificationReport) -> [Table.Row] {
        r.matrix.map { m in
            let faults = m.tests.filter { $0.hasPrefix("QT-FAULT-") }
            let listed = m.tests.filter { !$0.hasPrefix("QT-FAULT-") } + (faults.isEmpty ? [] : ["\(faults.count) fault-injection tests (section 5)"])
            return .cells([m.requirement, listed.isEmpty ? "none" : listed.joined(separator: "\n"), m.outcome == .passed ? "passed" : m.outcome.rawValue.uppercased()])
        }
    }

    /// Numbers tables as the log document does: `Table N. caption`.
    struct Builder {
        var blocks: [Block] = []
        var tables = 0
        mutating func add(_ block: Block) { blocks.append(block) }
        mutating func table(_ caption: String, _ columns: [Table.Column], _ rows: [Table.Row], showsHeader: Bool = true) {
            tables += 1
            add(.table(Table(caption: "Table \(tables). \(caption)", columns: columns, rows: rows, showsHeader: showsHeader)))
        }
    }
}
