/// `--input-shape NAME=AxBxC`: the shape of a model input (`input=1x3x224x224`) or the value of a
/// dimension symbol (`batch=4`) for random equivalence inputs. The one parser of every command that takes it.
public enum InputShapeOption {
    /// Every `--input-shape` argument, by name; refuses a malformed argument and a name given twice.
    public static func parse(_ arguments: [String]) throws(ConversionError) -> [String: [Int]] {
        var shapes: [String: [Int]] = [:]
        for argument in arguments {
            let (name, dimensions) = try parse(argument)
            guard shapes.updateValue(dimensions, forKey: name) == nil else {
                throw .badOption("--input-shape names '\(name)' more than once; give each input or dimension symbol once")
            }
        }
        return shapes
    }

    /// One argument. The name is everything before the last `=`, because ONNX names may contain `=`;
    /// each dimension is a non-negative decimal integer, `x` between them.
    public static func parse(_ argument: String) throws(ConversionError) -> (name: String, dimensions: [Int]) {
        let refusal = ConversionError.badOption("--input-shape '\(argument)' is not NAME=AxBxC (for example input=1x3x224x224)")
        guard let equals = argument.lastIndex(of: "=") else { throw refusal }
        let name = String(argument[..<equals])
        let dimensions = argument[argument.index(after: equals)...].split(separator: "x", omittingEmptySubsequences: false)
            .map { text in text.allSatisfy { $0.isASCII && $0.isNumber } ? Int(text) : nil }
        guard !name.isEmpty, dimensions.allSatisfy({ $0 != nil }) else { throw refusal }
        return (name, dimensions.map { $0! })
    }

    /// The shapes as the log's readable `--input-shape` entry shows them: `a=1x3, b=4`, sorted by name.
    public static func text(_ shapes: [String: [Int]]) -> String {
        shapes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.map(String.init).joined(separator: "x"))" }.joined(separator: ", ")
    }
}
