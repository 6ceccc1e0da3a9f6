import Foundation

/// A YAML scalar, list or mapping of the recipe, kept as JSON so that it reaches the driver as written.
public indirect enum JSONValue: Sendable, Equatable, Encodable {
    case string(String), int(Int), double(Double), bool(Bool), null
    case array([JSONValue]), object([String: JSONValue])

    static func make(_ value: Any?, at key: String, recipe: String) throws(ExportError) -> JSONValue {
        switch value {
        case nil, is NSNull: return .null
        case let b as Bool: return .bool(b)
        case let i as Int: return .int(i)
        case let d as Double:
            guard d.isFinite else { throw .badRecipe(recipe, "'\(key)' is not a finite number") }
            return .double(d)
        case let s as String: return .string(s)
        case let a as [Any]:
            var items: [JSONValue] = []
            for (k, v) in a.enumerated() { items.append(try make(v, at: "\(key)[\(k)]", recipe: recipe)) }
            return .array(items)
        case let o as [String: Any]: return .object(try object(o, at: key, recipe: recipe))
        default: throw .badRecipe(recipe, "'\(key)' holds a value that is not a string, number, boolean, list or mapping")
        }
    }

    static func object(_ o: [String: Any], at key: String, recipe: String) throws(ExportError) -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for (k, v) in o { result[k] = try make(v, at: "\(key).\(k)", recipe: recipe) }
        return result
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let s): try c.encode(s)
        case .int(let i): try c.encode(i)
        case .double(let d): try c.encode(d)
        case .bool(let b): try c.encode(b)
        case .null: try c.encodeNil()
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    var int: Int? { if case .int(let i) = self { i } else { nil } }
    var double: Double? { if case .double(let d) = self { d } else if case .int(let i) = self { Double(i) } else { nil } }
    var bool: Bool? { if case .bool(let b) = self { b } else { nil } }
    var string: String? { if case .string(let s) = self { s } else { nil } }
}
