import Foundation
import Yams

/// The recipe of `freezer export` (YAML; documented in docs/export-recipe.schema.json): which framework
/// model to export, how, and how to convert it. Relative paths are relative to the recipe's directory.
public struct Recipe: Sendable, Equatable {
    public enum Framework: String, Sendable, CaseIterable { case pytorch, keras }

    public struct Input: Sendable, Equatable {
        public var name: String
        public var shape: [Int]
        public var dtype: String
    }

    public var path: String
    /// The recipe's text exactly as read (recorded with its digest).
    public var text: String
    public var framework: Framework
    /// The interpreter as written; nil: `python3` on PATH.
    public var python: String?
    /// `module:function` returning the model (PyTorch).
    public var factory: String?
    public var pythonPath: [String]
    /// Modules imported before the model is loaded (Keras's custom layers register themselves so).
    public var imports: [String]
    public var checkpoint: String
    public var inputs: [Input]
    /// The exporter's parameters as written, as JSON values (passed to the driver unchanged).
    public var export: [String: JSONValue]
    public var modelID: String
    public var modelVersion: String
    public var responsible: String
    public var output: String?
    public var convert: [String: JSONValue]
    public var acceptParameterDifferences: Bool
    public var timeoutSeconds: Double

    public static let defaultTimeoutSeconds = 600.0
    static let keys: Set<String> = ["framework", "python", "model", "inputs", "export", "model_id", "model_version", "responsible",
                                    "output", "convert", "accept_parameter_differences", "timeout_seconds"]
    static let modelKeys: Set<String> = ["factory", "python_path", "imports", "checkpoint"]
    static let dtypes: Set<String> = ["float32", "float64", "float16", "int64", "int32", "int8", "uint8", "bool"]

    /// Reads and checks the recipe at `path`; each problem is named with the key and what to write instead.
    public static func read(_ path: String) throws(ExportError) -> Recipe {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .recipeMissing(path)
        }
        guard let text = String(data: data, encoding: .utf8) else { throw .badRecipe(path, "it is not UTF-8 text") }
        return try parse(text, path: path)
    }

    static func parse(_ text: String, path: String) throws(ExportError) -> Recipe {
        let loaded: Any?
        do { loaded = try Yams.load(yaml: text) } catch { throw .badRecipe(path, "it is not valid YAML: \(error)") }
        guard let root = loaded as? [String: Any] else { throw .badRecipe(path, "it must be a mapping of keys (framework, model, inputs, export, ...)") }
        func bad(_ message: String) -> ExportError { .badRecipe(path, message) }
        let unknown = Set(root.keys).subtracting(keys)
        if !unknown.isEmpty { throw bad("unknown key(s) \(unknown.sorted().joined(separator: ", ")); the keys are \(keys.sorted().joined(separator: ", "))") }
        func string(_ object: [String: Any], _ key: String, in section: String = "") throws(ExportError) -> String? {
            guard let value = object[key] else { return nil }
            if let s = value as? String, !s.isEmpty { return s }
            if let n = value as? Int { return String(n) }
            throw bad("'\(section)\(key)' must be a non-empty string")
        }
        func required(_ key: String) throws(ExportError) -> String {
            guard let s = try string(root, key) else { throw bad("'\(key)' is missing") }
            return s
        }
        guard let frameworkName = root["framework"] as? String, let framework = Framework(rawValue: frameworkName) else {
            throw bad("'framework' must be one of \(Framework.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let model = root["model"] as? [String: Any] else { throw bad("'model' is missing: give model.checkpoint (and model.factory for PyTorch)") }
        if let extra = Set(model.keys).subtracting(modelKeys).sorted().first { throw bad("unknown key 'model.\(extra)'; the keys are factory, python_path, imports, checkpoint") }
        guard let checkpoint = try string(model, "checkpoint", in: "model.") else { throw bad("'model.checkpoint' is missing") }
        let factory = try string(model, "factory", in: "model.")
        if framework == .pytorch && factory == nil { throw bad("'model.factory' is missing: PyTorch needs module:function returning the nn.Module") }
        var pythonPath: [String] = []
        if let list = model["python_path"] {
            guard let entries = list as? [Any], entries.allSatisfy({ $0 is String }) else { throw bad("'model.python_path' must be a list of directories") }
            pythonPath = entries.compactMap { $0 as? String }
        }
        var imports: [String] = []
        if let list = model["imports"] {
            let modules = (list as? [Any])?.compactMap { $0 as? String } ?? []
            guard modules.count == (list as? [Any])?.count, modules.allSatisfy({ $0.wholeMatch(of: /[A-Za-z_][A-Za-z0-9_.]*/) != nil }) else {
                throw bad("'model.imports' must be a list of module names, e.g. [mypkg.layers]")
            }
            imports = modules
        }
        guard let inputList = root["inputs"] as? [Any], !inputList.isEmpty else {
            throw bad("'inputs' must list the model's inputs, e.g. - {name: input, shape: [2, 3, 224, 224], dtype: float32}")
        }
        var inputs: [Input] = []
        for (k, entry) in inputList.enumerated() {
            guard let object = entry as? [String: Any], let name = object["name"] as? String, !name.isEmpty,
                  let dims = object["shape"] as? [Any], let shape = dims as? [Int], shape.allSatisfy({ $0 > 0 }) else {
                throw bad("inputs[\(k)] must have a name and a shape of positive integers, e.g. {name: input, shape: [2, 3, 224, 224], dtype: float32}")
            }
            let dtype = object["dtype"] as? String ?? "float32"
            guard dtypes.contains(dtype) else { throw bad("inputs[\(k)].dtype '\(dtype)' is not one of \(dtypes.sorted().joined(separator: ", "))") }
            inputs.append(Input(name: name, shape: shape, dtype: dtype))
        }
        guard let exportSection = root["export"] as? [String: Any] else {
            throw bad("'export' is missing: give at least exporter (torchscript, dynamo or tf2onnx) and opset")
        }
        let convertSection = root["convert"] as? [String: Any] ?? [:]
        if root["convert"] != nil && root["convert"] as? [String: Any] == nil { throw bad("'convert' must be a mapping of convert options, e.g. {samples: 8}") }
        let timeout: Double
        switch root["timeout_seconds"] {
        case nil: timeout = defaultTimeoutSeconds
        case let n as Int where n > 0: timeout = Double(n)
        case let d as Double where d > 0 && d.isFinite: timeout = d
        default: throw bad("'timeout_seconds' must be a positive number of seconds")
        }
        let accept: Bool
        switch root["accept_parameter_differences"] {
        case nil: accept = false
        case let b as Bool: accept = b
        default: throw bad("'accept_parameter_differences' must be true or false")
        }
        return Recipe(path: path, text: text, framework: framework, python: try string(root, "python"), factory: factory,
                      pythonPath: pythonPath, imports: imports, checkpoint: checkpoint, inputs: inputs,
                      export: try JSONValue.object(exportSection, at: "export", recipe: path),
                      modelID: try required("model_id"), modelVersion: try required("model_version"), responsible: try required("responsible"),
                      output: try string(root, "output"), convert: try JSONValue.object(convertSection, at: "convert", recipe: path),
                      acceptParameterDifferences: accept, timeoutSeconds: timeout)
    }

    /// `path` as written, made absolute against the recipe's directory.
    public func resolve(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        let base = URL(fileURLWithPath: self.path).deletingLastPathComponent()
        return base.appendingPathComponent(path).standardizedFileURL.path
    }
}
