/// What is wrong with an external-data reference of a model's tensor. Each case carries what its
/// message names; the CLI picks an exit code by case (a missing or unreadable data file is a missing
/// input, every other problem makes the model invalid).
public enum ExternalDataProblem: Sendable, Equatable, CustomStringConvertible {
    case missingLocation
    case badOffset(String)
    case badLength(String)
    case absoluteLocation
    case climbsOut
    case nulByte
    /// The data file is not there: `path` is the location joined to the model's directory (or resolved).
    case missingFile(path: String)
    /// The location resolves, through a symbolic link, to `resolved` outside the model's directory.
    case outsideModelDirectory(resolved: String)
    case isDirectory(path: String)
    case notRegularFile(path: String)
    case unreadable(path: String, reason: String)
    case offsetPastEnd(offset: Int, fileSize: Int)
    case rangePastEnd(offset: Int, length: Int, fileSize: Int)

    /// The clause after "but" in `ModelLoadError.externalData`'s message.
    public var description: String {
        switch self {
        case .missingLocation: "the 'location' key is missing"
        case let .badOffset(value): "its offset '\(value)' is not a non-negative integer"
        case let .badLength(value): "its length '\(value)' is not a non-negative integer"
        case .absoluteLocation: "the location is an absolute path"
        case .climbsOut: "the location contains '..' and could leave the model's directory"
        case .nulByte: "the location contains a NUL byte"
        case let .missingFile(path): "the file \(path) does not exist"
        case let .outsideModelDirectory(resolved): "it resolves (through a symbolic link) to \(resolved), outside the model's directory"
        case let .isDirectory(path): "\(path) is a directory"
        case let .notRegularFile(path): "\(path) is not a regular file"
        case let .unreadable(path, reason): "\(path) cannot be read: \(reason)"
        case let .offsetPastEnd(offset, size): "its offset \(offset) is past the end of the \(size)-byte file"
        case let .rangePastEnd(offset, length, size): "offset \(offset) + length \(length) runs past the end of the \(size)-byte file"
        }
    }

    /// What to do about it, for the message's last sentence.
    public var advice: String {
        switch self {
        case .missingLocation, .badOffset, .badLength, .nulByte:
            "The model's record of its external data is malformed: export the model again."
        case .absoluteLocation, .climbsOut, .outsideModelDirectory:
            "External data files must lie in the model's directory (or below it), next to the model as the exporter wrote them."
        case .missingFile, .isDirectory, .notRegularFile, .unreadable:
            "Put the data file where the model says, next to the model as the exporter wrote them."
        case .offsetPastEnd, .rangePastEnd:
            "The data file is shorter than the model says: it was cut off in a copy, or belongs to another export of the model. Copy it again, or export again."
        }
    }
}
