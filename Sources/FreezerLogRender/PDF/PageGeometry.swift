/// A4 page geometry and type sizes of the PDF rendering, in points.
enum PageGeometry {
    static let width = 595.28
    static let height = 841.89
    static let marginLeft = 56.0
    static let marginRight = 56.0
    /// Content starts below the running header.
    static let contentTop = height - 66
    /// Content ends above the running footer.
    static let contentBottom = 58.0
    static let contentWidth = width - marginLeft - marginRight

    static let bodySize = 9.5
    static let bodyLeading = 12.5
    static let tableSize = 8.0
    static let tableLeading = 10.0
    static let cellPadX = 3.5
    static let cellPadY = 2.5
    static let captionSize = 8.5
    static let captionLeading = 11.0

    /// Heading font size, space above and below, by level (0 = document title).
    static func heading(_ level: Int) -> (size: Double, before: Double, after: Double) {
        switch level {
        case 0: (17, 0, 8)
        case 1: (13, 16, 6)
        case 2: (11, 13, 5)
        default: (9.5, 9, 3)
        }
    }

    /// Baseline of a line whose line box (height `leading`) starts at `top`, for Helvetica at `size`
    /// (ascender 718, descender 207 units, the slack split evenly).
    static func baseline(top: Double, size: Double, leading: Double) -> Double {
        top - (leading - 0.925 * size) / 2 - 0.718 * size
    }

    /// A coordinate for a content stream: two decimals, no locale, no exponent.
    static func number(_ x: Double) -> String {
        let v = Int((x * 100).rounded())
        let a = abs(v)
        let frac = a % 100
        return (v < 0 ? "-" : "") + "\(a / 100)" + (frac == 0 ? "" : "." + (frac < 10 ? "0" : "") + "\(frac)")
    }
}
