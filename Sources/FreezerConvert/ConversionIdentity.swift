import Crypto
import Foundation
import FreezerIntegrity
import FreezerLog
import FreezerONNX

/// Identifiers and digests of a conversion.
public enum ConversionIdentity {
    /// The Model conversion ID: `MC-` and the first 16 hex digits of SHA-256 over the conversion's
    /// inputs (input model and data-file digests, every option that affects the result, freezer's
    /// version). The same conversion gets the same ID, which is why the frozen model can carry it and
    /// still be byte-identical run after run; any different input or option gives a different ID.
    public static func id(source: ModelSource, options: ConversionOptions) -> String {
        var text = "freezer-conversion-id-v1\n\(source.sha256)\n"
        for file in source.dataFiles { text += "\(file.location) \(file.sha256)\n" }
        text += "model-id=\(options.modelID)\nmodel-version=\(options.modelVersion)\nresponsible=\(options.responsible)\n"
        text += "outputs=\(options.outputs.joined(separator: ","))\nexternal-data=\(options.externalData.rawValue)\n"
        text += "output-file=\(Paths.fileName(of: options.output))\nfreezer=\(FreezerBuild.version)\n"
        let digest = SHA256.hash(data: Data(text.utf8))
        return "MC-" + digest.map { String(format: "%02x", $0) }.joined().prefix(16)
    }

    /// SHA-256 (hex) of the log's canonical form (one definition, in FreezerIntegrity).
    public static func recordDigest(_ log: ConversionLog) throws -> String {
        try RecordDigest.of(log)
    }
}

/// freezer's own identity, recorded in logs and models.
public enum FreezerBuild {
    public static let version = "0.1.0"
    #if DEBUG
    public static let configuration = "debug"
    #else
    public static let configuration = "release"
    #endif
}
