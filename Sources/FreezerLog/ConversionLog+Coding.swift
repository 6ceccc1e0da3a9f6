import Foundation

/// Reading and writing logs. Readers check the schema before anything else.
extension ConversionLog {
    public enum ReadError: Error, Equatable, CustomStringConvertible {
        case notJSON(String)
        case notALog
        case unsupportedSchemaVersion(Int)
        case missingField(String)

        public var description: String {
            switch self {
            case .notJSON(let why): "the file is not JSON (\(why))"
            case .notALog: "the JSON is not a freezer Model Conversion Log (its \"schema\" is not \"\(ConversionLog.schemaName)\")"
            case .unsupportedSchemaVersion(let v): "the log has schema version \(v); this freezer reads version \(ConversionLog.currentSchemaVersion). Use the freezer version that wrote it"
            case .missingField(let path): "the log is missing the required field \(path)"
            }
        }
    }

    private struct Header: Decodable {
        var schema: String?
        var schemaVersion: Int?
    }

    /// Decodes a log, checking the schema name and version first.
    public static func decode(_ data: Data) throws(ReadError) -> ConversionLog {
        let header: Header
        do { header = try JSONDecoder().decode(Header.self, from: data) } catch {
            throw .notJSON(String(describing: error).prefix(200).description)
        }
        guard header.schema == schemaName else { throw .notALog }
        guard header.schemaVersion == currentSchemaVersion else { throw .unsupportedSchemaVersion(header.schemaVersion ?? 0) }
        do { return try JSONDecoder().decode(ConversionLog.self, from: data) } catch let DecodingError.keyNotFound(key, context) {
            throw .missingField((context.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: "."))
        } catch let DecodingError.valueNotFound(_, context) {
            throw .missingField(context.codingPath.map(\.stringValue).joined(separator: "."))
        } catch {
            throw .notJSON(String(describing: error).prefix(200).description)
        }
    }

    /// Pretty, sorted JSON for the file on disk.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// The canonical form that digests and signatures cover: compact sorted-keys JSON of the record
    /// without `recordDigest` and `signatures` (which are about the record, not part of it), and with
    /// per-entry history signatures removed.
    public func canonicalForm() throws -> Data {
        var copy = self
        copy.recordDigest = nil
        copy.signatures = []
        for k in copy.history.indices { copy.history[k].signature = nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(copy)
    }
}
