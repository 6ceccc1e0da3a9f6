/// What freezer does not handle, and what it does then: part of the report, so the assessor sees the
/// boundary of the claim.
public struct KnownLimitation: Sendable, Codable, Equatable {
    public var subject: String
    public var behaviour: String
    /// The exit code of `convert` in that case (nil: the conversion goes on and the log records it).
    public var exitCode: Int32?
    /// The requirement whose test shows that behaviour, when there is one.
    public var requirement: String?

    public static let all: [KnownLimitation] = [
        .init(subject: "Random draws that are not a recognized regularizer (noise whose factor does not have expectation one, draws feeding anything but the data path)",
              behaviour: "refused, naming the node where the proof stopped; nothing written", exitCode: 3, requirement: "REF-CANNOT-FREEZE"),
        .init(subject: "Operators the reference evaluator does not run (random sampling outside recognized regularizers, image decoding, custom domains)",
              behaviour: "convert refuses: the equivalence check cannot evaluate the model (the message names the operator); run and compare exit 5. The operators the evaluator runs are listed below", exitCode: 3, requirement: "REF-CANNOT-EVALUATE"),
        .init(subject: "BatchNormalization that cannot be folded (no linear producer, a producer read elsewhere, non-constant parameters, mismatched channels)",
              behaviour: "kept in inference form; the log's skip names the failed condition", exitCode: nil, requirement: "PASS-BN-INFERENCE"),
        .init(subject: "A used Dropout mask in a model below opset 9 with a dynamic input shape",
              behaviour: "the Dropout is kept in inference form (is_test = 1); the skip says why", exitCode: nil, requirement: "PASS-REMOVE-DROPOUT"),
        .init(subject: "A model whose every output is training-only and that has no loss operator",
              behaviour: "refused: name the inference outputs with --output", exitCode: 3, requirement: nil),
        .init(subject: "Inputs whose shape is not declared and not given (--input-shape), or string inputs",
              behaviour: "refused before freezing: give --input-shape or --inputs DIR with representative data", exitCode: 64, requirement: nil),
        .init(subject: "Structurally broken graphs, non-ONNX files, truncated files",
              behaviour: "refused with the problem named", exitCode: 65, requirement: "REF-INVALID-MODEL"),
        .init(subject: "Equivalence is shown on seeded random inputs (or the given --inputs), not proven for every input",
              behaviour: "the log records the samples and their digests; conditions of use ask for representative inputs where the input distribution matters", exitCode: nil, requirement: "EQ-CRITERION"),
        .init(subject: "Crash safety under SIGKILL is checked by scripts/check-crash-safety.sh, not by this in-process suite",
              behaviour: "the suite checks that outputs appear complete or not at all and that refusals write nothing", exitCode: nil, requirement: "SAVE-ATOMIC"),
    ]
}
