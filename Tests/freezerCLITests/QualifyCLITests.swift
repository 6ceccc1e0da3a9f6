import Foundation
import FreezerTestSupport
import Testing
@testable import freezer
import FreezerQualification

@Suite("freezer qualify (end to end)")
struct QualifyCLITests {
    /// The whole suite on this machine: it qualifies, the report is signed, and verify --report checks it.
    @Test func qualifiesAndTheSignedReportVerifies() throws {
        let dir = Fixtures.temporaryDirectory()
        #expect(try CLI.run(["keygen", "-o", dir + "/qa.key"]).status == 0)
        let r = try CLI.run(["qualify", "-o", dir, "--format", "markdown", "--key", dir + "/qa.key", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(summary["passed"] as? Bool == true)
        #expect((summary["untestedRequirements"] as? [String])?.isEmpty == true)
        #expect(FileManager.default.fileExists(atPath: dir + "/tool-qualification-report.md"))
        let verified = try CLI.run(["verify", "--report", dir + "/tool-qualification-report.json", "--public-key", dir + "/qa.key.pub"])
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        let other = try CLI.run(["verify", "--report", dir + "/absent.json"])
        #expect(other.status == 66)
    }

    @Test func aMissingKeyWritesNothing() throws {
        let dir = Fixtures.temporaryDirectory()
        let r = try CLI.run(["qualify", "-o", dir + "/out", "--key", dir + "/absent.key"])
        #expect(r.status == 66, "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/out"))
    }

    /// docs/qualification.md is generated (scripts/update-qualification-docs.sh); it must list exactly the
    /// source's requirements in its matrix, the CLI's own refusal rules included.
    @Test func docsListEveryRequirement() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("docs/qualification.md"), encoding: .utf8)
        let matrix = try #require(text.range(of: "## 8 Traceability matrix")).upperBound
        let listed = text[matrix...].split(separator: "\n").compactMap { line -> String? in
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            return cells.count == 3 && cells[0].first?.isLetter == true && cells[0] == cells[0].uppercased() ? cells[0] : nil
        }
        #expect(listed == Specification.requirements(commandLine: QualifyCommand.commandLineRules).map(\.id), "docs/qualification.md is stale: run scripts/update-qualification-docs.sh")
    }

    /// The CLI's own refusal rules are requirements with a test each, like the library's.
    @Test func everyCommandLineRuleHasItsTest() {
        let rules = QualifyCommand.commandLineRules
        let tests = QualificationSuite.testsByRequirement(commandLine: rules)
        let ids = Specification.requirements(commandLine: rules).map(\.id)
        #expect(Set(ids).count == ids.count, "duplicate requirement ids")
        for rule in rules {
            #expect(ids.contains(rule.id))
            #expect(!(tests[rule.id] ?? []).isEmpty, "\(rule.id) has no qualification test")
        }
    }
}
