import Foundation
import FreezerKernels
import Testing

/// Runs ONNX's own node tests and PyTorch model tests through the reference evaluator.
///
/// Data: `scripts/make-onnx-testdata.sh` (or FREEZER_ONNX_TESTDATA). Every case whose operators and
/// types the evaluator supports must match ONNX's expected outputs within the backend runner's
/// tolerances; unsupported cases are counted and listed, never silently passed. The summary goes to
/// stdout and, with every failed and unsupported case and its reason, to
/// `<data dir>/conformance-report.txt`.
///
/// FREEZER_CONFORMANCE_FILTER=substring runs only the cases whose `kind/name` contains it.
@Suite("ONNX conformance")
struct ConformanceTests {
    @Test("ONNX node and model test data")
    func onnxTestData() throws {
        guard let (dir, filter, cases) = try Self.selectedCases() else { return }
        let known = try ConformanceData.knownFailures()
        #expect(!cases.isEmpty, "no test cases found in \(dir)\(filter.map { " matching '\($0)'" } ?? "")")

        var report = ConformanceReport()
        let started = Date()
        for c in cases {
            let outcome = c.run()
            report.add(c.id, outcome, knownFailure: known[c.id])
            switch outcome {
            case .failed(let reason, let maxError) where known[c.id] == nil:
                Issue.record(Comment(rawValue: "\(c.id) failed\(maxError.map { " (max abs error \($0))" } ?? ""): \(reason)"))
            case .passed where known[c.id] != nil:
                Issue.record(Comment(rawValue: "\(c.id) passes but is listed in known-failures.txt; remove it from the list"))
            default:
                break
            }
        }
        report.seconds = Date().timeIntervalSince(started)
        // Only random sampling and image decoding may stay unsupported (listed with their reasons).
        for (id, reason) in report.unsupported where !ConformanceReport.isDeliberate(reason) {
            Issue.record(Comment(rawValue: "\(id) is unsupported (\(reason)); only random sampling and image decoding may be"))
        }
        report.filter = filter
        print(report.summaryLine)
        let path = dir + "/conformance-report.txt"
        do {
            try report.text.write(toFile: path, atomically: true, encoding: .utf8)
            print("conformance report: \(path)")
        } catch {
            Issue.record(Comment(rawValue: "cannot write \(path): \(error)"))
        }
    }
}

extension ConformanceTests {
    /// The data directory, FREEZER_CONFORMANCE_FILTER, and the cases it selects; nil (an issue recorded)
    /// when the data is missing.
    static func selectedCases() throws -> (directory: String, filter: String?, cases: [ConformanceCase])? {
        let dir = ConformanceData.directory
        if let problem = ConformanceData.problem(at: dir) {
            Issue.record(Comment(rawValue: problem))
            return nil
        }
        let filter = ProcessInfo.processInfo.environment["FREEZER_CONFORMANCE_FILTER"].flatMap { $0.isEmpty ? nil : $0 }
        return (dir, filter, ConformanceData.cases(in: dir).filter { c in filter.map { c.id.contains($0) } ?? true })
    }

    /// The exact reference of the equivalence check evaluates models with every float value widened to
    /// float64: every case that passes as written must also pass widened, or be listed, with its
    /// reason, in float64-exceptions.txt.
    @Test("ONNX node test data in float64 (the exact reference)")
    func onnxTestDataInFloat64() throws {
        guard let (_, _, selected) = try Self.selectedCases() else { return }
        let known = try ConformanceData.knownFailures()
        let exceptions = try ConformanceData.knownFailures(file: "float64-exceptions.txt")
        let cases = selected.filter { known[$0.id] == nil }
        var passed = 0, unsupported = 0, excepted = 0
        var failed: [String] = []
        for c in cases {
            switch c.run(precision: .float64) {
            case .passed:
                passed += 1
                if exceptions[c.id] != nil { Issue.record(Comment(rawValue: "\(c.id) passes in float64 but is listed in float64-exceptions.txt")) }
            case .unsupported: unsupported += 1
            case .failed(let reason, _):
                // A case the evaluator refuses as written is counted by the main test, not here.
                if case .unsupported = c.run() { unsupported += 1; continue }
                if exceptions[c.id] != nil { excepted += 1; continue }
                failed.append("\(c.id): \(reason)")
            }
        }
        for f in failed { Issue.record(Comment(rawValue: "float64: \(f)")) }
        print("ONNX conformance in float64: \(passed) passed, \(failed.count) failed, \(excepted) listed exceptions, \(unsupported) unsupported")
    }
}

