/// Rows of text cells with every column but the last padded to a common width.
struct TextTable {
    var rows: [[String]] = []

    mutating func add(_ cells: String...) { rows.append(cells) }

    /// The rows as lines, each prefixed with `indent`; trailing spaces are trimmed.
    func lines(indent: String = "") -> [String] {
        let columns = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in rows {
            for (k, cell) in row.enumerated() where k < row.count - 1 { widths[k] = max(widths[k], cell.count) }
        }
        return rows.map { row in
            var line = indent
            for (k, cell) in row.enumerated() {
                line += k < row.count - 1 ? cell.padding(to: widths[k]) + "  " : cell
            }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
    }
}

extension String {
    /// The string followed by spaces up to `width` characters.
    func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
