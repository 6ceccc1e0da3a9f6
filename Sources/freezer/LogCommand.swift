import ArgumentParser

/// `freezer log`: work on a Model Conversion Log after convert wrote it.
///
/// Each subcommand lives in its own file (`Log*Command.swift`).
struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Render, review, approve, version and sign a Model Conversion Log.",
        discussion: """
            The Review / Modification History of the log follows the template (PhIMT0002): convert writes \
            version 0.1 "First draft"; each `review` adds 0.2, 0.3, ...; `approve` makes 1.0 "First version \
            after complete internal review". An approved log cannot be modified: `new-version` reopens it as \
            1.1 (reviews then add 1.2, ..., and `approve` makes 2.0). Every change rewrites the log atomically \
            and recomputes its recordDigest; a log whose record no longer matches its digest is refused.

            With --key, the entry is signed: the signature covers the record as of that entry (the history up \
            to and including it), so it stays valid when later entries are added. `sign` adds a signature \
            over the current record without changing it, so approved logs can be signed.

            Examples:
              freezer log render frozen.conversion-log.json --format pdf
              freezer log review frozen.conversion-log.json --by "Max Muster" --description "Modifications and improvements based on internal review"
              freezer log approve frozen.conversion-log.json --by "Erika Mustermann" --key erika.key
              freezer log new-version frozen.conversion-log.json --by "Jane Doe" --description "Re-assessment after tolerance change"
              freezer log sign frozen.conversion-log.json --key qa.key --by "QA"

            Exit codes: 0 done; 6 the log was modified after it was written (record digest mismatch); \
            7 refused by the workflow (approved log, self-approval, already signed); 64 usage; \
            65 the log or key file is invalid; 66 the log or key file is missing; 73 cannot write. \
            See `freezer --help`.
            """,
        subcommands: [LogRenderCommand.self, LogReviewCommand.self, LogApproveCommand.self, LogNewVersionCommand.self, LogSignCommand.self]
    )
}