/// Counts and reasons of one conformance run.
struct ConformanceReport {
    var passed: [String] = []
    var failed: [(id: String, reason: String)] = []
    var knownFailed: [(id: String, reason: String, justification: String)] = []
    var unsupported: [(id: String, reason: String)] = []
    var seconds = 0.0
    var filter: String?

    mutating func add(_ id: String, _ outcome: ConformanceCase.Outcome, knownFailure: String?) {
        switch outcome {
        case .passed: passed.append(id)
        case .failed(let reason, _):
            if let knownFailure { knownFailed.append((id, reason, knownFailure)) } else { failed.append((id, reason)) }
        case .unsupported(let reason): unsupported.append((id, reason))
        }
    }

    var total: Int { passed.count + failed.count + knownFailed.count + unsupported.count }

    var summaryLine: String {
        "ONNX conformance: \(passed.count) passed, \(failed.count) failed, \(knownFailed.count) known failures, \(unsupported.count) unsupported, of \(total) cases"
            + (filter.map { " matching '\($0)'" } ?? "") + " (\(Int(seconds.rounded())) s)"
    }

    /// The only operators the evaluator leaves unimplemented, each with why (issue 11: random sampling and
    /// image decoding; string and regular-expression operators are implemented).
    static let deliberatelyUnsupported: [String: String] = [
        "Bernoulli": "random sampling: no deterministic reference exists (freezer recognizes Bernoulli regularizers and removes them instead)",
        "RandomUniformLike": "random sampling: no deterministic reference exists (freezer recognizes the regularizers built from it and removes them)",
        "RandomUniform": "random sampling: no deterministic reference exists",
        "RandomNormal": "random sampling: no deterministic reference exists",
        "RandomNormalLike": "random sampling: no deterministic reference exists",
        "Multinomial": "random sampling: no deterministic reference exists",
        "ImageDecoder": "image decoding (JPEG, PNG, TIFF, WebP, JPEG 2000, BMP, PNM): file formats, not a model computation",
    ]

    /// Why a case is unsupported is one of the deliberate reasons: a deliberately unsupported operator, or a
    /// training-mode Dropout that would have to draw random numbers.
    static func isDeliberate(_ reason: String) -> Bool {
        if reason.contains("random training-mode Dropout") { return true }
        guard let range = reason.range(of: "operators not registered: ") else { return false }
        return reason[range.upperBound...].components(separatedBy: ", ").allSatisfy {
            deliberatelyUnsupported[$0.components(separatedBy: " (").first ?? $0] != nil
        }
    }

    /// Unsupported operators ranked by how many cases they block, for planning.
    var blockingOperators: [(op: String, cases: Int)] {
        var counts: [String: Int] = [:]
        for (_, reason) in unsupported {
            guard let range = reason.range(of: "operators not registered: ") else { continue }
            for op in reason[range.upperBound...].components(separatedBy: ", ") {
                counts[op.components(separatedBy: " (").first ?? op, default: 0] += 1
            }
        }
        return counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    var text: String {
        var lines = [summaryLine, ""]
        lines.append("FAILED (\(failed.count))")
        lines += failed.map { "  \($0.id): \($0.reason)" }
        lines.append("")
        lines.append("KNOWN FAILURES (\(knownFailed.count)), allowed by Tests/FreezerConformanceTests/known-failures.txt")
        lines += knownFailed.map { "  \($0.id): \($0.reason)\n    justification: \($0.justification)" }
        lines.append("")
        lines.append("UNSUPPORTED (\(unsupported.count))")
        lines += unsupported.map { "  \($0.id): \($0.reason)" }
        lines.append("")
        lines.append("OPERATORS BLOCKING UNSUPPORTED CASES (operator: cases)")
        lines += blockingOperators.map { "  \($0.op): \($0.cases)" + (Self.deliberatelyUnsupported[$0.op].map { " (\($0))" } ?? "") }
        lines.append("")
        lines.append("PASSED (\(passed.count))")
        lines += passed.map { "  \($0)" }
        return lines.joined(separator: "\n") + "\n"
    }
}
