import Foundation
import Testing
@testable import FreezerQualification

/// The specification and the suite stay traced to each other: a requirement that loses its last test,
/// a test naming an unknown requirement, or an id used twice fails here, before `freezer qualify` runs.
@Suite("Traceability of requirements and qualification tests")
struct TraceabilityTests {
    @Test func everyRequirementHasAtLeastOneQualificationTest() {
        let tests = QualificationSuite.testsByRequirement()
        for requirement in Specification.requirements() {
            #expect(!(tests[requirement.id] ?? []).isEmpty, "requirement \(requirement.id) (\(requirement.title)) has no qualification test")
        }
    }

    @Test func everyTestNamesKnownRequirementsOnly() {
        let known = Set(Specification.requirements().map(\.id))
        for check in QualificationSuite.checks() {
            #expect(!check.requirements.isEmpty, "\(check.id) names no requirement")
            for id in check.requirements { #expect(known.contains(id), "\(check.id) names unknown requirement \(id)") }
        }
    }

    @Test func idsAreUniqueAndStable() {
        let requirements = Specification.requirements().map(\.id)
        #expect(Set(requirements).count == requirements.count, "duplicate requirement ids: \(requirements)")
        let tests = QualificationSuite.checks().map(\.id) + QualificationSuite.faultTestIDs()
        #expect(Set(tests).count == tests.count, "duplicate test ids")
        for id in requirements { #expect(id.allSatisfy { $0.isUppercase || $0.isNumber || $0 == "-" }, "\(id) is not an UPPER-CASE id") }
    }

    /// Every pass of the standard pipeline is a requirement (its documentation is the requirement).
    @Test func everyPassIsARequirement() {
        let passes = Specification.requirements().filter { $0.area == .passes && $0.source.hasSuffix(".documentation") }
        #expect(passes.count == 12)
        #expect(passes.contains { $0.id == "PASS-FOLD-BN" && $0.statement.contains("Formula: a_c = scale_c / √(var_c + ε)") })
    }

    /// The matrix marks a requirement without a test as untested and the report as failed, naming it.
    @Test func aRequirementWithoutATestFailsTheReport() throws {
        var requirements = Specification.requirements()
        requirements.append(Requirement(id: "GAP-EXAMPLE", area: .log, title: "gap", statement: "untested", source: "here"))
        let tests = [CheckResult(id: "QT-X", requirements: [requirements[0].id], expected: "", actual: "", passed: true, seconds: 0)]
        let report = QualificationReport(date: "2026-01-01T00:00:00Z", identity: ToolIdentity.measure(), requirements: requirements,
                                         tests: tests, faultInjection: [], seconds: 0)
        #expect(!report.summary.passed)
        #expect(report.summary.untestedRequirements.contains("GAP-EXAMPLE"))
        #expect(report.matrix.first { $0.requirement == requirements[0].id }?.outcome == .passed)
        #expect(report.confidence.toolConfidenceLevel.hasPrefix("not claimed"))
    }

    /// A failed test fails every requirement it names, and only those.
    @Test func aFailedTestNamesItsRequirement() {
        let requirements = Specification.requirements()
        let tests = requirements.map { CheckResult(id: "QT-\($0.id)", requirements: [$0.id], expected: "", actual: "", passed: $0.id != "PASS-FOLD-BN", seconds: 0) }
        let report = QualificationReport(date: "2026-01-01T00:00:00Z", identity: ToolIdentity.measure(), requirements: requirements,
                                         tests: tests, faultInjection: [], seconds: 0)
        #expect(report.summary.failedRequirements == ["PASS-FOLD-BN"])
        #expect(report.summary.failedTests == ["QT-PASS-FOLD-BN"])
    }
}
