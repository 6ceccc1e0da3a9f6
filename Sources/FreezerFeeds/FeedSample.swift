import FreezerKernels

/// One set of values read from files and bound to a model: what one evaluation is fed and, for test
/// data, what it should give.
public struct FeedSample: Sendable {
    /// Where the values came from, as the conversion log records it: `test data DIR` or `files in DIR`.
    public var source: String
    /// The directory holding the files.
    public var directory: String
    /// One file per fed input, in the order of the graph's inputs.
    public var inputs: [FeedFile]
    /// Expected outputs (`output_K.pb`) in the order of K, when they were asked for; else empty.
    public var outputs: [FeedFile]

    /// The values to run the model on, by input name.
    public var feeds: [String: NDArray] {
        Dictionary(uniqueKeysWithValues: inputs.map { ($0.name, $0.array) })
    }

    /// SHA-256 of each input's file, by input name.
    public var digests: [String: String] {
        Dictionary(uniqueKeysWithValues: inputs.map { ($0.name, $0.sha256) })
    }
}

/// A file bound to a model input or output, with its values and the SHA-256 of its bytes.
public struct FeedFile: Sendable {
    /// The input or output the file gives.
    public var name: String
    public var path: String
    public var sha256: String
    public var array: NDArray
}
