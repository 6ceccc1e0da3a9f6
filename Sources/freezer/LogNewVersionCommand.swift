import ArgumentParser
import FreezerIntegrity

/// `freezer log new-version`: reopens an approved log (1.0 → 1.1).
struct LogNewVersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new-version",
        abstract: "Reopen an approved log for changes: 1.0 → 1.1 (reviews then add 1.2 ..., approval makes 2.0).",
        discussion: """
            Only an approved log can be reopened. Earlier entries and their signatures stay as they are.

            Example:
              freezer log new-version frozen.conversion-log.json --by "Jane Doe" --description "Re-assessment of the tolerances"
            """
    )

    @Argument(help: "The approved conversion log (JSON).")
    var log: String

    @Option(help: "Who starts the new version.")
    var by: String

    @Option(help: "Why a new version is needed.")
    var description: String

    @Option(help: "Sign the entry with this private key (from `freezer keygen`).")
    var key: String?

    func run() throws {
        try runReportingErrors {
            let signingKey = try key.map { try KeyFiles.readPrivateKey($0) }
            let result = try LogWorkflow.newVersion(path: log, by: by, description: description, key: signingKey)
            print(LogCommandOutput.entryAdded(result, path: log))
        }
    }
}
