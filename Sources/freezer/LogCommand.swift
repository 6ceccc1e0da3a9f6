import ArgumentParser

/// `freezer log`: commands on a Model Conversion Log. Only `render` lives here for now; the review,
/// approve and sign commands join this group when the branches are merged.
struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Work with a Model Conversion Log (PhIMT0002) written by `freezer convert`.",
        subcommands: [LogRenderCommand.self]
    )
}
