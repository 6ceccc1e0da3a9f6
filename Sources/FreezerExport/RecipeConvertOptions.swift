import FreezerConvert
import FreezerONNX

extension Recipe {
    /// The keys of the recipe's `convert:` section: `freezer convert`'s options, by their long names.
    static let convertKeys: Set<String> = ["samples", "seed", "rtol", "atol", "threads", "external_data", "record_host", "outputs"]

    /// The conversion options of this recipe for the exported model at `input`. Verification cannot be
    /// switched off: the framework check needs the equivalence check's inputs and bounds.
    func conversionOptions(input: String, output: String, log: String?) throws(ExportError) -> ConversionOptions {
        func bad(_ message: String) -> ExportError { .badRecipe(path, message) }
        if let extra = Set(convert.keys).subtracting(Self.convertKeys).sorted().first {
            throw bad("'convert.\(extra)' is not an option export passes to convert; the options are \(Self.convertKeys.sorted().joined(separator: ", "))")
        }
        var o = ConversionOptions(input: input, output: output, log: log, modelID: modelID, modelVersion: modelVersion, responsible: responsible)
        func integer(_ key: String) throws(ExportError) -> Int? {
            guard let v = convert[key] else { return nil }
            guard let i = v.int else { throw bad("'convert.\(key)' must be an integer") }
            return i
        }
        func number(_ key: String) throws(ExportError) -> Double? {
            guard let v = convert[key] else { return nil }
            guard let d = v.double else { throw bad("'convert.\(key)' must be a number") }
            return d
        }
        if let n = try integer("samples") { o.samples = n }
        if let n = try integer("seed") { guard n >= 0 else { throw bad("'convert.seed' must not be negative") }; o.seed = UInt64(n) }
        if let n = try integer("threads") { guard n >= 1 else { throw bad("'convert.threads' must be at least 1") }; o.threads = n }
        o.rtol = try number("rtol")
        o.atol = try number("atol")
        if let v = convert["record_host"] { guard let b = v.bool else { throw bad("'convert.record_host' must be true or false") }; o.recordHost = b }
        if let v = convert["external_data"] {
            guard let mode = v.string.flatMap(ModelSaver.Options.ExternalData.init(rawValue:)) ?? v.bool.map({ $0 ? .always : .auto }) else {
                throw bad("'convert.external_data' must be auto, always, never, or true/false")
            }
            o.externalData = mode
        }
        if let v = convert["outputs"] {
            guard case .array(let items) = v, case let names = items.compactMap(\.string), names.count == items.count else {
                throw bad("'convert.outputs' must be a list of output names")
            }
            o.outputs = names
        }
        do { try o.checkVerificationSettings() } catch { throw bad("'convert': \(error.description)") }
        return o
    }
}
