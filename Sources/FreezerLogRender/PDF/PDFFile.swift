/// Serializes numbered PDF 1.4 objects with a cross-reference table whose offsets are exact.
///
/// Objects are numbered in the order they are added, from 1, so the same content always gives the
/// same bytes.
struct PDFFile {
    private var bodies: [[UInt8]] = []

    /// The number the next added object will get.
    var nextNumber: Int { bodies.count + 1 }

    /// Adds an object (its dictionary or value, without `N 0 obj`) and returns its number.
    @discardableResult
    mutating func add(_ body: String) -> Int {
        bodies.append(Array(body.utf8))
        return bodies.count
    }

    /// Adds a stream object with the given dictionary entries and content.
    @discardableResult
    mutating func addStream(_ content: [UInt8], dictionary: String = "") -> Int {
        bodies.append(Array("<< /Length \(content.count)\(dictionary.isEmpty ? "" : " " + dictionary) >>\nstream\n".utf8)
                      + content + Array("\nendstream".utf8))
        return bodies.count
    }

    /// The whole file: header, objects, xref table, trailer.
    func bytes(root: Int, info: Int) -> [UInt8] {
        // The second line's bytes above 127 mark the file as binary for transfer tools.
        var out: [UInt8] = Array("%PDF-1.4\n%".utf8) + [0xE2, 0xE3, 0xCF, 0xD3, 0x0A]
        var offsets: [Int] = []
        for (i, body) in bodies.enumerated() {
            offsets.append(out.count)
            out += Array("\(i + 1) 0 obj\n".utf8) + body + Array("\nendobj\n".utf8)
        }
        let xref = out.count
        var table = "xref\n0 \(bodies.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { table += padded(offset, 10) + " 00000 n \n" }
        table += "trailer\n<< /Size \(bodies.count + 1) /Root \(root) 0 R /Info \(info) 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return out + Array(table.utf8)
    }

    private func padded(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}
