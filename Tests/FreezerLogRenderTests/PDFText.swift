import Foundation
@testable import FreezerLogRender

/// Reads back what freezer's PDF writer wrote: objects via the xref table, page content streams, and
/// each text-show operation with its font, position and decoded text.
struct PDFText {
    struct Run {
        var font: StandardFont
        var size: Double
        var x: Double
        var y: Double
        var bytes: [UInt8]
        /// The WinAnsi bytes as Unicode text.
        var text: String {
            String(String.UnicodeScalarView(bytes.map { b in
                Unicode.Scalar(Self.fromWinAnsi[b] ?? UInt32(b)) ?? "?"
            }))
        }

        static let fromWinAnsi: [UInt8: UInt32] = Dictionary(uniqueKeysWithValues: WinAnsi.special.map { ($1, $0) })
    }

    let bytes: [UInt8]
    /// Content stream text of each page, in page order.
    let pages: [String]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        let text = String(decoding: bytes, as: UTF8.self)
        var pages: [String] = []
        var rest = text[...]
        while let start = rest.range(of: "stream\n"), let end = rest.range(of: "\nendstream", range: start.upperBound..<rest.endIndex) {
            pages.append(String(rest[start.upperBound..<end.lowerBound]))
            rest = rest[end.upperBound...]
        }
        self.pages = pages
    }

    /// Text runs of one page's content stream (`BT /Fk s Tf x y Td (...) Tj ET`).
    static func runs(_ content: String) -> [Run] {
        content.split(separator: "\n").compactMap { line -> Run? in
            guard line.hasPrefix("BT /F"), let open = line.firstIndex(of: "("), line.hasSuffix(") Tj ET") else { return nil }
            let head = line[..<open].split(separator: " ")
            guard head.count >= 6, let k = Int(head[1].dropFirst(2)), let font = StandardFont(rawValue: k - 1),
                  let size = Double(head[2]), let x = Double(head[4]), let y = Double(head[5]) else { return nil }
            let body = Array(line[line.index(after: open)..<line.index(line.endIndex, offsetBy: -7)].utf8)
            return Run(font: font, size: size, x: x, y: y, bytes: unescape(body))
        }
    }

    static func unescape(_ s: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < s.count {
            if s[i] == UInt8(ascii: "\\"), i + 1 < s.count {
                if s[i + 1] >= 0x30 && s[i + 1] <= 0x37, i + 3 < s.count {
                    out.append(UInt8(String(decoding: s[(i + 1)...(i + 3)], as: UTF8.self), radix: 8)!)
                    i += 4
                } else {
                    out.append(s[i + 1])
                    i += 2
                }
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return out
    }

    /// All text of the document, runs joined by spaces.
    var joinedText: String { pages.flatMap { Self.runs($0).map(\.text) }.joined(separator: " ") }
}
