/// Word wrapping of WinAnsi text to a width, measured with the fonts' AFM widths. Tokens wider than
/// the line (SHA-256 hex, paths) are broken, after a `/`, `_`, `-`, `.`, `,` or `:`, or inside camelCase,
/// when such a point is near.
enum TextWrapper {
    /// One output line: its WinAnsi bytes and how far it is indented (points).
    struct Line: Equatable {
        var indent: Double
        var bytes: [UInt8]
    }

    /// Wraps `text` (which may hold `\n`) into lines no wider than `width` points. Leading spaces of a
    /// source line become an indent, kept on its continuation lines.
    static func wrap(_ text: String, font: StandardFont, size: Double, width: Double) -> [Line] {
        var lines: [Line] = []
        for source in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            let bytes = WinAnsi.encode(String(source))
            let spaces = bytes.prefix { $0 == 0x20 }.count
            let indent = min(font.width(bytes.prefix(spaces), size: size), width / 3)
            let words = bytes.dropFirst(spaces).split(separator: 0x20, omittingEmptySubsequences: true).map(Array.init)
            let available = max(width - indent, size)
            var current: [UInt8] = []
            func flush() { lines.append(Line(indent: indent, bytes: current)); current = [] }
            for var word in words {
                let candidate = current.isEmpty ? word : current + [0x20] + word
                if font.width(candidate, size: size) <= available { current = candidate; continue }
                if !current.isEmpty { flush() }
                while font.width(word, size: size) > available {
                    let cut = breakPoint(word, font: font, size: size, width: available)
                    current = Array(word[..<cut])
                    flush()
                    word = Array(word[cut...])
                }
                current = word
            }
            flush()
        }
        return lines
    }

    /// Where to break a token too wide for `width`: after the last separator that fits, else at a
    /// camelCase boundary in the second half, else at the last character that fits (at least one).
    static func breakPoint(_ word: [UInt8], font: StandardFont, size: Double, width: Double) -> Int {
        var fits = 0, used = 0.0
        while fits < word.count {
            let w = Double(font.units(word[fits])) * size / 1000
            if used + w > width { break }
            used += w
            fits += 1
        }
        fits = max(fits, 1)
        let separators: Set<UInt8> = Set("/_-.,:;=".utf8)
        func isLower(_ b: UInt8) -> Bool { b >= 0x61 && b <= 0x7A }
        func isUpper(_ b: UInt8) -> Bool { b >= 0x41 && b <= 0x5A }
        // After the last separator that fits, else inside camelCase in the second half, else anywhere.
        if fits >= 3, let j = (3...fits).last(where: { $0 < word.count && separators.contains(word[$0 - 1]) }) { return j }
        if let j = (max(fits / 2, 1)...fits).last(where: { $0 < word.count && isLower(word[$0 - 1]) && isUpper(word[$0]) }) { return j }
        return fits
    }
}
