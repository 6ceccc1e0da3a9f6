/// Protobuf wire bytes of the fields the IR does not model (unknown fields included).
///
/// The IR models what freezer reads or rewrites; everything else an entity held in the file rides along
/// here and is merged back on export, so a load → save round trip loses nothing.
public struct Residual: Sendable, Equatable, Hashable {
    public var bytes: [UInt8]
    public init(_ bytes: [UInt8] = []) { self.bytes = bytes }
    public var isEmpty: Bool { bytes.isEmpty }
    public static let none = Residual()
}
