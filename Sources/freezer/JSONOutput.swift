import Foundation

/// The JSON every `--json` prints: one format for all commands (sorted keys, so that output diffs;
/// infinities and NaN, which JSON cannot hold, as the strings "inf", "-inf" and "nan").
enum JSONOutput {
    static func data(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(value)
    }

    /// `value` on standard output, followed by a newline.
    static func print(_ value: some Encodable) throws {
        FileHandle.standardOutput.write(try data(value))
        Swift.print()
    }
}
