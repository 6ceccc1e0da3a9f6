import Crypto
import Foundation
import FreezerLogRender
import Testing
@testable import FreezerQualification

@Suite("Tool Qualification Report")
struct QualificationReportTests {
    static func report() -> QualificationReport {
        let requirements = Specification.requirements()
        let tests = requirements.map { CheckResult(id: "QT-\($0.id)", requirements: [$0.id], expected: "e", actual: "a", passed: true, seconds: 0.5) }
        return QualificationReport(date: "2026-01-01T00:00:00Z", identity: ToolIdentity.measure(), requirements: requirements,
                                   tests: tests, faultInjection: [], seconds: 1)
    }

    @Test func identityNamesTheExecutableAndTheLibrariesItLoaded() throws {
        let identity = ToolIdentity.measure()
        let exe = try #require(identity.executable)
        #expect(exe.sha256.count == 64 && exe.size > 0)
        #expect(identity.libraries.contains { $0.path.contains("libopenblas") }, "\(identity.libraries.map(\.path))")
        #expect(identity.libraries.contains { $0.path.contains("libswiftCore") })
    }

    @Test func signedReportVerifiesAndAnyChangeIsNamed() throws {
        var report = Self.report()
        let key = Curve25519.Signing.PrivateKey()
        // A fault refused without a finite ratio is written as "inf" and read back.
        report.faultInjection = [FaultInjection.Row(architecture: "A", fault: .biasDropped, faultDescription: "d", detected: true, asExpected: true,
                                                    ratio: .infinity, samples: 8, seconds: 0)]
        try report.seal(key: key, signer: "QA")
        let decoded = try QualificationReport.decoder().decode(QualificationReport.self, from: try report.json())
        #expect(decoded.faultInjection.first?.ratio == .infinity)
        #expect(decoded.integrityFailures(trusted: [key.publicKey]).failures.isEmpty)
        var changed = decoded
        changed.tests[0].passed = false
        let failures = changed.integrityFailures().failures
        #expect(failures.contains { $0.contains("record digest mismatch") })
        #expect(failures.contains { $0.contains("signature by QA") })
        #expect(!decoded.integrityFailures(trusted: [Curve25519.Signing.PrivateKey().publicKey]).failures.isEmpty)
    }

    @Test func documentHasEverySectionAndTheMatrix() {
        let markdown = MarkdownRenderer.render(QualificationDocument.build(Self.report()))
        for heading in ["1 Summary", "2 Tool identity", "3 Specification", "4 Qualification tests", "5 Error detection", "6 Known limitations",
                        "7 Confidence argument", "8 Traceability matrix"] {
            #expect(markdown.contains("## \(heading)"), "missing section \(heading)")
        }
        #expect(markdown.contains("| PASS-FOLD-BN | QT-PASS-FOLD-BN | passed |"))
        let pdf = LogRenderer.render(QualificationDocument.build(Self.report()), as: .pdf)
        #expect(pdf.starts(with: Array("%PDF-".utf8)))
    }
}
