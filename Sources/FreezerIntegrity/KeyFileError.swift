/// Why a key file cannot be used. Each names the file.
public enum KeyFileError: Error, Equatable, CustomStringConvertible {
    case notFound(path: String)
    case unreadable(path: String, reason: String)
    /// The file is not a freezer Ed25519 key of the expected kind.
    case notAKey(path: String, expected: String, problem: String)
    /// keygen refuses to replace an existing key.
    case exists(path: String)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case let .notFound(path): "key file '\(path)' does not exist"
        case let .unreadable(path, reason): "cannot read key file '\(path)': \(reason)"
        case let .notAKey(path, expected, problem):
            "'\(path)' is not a freezer \(expected) (\(problem)). Create keys with: freezer keygen -o NAME (private key NAME, public key NAME.pub)"
        case let .exists(path): "'\(path)' already exists; freezer keygen never overwrites a key. Choose another name or remove the old key yourself"
        case let .cannotWrite(path, reason): "cannot write key file '\(path)': \(reason). Nothing was written"
        }
    }
}
