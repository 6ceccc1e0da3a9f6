/// The files a model was read from, as the caller (the CLI) knows them.
///
/// Defined here rather than reusing FreezerONNX's `ModelSource` so that this target depends only on the
/// IR; the CLI copies the fields over.
public struct InspectSource: Codable, Sendable, Equatable {
    /// The path as given by the user.
    public var path: String
    /// Size of the model file in bytes.
    public var size: Int
    /// SHA-256 of the model file, lowercase hex ("" when not computed).
    public var sha256: String
    /// External data files the model refers to, in the order they were first referenced.
    public var dataFiles: [DataFile]

    public struct DataFile: Codable, Sendable, Equatable {
        /// The `location` as written in the model, relative to the model's directory.
        public var location: String
        public var size: Int
        public var sha256: String

        public init(location: String, size: Int, sha256: String) {
            self.location = location
            self.size = size
            self.sha256 = sha256
        }
    }

    public init(path: String, size: Int, sha256: String, dataFiles: [DataFile] = []) {
        self.path = path
        self.size = size
        self.sha256 = sha256
        self.dataFiles = dataFiles
    }
}
