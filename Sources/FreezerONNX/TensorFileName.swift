/// The file name under which a tensor of a given name is stored (`freezer run --save-outputs`) or looked
/// for (`freezer convert --inputs`), so both commands agree.
public enum TensorFileName {
    /// Characters a file name cannot hold (`/`, `:`, `\`, control characters) become `_`; names that would
    /// be hidden or special (`.`, `..`, empty, a leading dot) get a `_` prefix.
    public static func make(_ name: String) -> String {
        var scalars = String.UnicodeScalarView()
        for s in name.unicodeScalars {
            let forbidden = s == "/" || s == ":" || s == "\\" || s.value < 0x20 || s.value == 0x7F
            scalars.append(forbidden ? "_" : s)
        }
        var result = String(scalars)
        if result.isEmpty || result.hasPrefix(".") { result = "_" + result }
        return result
    }
}
