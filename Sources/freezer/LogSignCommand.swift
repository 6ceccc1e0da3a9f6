import ArgumentParser
import FreezerIntegrity

/// `freezer log sign`: appends an Ed25519 signature over the current record.
struct LogSignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign the log's current record with an Ed25519 private key.",
        discussion: """
            The signature covers the canonical form of the record at the current document version and \
            is appended to `signatures`; the record itself does not change, so approved logs can be signed. \
            Refused when the record does not match its recordDigest, or the same key already signed this version.

            Example:
              freezer keygen -o qa.key
              freezer log sign frozen.conversion-log.json --key qa.key --by "QA department"
              freezer verify frozen.onnx --log frozen.conversion-log.json --public-key qa.key.pub
            """
    )

    @Argument(help: "The conversion log (JSON) to sign.")
    var log: String

    @Option(help: "The private key file (from `freezer keygen`).")
    var key: String

    @Option(help: "The signer's name (default: \"key\" and the first 16 hex digits of the key fingerprint).")
    var by: String?

    func run() throws {
        try runReportingErrors {
            let signingKey = try KeyFiles.readPrivateKey(key)
            let result = try LogWorkflow.sign(path: log, key: signingKey, signer: by)
            let s = result.signature!
            print("signed \(log) version \(s.documentVersion ?? result.log.document.version) as \(s.signer) (key \(s.keyFingerprint.prefix(16)), record \(s.recordDigest.prefix(16)))")
        }
    }
}
