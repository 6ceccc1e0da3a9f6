import FreezerIR

/// A node attribute as plain data, for reporting hyperparameters (alpha, beta, epsilon, ...).
public struct AttributeFact: Codable, Sendable, Equatable {
    public var name: String
    public var value: AttributeValue

    public init(name: String, value: AttributeValue) {
        self.name = name
        self.value = value
    }

    /// The attribute's value as plain data.
    init(_ attribute: Attribute) {
        name = attribute.name
        switch attribute.value {
        case .float(let f): value = .float(Double(f))
        case .int(let i): value = .int(i)
        case .string(let s): value = .string(String(decoding: s, as: UTF8.self))
        case .floats(let fs): value = .floats(fs.map(Double.init))
        case .ints(let i): value = .ints(i)
        case .strings(let ss): value = .strings(ss.map { String(decoding: $0, as: UTF8.self) })
        case .tensor(let t): value = .other("tensor \(t.elementType)\(t.dims)")
        case .tensors(let ts): value = .other("\(ts.count) tensors")
        case .graph(let g): value = .other("graph '\(g.name)'")
        case .graphs(let gs): value = .other("\(gs.count) graphs")
        case .opaque(let kind): value = .other("opaque attribute type \(kind)")
        }
    }
}

/// An attribute value. JSON: `{"type": "float", "value": 0.9}`; the type tag keeps 1 and 1.0 apart.
public enum AttributeValue: Sendable, Equatable {
    case float(Double)
    case int(Int64)
    case string(String)
    case floats([Double])
    case ints([Int64])
    case strings([String])
    /// Tensors, graphs and opaque values, described in words.
    case other(String)

    /// The value as one number, for scalar float and int attributes.
    public var number: Double? {
        switch self {
        case .float(let d): d
        case .int(let i): Double(i)
        default: nil
        }
    }

    /// The value as short text (`0.9`, `[1, 2]`, `nesterov`).
    public var text: String {
        switch self {
        case .float(let d): NumberText.short(d)
        case .int(let i): String(i)
        case .string(let s): s
        case .floats(let ds): "[" + ds.map(NumberText.short).joined(separator: ", ") + "]"
        case .ints(let i): "[" + i.map(String.init).joined(separator: ", ") + "]"
        case .strings(let ss): "[" + ss.joined(separator: ", ") + "]"
        case .other(let s): s
        }
    }
}

extension AttributeValue: Codable {
    private enum CodingKeys: String, CodingKey { case type, value }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(String.self, forKey: .type) {
        case "float": self = .float(try c.decode(Double.self, forKey: .value))
        case "int": self = .int(try c.decode(Int64.self, forKey: .value))
        case "string": self = .string(try c.decode(String.self, forKey: .value))
        case "floats": self = .floats(try c.decode([Double].self, forKey: .value))
        case "ints": self = .ints(try c.decode([Int64].self, forKey: .value))
        case "strings": self = .strings(try c.decode([String].self, forKey: .value))
        case "other": self = .other(try c.decode(String.self, forKey: .value))
        case let t: throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "unknown attribute type '\(t)'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .float(let v): try c.encode("float", forKey: .type); try c.encode(v, forKey: .value)
        case .int(let v): try c.encode("int", forKey: .type); try c.encode(v, forKey: .value)
        case .string(let v): try c.encode("string", forKey: .type); try c.encode(v, forKey: .value)
        case .floats(let v): try c.encode("floats", forKey: .type); try c.encode(v, forKey: .value)
        case .ints(let v): try c.encode("ints", forKey: .type); try c.encode(v, forKey: .value)
        case .strings(let v): try c.encode("strings", forKey: .type); try c.encode(v, forKey: .value)
        case .other(let v): try c.encode("other", forKey: .type); try c.encode(v, forKey: .value)
        }
    }
}
