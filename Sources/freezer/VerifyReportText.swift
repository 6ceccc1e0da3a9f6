import FreezerIntegrity

/// The human-readable checklist of `freezer verify`.
enum VerifyReportText {
    static func render(_ report: IntegrityReport) -> String {
        var out = "freezer verify: \(report.frozenModel) against \(report.log)"
        if let id = report.conversionID { out += " (conversion \(id), document version \(report.documentVersion ?? "?"))" }
        out += "\n"
        for check in report.checks {
            out += "  \(mark(check.status)) \(line(check))\n"
        }
        let failed = report.failures.count
        out += failed == 0 ? "OK: every check passed\n" : "FAILED: \(failed) check\(failed == 1 ? "" : "s") failed\n"
        return out
    }

    static func line(_ check: IntegrityCheck) -> String {
        var text = "\(check.kind) \(check.subject): \(check.detail)"
        if check.status == .failed, let expected = check.expected {
            text += " (expected \(expected), actual \(check.actual ?? "none"))"
        }
        return text
    }

    static func mark(_ status: IntegrityCheck.Status) -> String {
        switch status {
        case .passed: "[ok]  "
        case .failed: "[FAIL]"
        case .skipped: "[skip]"
        case .warning: "[warn]"
        }
    }
}
