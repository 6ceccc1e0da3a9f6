import ArgumentParser
import FreezerIntegrity

/// `freezer log review`: adds a review / modification entry (the next minor version).
struct LogReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Add a review / modification entry to the history (0.1 → 0.2 → 0.3 ...).",
        discussion: """
            Refused when the log is approved (use `freezer log new-version` first).

            Example:
              freezer log review frozen.conversion-log.json --by "Max Muster" \\
                  --description "Modifications and improvements based on internal review" --change "Tolerances justified"
            """
    )

    @Argument(help: "The conversion log (JSON) to modify.")
    var log: String

    @Option(help: "The reviewer's name (the entry's author).")
    var by: String

    @Option(help: "The entry's description, e.g. \"Modifications and improvements based on internal review\".")
    var description: String

    @Option(help: "What changed (default: empty).")
    var change: String = ""

    @Option(help: "Sign the entry with this private key (from `freezer keygen`).")
    var key: String?

    func run() throws {
        try runReportingErrors {
            let signingKey = try key.map { try KeyFiles.readPrivateKey($0) }
            let result = try LogWorkflow.review(path: log, by: by, description: description, change: change, key: signingKey)
            print(LogCommandOutput.entryAdded(result, path: log))
        }
    }
}
