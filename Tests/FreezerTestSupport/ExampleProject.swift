import Foundation
import FreezerONNX

/// One of examples/pytorch-*: copied to a temporary directory with a recipe written beside it, so a test
/// can change the recipe or add modules and see what `freezer export` writes there.
public struct ExampleProject {
    public var name: String
    /// The Python package under src/ that the factory lives in.
    public var package: String = ""
    /// What is copied: the model's source and its checkpoint.
    public var files = ["src", "checkpoint.pt"]

    public init(name: String, package: String = "", files: [String] = ["src", "checkpoint.pt"]) {
        self.name = name
        self.package = package
        self.files = files
    }

    public var directory: String { Fixtures.root.appendingPathComponent("examples/\(name)").path }

    /// A copy of the example (model source and checkpoint) with `recipe` written beside it; returns its path.
    public func copy(_ recipe: String, extraModules: [String: String] = [:]) throws -> String {
        let dir = Fixtures.temporaryDirectory("freezer-export")
        let fm = FileManager.default
        for file in files { try fm.copyItem(atPath: directory + "/" + file, toPath: dir + "/" + file) }
        for (name, text) in extraModules { try text.write(toFile: dir + "/src/\(package)/\(name).py", atomically: true, encoding: .utf8) }
        try fm.createDirectory(atPath: dir + "/out", withIntermediateDirectories: false)
        try recipe.write(toFile: dir + "/recipe.yaml", atomically: true, encoding: .utf8)
        return dir + "/recipe.yaml"
    }

    public var recipe: String { (try? String(contentsOfFile: directory + "/recipe.yaml", encoding: .utf8)) ?? "" }

    public func recipe(replacing old: String, with new: String) -> String {
        // The example must say `old` (a replacement by the same text, python3 for python3, is fine).
        precondition(recipe.contains(old), "the example recipe has no '\(old)'")
        return recipe.replacingOccurrences(of: old, with: new)
    }
}
