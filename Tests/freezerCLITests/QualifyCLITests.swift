import Foundation
import FreezerTestSupport
import Testing

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
}
