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
            equivalent, and writes the log; `run` evaluates a model with freezer's own reference \
            evaluator, on ONNX test data or on .npy/.pb inputs; `log render` writes the log as document \
            PhIMT0002 in Markdown, HTML or PDF.

            EXIT CODES
              0   success
              1   run --test-data: at least one output is outside the tolerance
              3   convert: conversion impossible: the model cannot be frozen safely (the message says why)
              4   convert: equivalence failed: the frozen model does not match the original at inference
              5   run: the reference evaluator cannot run the model (an operator or type it does not support, or a node failed on the inputs)
              64  usage error: a missing or malformed option or argument (run: an unknown or missing model input)
              65  the input model is invalid: not ONNX, truncated, or structurally broken (cycle, dangling reference, ...);
                  run: an input or test-data file is malformed or has the wrong element type or shape
              66  the input model (or one of its external data files, or a run input or test-data file) is missing or unreadable
              70  internal error: a bug in freezer; please report it with the command line
              73  an output cannot be written: its directory is missing, or it would overwrite an input
            """,
        version: FreezerVersion.string,
        subcommands: [InspectCommand.self, ConvertCommand.self, RunCommand.self, LogCommand.self]
    )
}
