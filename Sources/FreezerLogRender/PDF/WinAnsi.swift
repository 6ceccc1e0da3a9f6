import Foundation

/// Text to WinAnsiEncoding bytes, the encoding of the standard fonts: characters WinAnsi lacks are
/// transliterated (`→` to `->`, `≤` to `<=`, `ε` to `eps`, `√` to `sqrt`), accents are dropped when
/// the letter has no WinAnsi form, and anything else becomes `?`.
enum WinAnsi {
    static func encode(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for scalar in text.precomposedStringWithCanonicalMapping.unicodeScalars {
            append(scalar, to: &out)
        }
        return out
    }

    private static func append(_ scalar: Unicode.Scalar, to out: inout [UInt8]) {
        let v = scalar.value
        switch v {
        case 0x20...0x7E, 0xA0...0xFF: out.append(UInt8(v))
        case 0x09: out.append(0x20)
        case 0x00..<0x20, 0x7F...0x9F, 0x200B...0x200D, 0xFEFF: break
        default:
            if let byte = special[v] { out.append(byte); return }
            if let text = transliterations[v] { out += text.unicodeScalars.map { UInt8($0.value) }; return }
            // A letter with an accent WinAnsi lacks: keep the base letter.
            let base = String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars.first
            if let base, base.value != v, base.value < 0x7F, base.value >= 0x20 { out.append(UInt8(base.value)); return }
            out.append(UInt8(ascii: "?"))
        }
    }

    /// Characters WinAnsi places in 0x80...0x9F.
    static let special: [UInt32: UInt8] = [
        0x20AC: 0x80, 0x201A: 0x82, 0x0192: 0x83, 0x201E: 0x84, 0x2026: 0x85, 0x2020: 0x86, 0x2021: 0x87, 0x02C6: 0x88,
        0x2030: 0x89, 0x0160: 0x8A, 0x2039: 0x8B, 0x0152: 0x8C, 0x017D: 0x8E, 0x2018: 0x91, 0x2019: 0x92, 0x201C: 0x93,
        0x201D: 0x94, 0x2022: 0x95, 0x2013: 0x96, 0x2014: 0x97, 0x02DC: 0x98, 0x2122: 0x99, 0x0161: 0x9A, 0x203A: 0x9B,
        0x0153: 0x9C, 0x017E: 0x9E, 0x0178: 0x9F,
    ]

    /// Stand-ins (ASCII or Latin-1) for symbols the log's text uses that WinAnsi does not have.
    static let transliterations: [UInt32: String] = [
        0x2192: "->", 0x2190: "<-", 0x2194: "<->", 0x21D2: "=>", 0x21D0: "<=", 0x2264: "<=", 0x2265: ">=", 0x2260: "!=",
        0x2248: "~=", 0x2212: "-", 0x2010: "-", 0x2011: "-", 0x2012: "-", 0x2015: "-", 0x221A: "sqrt", 0x221E: "inf",
        0x03B5: "eps", 0x03F5: "eps", 0x03B1: "alpha", 0x03B2: "beta", 0x03B3: "gamma", 0x03B4: "delta", 0x03BB: "lambda",
        0x03BC: "\u{B5}", 0x03C3: "sigma", 0x03A3: "Sum", 0x2211: "Sum", 0x220F: "Prod", 0x2202: "d", 0x2207: "grad",
        0x2208: " in ", 0x2016: "||", 0x2223: "|", 0x22C5: "\u{B7}", 0x2219: "\u{B7}", 0x2032: "'", 0x2033: "\"",
        0x2009: " ", 0x200A: " ", 0x2002: " ", 0x2003: " ", 0x202F: " ", 0x2713: "yes", 0x2717: "no", 0x2714: "yes",
    ]

    /// A PDF literal string body: `(`, `)` and `\` escaped, bytes outside printable ASCII as `\ooo`, so
    /// content streams stay ASCII.
    static func literal(_ bytes: [UInt8]) -> String {
        var s = ""
        for b in bytes {
            switch b {
            case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\\"): s += "\\" + String(UnicodeScalar(b))
            case 0x20...0x7E: s.append(Character(UnicodeScalar(b)))
            default:
                let octal = String(b, radix: 8)
                s += "\\" + String(repeating: "0", count: 3 - octal.count) + octal
            }
        }
        return s
    }
}
