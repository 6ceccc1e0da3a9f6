import FreezerConvert
import FreezerQualification
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
            equivalent, and writes the log; `compare` runs the same equivalence check on any two models; `run` evaluates a model with freezer's own reference \
            evaluator, on ONNX test data or on .npy/.pb inputs. `export` starts from the framework (a PyTorch \
            checkpoint and the function that builds its model, or a Keras model file): it exports with freezer's driver in the training \
            environment, converts as `convert` does, and checks the frozen model against the framework's outputs. `log` renders (Markdown, HTML, PDF), reviews, \
            approves, versions and signs a log; `keygen` makes signing keys; `verify` checks that a frozen model, its data files \
            and its log are unchanged and belong together; `qualify` runs the qualification suite and writes the Tool \
            Qualification Report.

            EXIT CODES
              0   success
              1   run: an output is outside the tolerance
              3   convert, export: the model cannot be frozen safely (the message says
                  why); export: the exporter failed (or the model's own code raised
                  while it traced the model), or the exported parameters differ
                  from the checkpoint
              4   convert, compare, verify --reverify, export: the frozen model is not
                  equivalent (export: also to the framework's inference outputs)
              5   run, compare: the evaluator cannot run the model (unsupported
                  operator/type)
              6   verify, log: integrity failure (a changed model, data file, log,
                  or signature; the message names it and both digests)
              7   log: refused by the review workflow (approved log, self-approval,
                  key already signed this version)
              8   qualify: a qualification test failed or a requirement has no
                  test (the message names the requirements)
              64  usage error: a missing or malformed option or argument
              65  invalid input: not ONNX, truncated, structurally broken; a
                  malformed test-data file, log or key file; export: an invalid
                  recipe, factory, checkpoint or input shape, or the model's own
                  code raised while loading or running (its file:line named)
                  or the driver died there
              66  an input file (model, data file, log, key, recipe, checkpoint) is
                  missing or unreadable
              69  export: the Python interpreter, or a package the driver needs, is
                  not installed
              70  internal error: a bug in freezer (export: in its driver); please
                  report it
              73  an output cannot be written: missing directory, would overwrite
                  an input, a key file that already exists, or no space for the
                  folded weights or the output
              75  export: the driver did not finish within the recipe's timeout
            """,
        version: FreezerBuild.version,
        subcommands: [InspectCommand.self, ConvertCommand.self, ExportCommand.self, CompareCommand.self, RunCommand.self, LogCommand.self, KeygenCommand.self, VerifyCommand.self, QualifyCommand.self]
    )

    /// The refusal rule of the command-line parser, as a requirement of `freezer qualify`'s specification.
    static let refusalRules = [
        CommandLineRule(id: "REF-USAGE-ARGUMENTS", statement: "A command line with a required option or argument missing, an unknown option, or a value that does not parse is refused by the parser with a message that names it and shows the command's usage; exit 64; nothing is written.",
                        exitCode: 64, source: "freezer.Freezer.refusalRules",
                        example: ["convert", "{dir}/model.onnx", "-o", "{dir}/frozen.onnx", "--model-id", "M", "--model-version", "1"], mentions: "--responsible"),
    ]
}
