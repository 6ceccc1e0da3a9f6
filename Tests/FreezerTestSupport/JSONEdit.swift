import Foundation

/// Edits of encoded JSON, for tests that need a file as an older or a careless writer would have left it.
public enum JSONEdit {
    /// `data` without the object key at `path` (keys from the root), or nil when there is no such key.
    public static func removing(_ path: [String], from data: Data) throws -> Data? {
        guard var object = try JSONSerialization.jsonObject(with: data) as? [String: Any], remove(path[...], in: &object) else { return nil }
        return try JSONSerialization.data(withJSONObject: object)
    }

    private static func remove(_ path: ArraySlice<String>, in object: inout [String: Any]) -> Bool {
        guard let key = path.first else { return false }
        if path.count == 1 { return object.removeValue(forKey: key) != nil }
        guard var child = object[key] as? [String: Any] else { return false }
        defer { object[key] = child }
        return remove(path.dropFirst(), in: &child)
    }
}
