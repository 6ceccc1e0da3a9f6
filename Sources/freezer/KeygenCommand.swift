import ArgumentParser
import FreezerIntegrity

/// `freezer keygen`: creates an Ed25519 key pair for signing logs.
struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Create an Ed25519 key pair for signing conversion logs.",
        discussion: """
            Writes the private key to NAME (mode 0600) and the public key to NAME.pub; refuses to overwrite \
            either. Both are text files: a header line, one line of base64 of the raw 32-byte key, a footer:
              -----BEGIN FREEZER ED25519 PRIVATE KEY----- / -----END FREEZER ED25519 PRIVATE KEY-----
              -----BEGIN FREEZER ED25519 PUBLIC KEY-----  / -----END FREEZER ED25519 PUBLIC KEY-----
            The key fingerprint is the SHA-256 (hex) of the raw public key.

            Example:
              freezer keygen -o jane.key          (writes jane.key and jane.key.pub)

            Exit codes: 0 created; 73 NAME or NAME.pub exists or cannot be written. See `freezer --help`.
            """
    )

    @Option(name: .customShort("o"), help: "Path of the private key; the public key goes to this path + .pub.")
    var output: String

    func run() throws {
        try runReportingErrors {
            let created = try KeyGeneration.generate(name: output)
            print("private key: \(created.privateKeyPath) (keep it secret; mode 0600)")
            print("public key:  \(created.publicKeyPath)")
            print("fingerprint: \(created.fingerprint)")
        }
    }
}
