/// Short, deterministic text for numbers in details and formulas.
public enum NumberText {
    /// `0.1` rather than `0.10000000149011612` for values that came from float32, integers without `.0`.
    public static func short(_ d: Double) -> String {
        if d.isNaN || d.isInfinite { return "\(d)" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        // Most model constants are float32; their shortest float32 text is what the author wrote.
        if Double(Float(d)) == d { return "\(Float(d))" }
        return "\(d)"
    }
}
