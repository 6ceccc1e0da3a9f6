/// Locale-independent formatting of the log's values, so every renderer shows the same text.
enum TextFormat {
    /// `2026-11-29T10:48:36Z` → `2026/11/29` (the template's YYYY/MM/DD); other text unchanged.
    static func date(_ iso: String) -> String {
        let c = Array(iso)
        guard c.count >= 10, c[4] == "-", c[7] == "-",
              c[0..<4].allSatisfy(\.isNumber), c[5..<7].allSatisfy(\.isNumber), c[8..<10].allSatisfy(\.isNumber) else { return iso }
        return "\(String(c[0..<4]))/\(String(c[5..<7]))/\(String(c[8..<10]))"
    }

    /// `2026-11-29T10:48:36Z` → `2026/11/29 10:48:36 UTC`; a non-UTC offset is kept as written.
    static func dateTime(_ iso: String) -> String {
        let day = date(iso)
        guard day != iso, iso.count >= 19 else { return iso }
        let c = Array(iso)
        let time = String(c[11..<19])
        let zone = String(c[19...]).drop { $0 == "." || $0.isNumber }
        return "\(day) \(time) \(zone == "Z" || zone.isEmpty ? "UTC" : "UTC" + zone)"
    }

    /// `11510` → `11,510`.
    static func grouped(_ n: some BinaryInteger) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// `11510` → `11,510 bytes`; from 1 MiB on with the size in MiB or GiB.
    static func bytes(_ n: some BinaryInteger) -> String {
        let value = Double(Int64(clamping: n))
        let exact = "\(grouped(n)) bytes"
        if value >= 1_073_741_824 { return "\(exact) (\(oneDecimal(value / 1_073_741_824)) GiB)" }
        if value >= 1_048_576 { return "\(exact) (\(oneDecimal(value / 1_048_576)) MiB)" }
        return exact
    }

    /// One decimal without locale: `23.6`.
    static func oneDecimal(_ x: Double) -> String {
        let tenths = Int((x * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// The shortest text that reads back as the same Double (what the log holds).
    static func number(_ x: Double) -> String { "\(x)" }

    /// A command line as it would be typed in a POSIX shell.
    static func commandLine(_ arguments: [String]) -> String {
        arguments.map(shellQuoted).joined(separator: " ")
    }

    static func shellQuoted(_ s: String) -> String {
        let plain = !s.isEmpty && s.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || "0123456789-_./=:,+@%".unicodeScalars.contains($0)) }
        return plain ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// `ai.onnx 17, ai.onnx.ml 3`.
    static func opsets(_ opsets: [(domain: String, version: Int64)]) -> String {
        opsets.isEmpty ? "none declared" : opsets.map { "\($0.domain) \($0.version)" }.joined(separator: ", ")
    }

    /// `1 graph`, `3 graphs`.
    static func count(_ n: Int, _ noun: String) -> String { "\(grouped(n)) \(noun)\(n == 1 ? "" : "s")" }

    /// First letter upper-cased (`eliminated` → `Eliminated`).
    static func capitalized(_ s: String) -> String { s.prefix(1).uppercased() + s.dropFirst() }
}
