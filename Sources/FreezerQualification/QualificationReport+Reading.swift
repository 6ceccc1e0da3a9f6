import Foundation

/// Why a Tool Qualification Report file cannot be checked.
public enum QualificationReportError: Error, CustomStringConvertible {
    case notFound(String)
    case unreadable(String, String)
    case invalid(String, String)

    public var description: String {
        switch self {
        case let .notFound(path): "the qualification report '\(path)' does not exist. Give the tool-qualification-report.json that `freezer qualify` wrote."
        case let .unreadable(path, why): "cannot read the qualification report '\(path)': \(why)."
        case let .invalid(path, why): "'\(path)' is not a Tool Qualification Report this freezer reads (\(why)); it was modified, damaged, or is another file."
        }
    }
}

extension QualificationReport {
    /// Reads the JSON record `freezer qualify` wrote; refuses another schema or version.
    public static func read(_ path: String) throws(QualificationReportError) -> QualificationReport {
        guard FileManager.default.fileExists(atPath: path) else { throw .notFound(path) }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch { throw .unreadable(path, (error as NSError).localizedDescription) }
        let report: QualificationReport
        do { report = try decoder().decode(QualificationReport.self, from: data) } catch { throw .invalid(path, "\(error)") }
        guard report.schema == schema, report.schemaVersion == schemaVersion else {
            throw .invalid(path, "schema \(report.schema) version \(report.schemaVersion), expected \(schema) version \(schemaVersion)")
        }
        return report
    }
}
