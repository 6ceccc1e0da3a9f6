import Foundation
import FreezerPasses
import FreezerVerify
import FreezerONNX

/// The qualification suite: every test, traced to the requirements it checks.
public enum QualificationSuite {
    /// Every test but the fault-injection rows, which `run` adds from `FaultInjection`. `pipeline` is the
    /// standard one; the project's tests give one with a broken pass.
    public static func checks(pipeline: Pipeline = .standard(), commandLine: [CommandLineRule] = []) -> [QualificationCheck] {
        PassChecks.all(pipeline: pipeline) + RefusalChecks.all() + CLIRefusalChecks.all() + commandLine.map(CLIRefusalChecks.usage)
            + LogRefusalChecks.all() + ExportRefusalChecks.all() + ConversionChecks.all() + [CrashSafetyCheck.check()]
    }

    /// The requirement each fault-injection row checks: correct conversions accepted, faults refused.
    public static let faultRequirement = EquivalenceCriterion.requirement.id

    /// The test ids of every requirement (fault-injection rows included), from the suite's declarations.
    public static func testsByRequirement(commandLine: [CommandLineRule] = []) -> [String: [String]] {
        var tests: [String: [String]] = [:]
        for check in checks(commandLine: commandLine) { for id in check.requirements { tests[id, default: []].append(check.id) } }
        tests[faultRequirement, default: []] += faultTestIDs()
        return tests
    }

    static func faultTestIDs() -> [String] {
        SyntheticModel.all().flatMap { s in ([nil] + Fault.allCases).map { faultTestID(s.name, $0) } }
    }

    static func faultTestID(_ architecture: String, _ fault: Fault?) -> String {
        "QT-FAULT-\(PassChecks.slug(architecture))-\(fault.map { $0.rawValue } ?? "none")"
    }

    /// Runs every test in a fresh directory under `workDirectory` (removed afterwards); `exitCode` is
    /// the CLI's mapping of errors to exit codes, `executable` the freezer under qualification (the tests
    /// of the CLI path and of crash safety run it). `progress` is told each finished test.
    public static func run(workDirectory: String = NSTemporaryDirectory(), executable: String?, pipeline: Pipeline = .standard(),
                           commandLine: [CommandLineRule] = [], exitCode: @escaping @Sendable (any Error) -> Int32,
                           progress: (CheckResult) -> Void = { _ in }) throws -> (results: [CheckResult], faults: [FaultInjection.Row]) {
        // A killed run cannot remove its directory: the next one does, once that run's process is gone.
        ScratchDirectory.sweep(in: workDirectory, prefix: "freezer-qualify")
        let directory = (workDirectory as NSString).appendingPathComponent(ScratchDirectory.name(prefix: "freezer-qualify"))
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let context = QualificationContext(directory: directory, executable: executable, exitCode: exitCode)
        var results: [CheckResult] = []
        for check in checks(pipeline: pipeline, commandLine: commandLine) {
            let result = check.run(in: context)
            progress(result)
            results.append(result)
        }
        let rows = try FaultInjection.run()
        for row in rows {
            let result = CheckResult(id: faultTestID(row.architecture, row.fault), requirements: [faultRequirement],
                                     expected: row.fault == nil ? "the correct frozen model (built by the suite's own fold formula) is accepted" : "the injected fault is refused",
                                     actual: "\(row.detected ? "refused" : "accepted"), error / bound \(EquivalenceReport.number(row.ratio))",
                                     passed: row.asExpected, seconds: row.seconds)
            progress(result)
            results.append(result)
        }
        return (results, rows)
    }
}
