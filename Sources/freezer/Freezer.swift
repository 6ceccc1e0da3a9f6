import ArgumentParser

@main
struct Freezer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "freezer",
        abstract: "Turn a verified learning model (ONNX) into a frozen inference model, with the evidence a safety audit needs.",
        discussion: """
            freezer reads ONNX models as torch.onnx.export and tf2onnx write them, external data included. \
            `inspect` lists every training-specific construct a model holds, by the categories of the \
            Model Conversion Log (PhIMT0002, Table 1); `convert` removes them, proves the frozen model \
            equivalent, and writes the log.

            EXIT CODES
              0   success
              3   conversion impossible: the model cannot be frozen safely (the message says why)
              4   equivalence failed: the frozen model does not match the original at inference
              64  usage error: a missing or malformed option or argument
              65  the input model is invalid: not ONNX, truncated, or structurally broken (cycle, dangling reference, ...)
              66  the input model (or one of its external data files) is missing or unreadable
              70  internal error: a bug in freezer; please report it with the command line
              73  an output cannot be written: its directory is missing, or it would overwrite an input
            """,
        version: FreezerVersion.string,
        subcommands: [InspectCommand.self, ConvertCommand.self]
    )
}
