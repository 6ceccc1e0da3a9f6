import SwiftProtobuf

/// Versions of the libraries behind the model I/O layer, for the conversion log.
public enum ModelIOLibraries {
    public static let swiftProtobufVersion = SwiftProtobuf.Version.versionString
    /// The onnx release whose onnx-ml.proto the protobuf types were generated from.
    public static let onnxSchemaVersion = "1.23.2"
}
