/// A refusal rule of the command-line interface itself (its parser and the commands' own option checks).
/// The CLI states these next to the checks they specify, where this library cannot see them, so
/// `freezer qualify` hands them in; each is tested by running the installed freezer on its example.
public struct CommandLineRule: Sendable {
    public var id: String
    public var statement: String
    public var exitCode: Int32
    /// Where the CLI states it (`RunCommand.refusalRules`).
    public var source: String
    /// A refused command line; `{dir}` stands for a scratch directory of the test.
    public var example: [String]
    /// What the refusal's message must name.
    public var mentions: String

    public init(id: String, statement: String, exitCode: Int32, source: String, example: [String], mentions: String) {
        self.id = id
        self.statement = statement
        self.exitCode = exitCode
        self.source = source
        self.example = example
        self.mentions = mentions
    }

    var requirement: Requirement {
        Requirement(id: id, area: .refusals, title: "Refusal, exit \(exitCode)", statement: statement, source: source, exitCode: exitCode)
    }
}
