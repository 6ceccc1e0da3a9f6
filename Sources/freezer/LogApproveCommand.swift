import ArgumentParser
import FreezerIntegrity

/// `freezer log approve`: the next major version, by someone other than the responsible person.
struct LogApproveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve the log: version 1.0 \"First version after complete internal review\" (2.0 after a new version, ...).",
        discussion: """
            The approver must not be the responsible person of the conversion (names compared ignoring case \
            and extra spaces) unless --allow-self-approval is given; the entry records which (selfApproval). \
            Refused when the log is already approved.

            Example:
              freezer log approve frozen.conversion-log.json --by "Erika Mustermann" --key erika.key
            """
    )

    @Argument(help: "The conversion log (JSON) to approve.")
    var log: String

    @Option(help: "The approver's name.")
    var by: String

    @Flag(name: .customLong("allow-self-approval"), help: "Allow the responsible person to approve their own log (recorded in the entry).")
    var allowSelfApproval = false

    @Option(help: "Sign the approval with this private key (from `freezer keygen`).")
    var key: String?

    func run() throws {
        try runReportingErrors {
            let signingKey = try key.map { try KeyFiles.readPrivateKey($0) }
            let result = try LogWorkflow.approve(path: log, by: by, allowSelfApproval: allowSelfApproval, key: signingKey)
            print(LogCommandOutput.entryAdded(result, path: log))
        }
    }
}
