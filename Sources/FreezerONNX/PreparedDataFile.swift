/// The data file of a model about to be saved, made before the model exists (see
/// `ModelSaver.prepareDataFile`): invisible until `ModelSaver.PreparedSave.commit` links it in with its
/// model, and gone without a trace if it never is.
public final class PreparedDataFile: @unchecked Sendable {
    // Made on one thread and handed to the save on another; the store that writes into it keeps a
    // descriptor of its own, and the save alone completes and commits it.
    let file: PreparedFile
    /// The path the data file will have.
    public var target: String { file.path }
    /// Open for reading and writing, for `TensorStore(writingInto:)`.
    public var fileDescriptor: Int32 { file.fd }

    init(file: PreparedFile) { self.file = file }
}
