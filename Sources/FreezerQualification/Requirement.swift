/// One requirement of freezer's specification, with the stable id its tests name.
public struct Requirement: Sendable, Codable, Equatable {
    /// The part of freezer a requirement specifies; the report counts requirements by area.
    public enum Area: String, Sendable, Codable, CaseIterable {
        case passes, equivalence, refusals, exportRefusals, logRefusals, output, log, review

        public var title: String {
            switch self {
            case .passes: "Freezing passes"
            case .equivalence: "Equivalence check"
            case .refusals: "Refusal rules: command line, load, convert, compare"
            case .exportRefusals: "Refusal rules: export"
            case .logRefusals: "Refusal rules: log workflow and verify"
            case .output: "Atomic writes, crash safety and determinism"
            case .log: "Log contents and integrity"
            case .review: "Review workflow"
            }
        }
    }

    public var id: String
    public var area: Area
    public var title: String
    public var statement: String
    /// Where the requirement is written in the source (the type that owns it).
    public var source: String
    /// For a refusal rule: the exit code `freezer` must end with.
    public var exitCode: Int32?

    public init(id: String, area: Area, title: String, statement: String, source: String, exitCode: Int32? = nil) {
        self.id = id
        self.area = area
        self.title = title
        self.statement = statement
        self.source = source
        self.exitCode = exitCode
    }
}
